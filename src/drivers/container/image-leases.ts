import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "../../runs";

/**
 * Image leases: which image refs each live lab process on this host is using, so that pruning in another process
 * (another checkout's run) leaves them alone even between two scenarios, when no container holds them. One file
 * per process, `<stateDir>/image-leases/<pid>.json` = `{ pid, refs }`; it lasts as long as the process (removed
 * at exit, and ignored then deleted by readers once the pid is dead).
 */
export function leaseDir(stateDir: string): string {
  return join(stateDir, "image-leases");
}

const mine = new Map<string, Set<string>>();

/** Adds `refs` to this process's lease in `stateDir` (written atomically). */
export function leaseImages(stateDir: string, refs: readonly string[]): void {
  const dir = leaseDir(stateDir);
  const file = join(dir, `${process.pid}.json`);
  let held = mine.get(file);
  if (!held) {
    held = new Set();
    mine.set(file, held);
    process.once("exit", () => rmSync(file, { force: true }));
  }
  for (const r of refs) held.add(r);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, refs: [...held].sort() }) + "\n");
  renameSync(tmp, file);
}

/** True when this process's lease in `stateDir` already holds every one of `refs`. */
export function holdsLease(stateDir: string, refs: readonly string[]): boolean {
  const held = mine.get(join(leaseDir(stateDir), `${process.pid}.json`));
  return !!held && refs.every((r) => held.has(r));
}

/** Every ref leased by a live process (this one included); the files of dead processes are deleted. */
export function leasedImages(stateDir: string): Set<string> {
  const dir = leaseDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return new Set();
  }
  const refs = new Set<string>();
  for (const name of names) {
    const pid = Number(name.slice(0, -".json".length));
    if (!isAlive(pid)) {
      rmSync(join(dir, name), { force: true });
      continue;
    }
    try {
      const lease = JSON.parse(readFileSync(join(dir, name), "utf8")) as { refs?: unknown };
      if (Array.isArray(lease.refs)) for (const r of lease.refs) if (typeof r === "string") refs.add(r);
    } catch {
      // a lease being replaced right now (rename is atomic, so this is only a foreign file): nothing to honour
    }
  }
  return refs;
}
