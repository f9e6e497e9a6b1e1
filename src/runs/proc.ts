import { readFileSync, readdirSync } from "node:fs";

/**
 * OS process helpers over signals and Linux's /proc (the process driver and `exlab clean` use them).
 * Every function tolerates processes vanishing under it.
 */

/** True while a process (or, with a negative id, any member of that process group) exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Sends a signal to every member of a process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** Live (non-zombie) members of a process group. Empty where /proc is unavailable. */
export function groupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const s = readStat(pid);
    return s !== undefined && s.pgrp === pgid && s.state !== "Z";
  });
}

/** Every live descendant of a process (children, grandchildren…). */
export function descendants(root: number): number[] {
  const stats = allPids()
    .map(readStat)
    .filter((s): s is ProcStat => s !== undefined && s.state !== "Z");
  const out: number[] = [];
  let frontier = [root];
  while (frontier.length) {
    const next = stats.filter((s) => frontier.includes(s.ppid)).map((s) => s.pid);
    out.push(...next);
    frontier = next;
  }
  return out;
}

/** The value of one environment variable of another process (same user or root), or undefined. */
export function envOf(pid: number, name: string): string | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    const hit = entries.find((e) => e.startsWith(`${name}=`));
    return hit === undefined ? undefined : hit.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/** Processes carrying `name=<any value>` in their environment, with that value. */
export function processesWithEnv(name: string): { pid: number; value: string; pgrp: number }[] {
  return allPids().flatMap((pid) => {
    if (pid === process.pid) return [];
    const value = envOf(pid, name);
    const stat = value === undefined ? undefined : readStat(pid);
    return value !== undefined && stat && stat.state !== "Z" ? [{ pid, value, pgrp: stat.pgrp }] : [];
  });
}
