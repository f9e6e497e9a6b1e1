import { spawnSync } from "node:child_process";
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

/**
 * CPU (user + system, ms) of one bare `node -e 0` with this Node binary: the floor every process the lab starts
 * pays before the first line of ours runs. The mean of `times` runs, from bash's `times` (the children's CPU as
 * the kernel accounts it, ms resolution); undefined where there is no bash.
 */
export function bareNodeCpuMs(times = 5): number | undefined {
  const r = spawnSync(
    "bash",
    ["-c", `for i in $(seq ${times}); do "$0" -e 0 >/dev/null 2>&1; done; times`, process.execPath],
    { encoding: "utf8" },
  );
  const children = r.status === 0 ? r.stdout.trim().split("\n")[1] : undefined;
  const m = children?.match(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/);
  if (!m) return undefined;
  return ((Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000) / times;
}
