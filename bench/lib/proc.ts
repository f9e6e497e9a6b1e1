import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ: 100 on every Linux that node supports. */
const CLOCK_TICKS = 100;

interface Stat {
  pid: number;
  ppid: number;
  /** user + system CPU, µs */
  cpu: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(f[1]), cpu: ((Number(f[11]) + Number(f[12])) * 1e6) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, µs) of other processes from /proc/<pid>/stat; 0 for those unreadable (gone, not Linux). */
export function cpuMicros(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (stat(pid)?.cpu ?? 0), 0);
}

/** Every live descendant of `root` (children, grandchildren…), from /proc. Empty where there is no /proc. */
export function descendants(root: number = process.pid): number[] {
  let all: Stat[];
  try {
    all = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map((d) => stat(Number(d)))
      .filter((s): s is Stat => !!s);
  } catch {
    return [];
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop()!;
    for (const s of all) {
      if (s.ppid !== parent) continue;
      out.push(s.pid);
      frontier.push(s.pid);
    }
  }
  return out;
}
