import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { NoSubnetError } from "../errors";
import { isAlive } from "../../runs";

/**
 * Loopback address allocation for the process driver: machine N of a run binds 127.X.0.N, where X is the run's
 * subnet. X is leased through an exclusive lock file `<stateDir>/subnets/<X>.lock` (holding the owner's pid, so a
 * dead owner's lease is taken over) and confirmed by probing that the ports the run needs are free.
 */
export interface SubnetLease {
  /** The second octet X. */
  readonly octet: number;
  /** The address of machine `index` (1-based): 127.X.0.index. */
  host(index: number): string;
  release(): void;
}

export interface LeaseOptions {
  stateDir: string;
  runId: string;
  /** @default process.pid */
  pid?: number;
  /** First and last octet tried. @default 20..250 */
  first?: number;
  last?: number;
  /** Where to start scanning (spreads concurrent runs). @default derived from pid */
  start?: number;
  /** (host, port) pairs that must be bindable for a subnet to be taken, as a function of the octet. */
  probe?: (octet: number) => { host: string; port: number }[];
}

export function machineHost(octet: number, index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > 254)
    throw new NoSubnetError(`machine index ${index} is outside 1..254`);
  return `127.${octet}.0.${index}`;
}

function tryLock(file: string, runId: string, pid: number): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify({ runId, pid }));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let owner = 0;
      try {
        owner = Number(JSON.parse(readFileSync(file, "utf8")).pid);
      } catch {
        owner = 0;
      }
      if (owner > 0 && isAlive(owner)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function leaseSubnet(options: LeaseOptions): Promise<SubnetLease> {
  const pid = options.pid ?? process.pid;
  const first = options.first ?? 20;
  const last = options.last ?? 250;
  const span = last - first + 1;
  const start = options.start ?? pid % span;
  const dir = join(options.stateDir, "subnets");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < span; i++) {
    const octet = first + ((start + i) % span);
    const file = join(dir, `${octet}.lock`);
    if (!tryLock(file, options.runId, pid)) continue;
    const needs = options.probe?.(octet) ?? [];
    const free = await Promise.all(needs.map((n) => portFree(n.host, n.port)));
    if (free.every(Boolean)) {
      return { octet, host: (index) => machineHost(octet, index), release: () => rmSync(file, { force: true }) };
    }
    rmSync(file, { force: true });
  }
  throw new NoSubnetError(
    `no free loopback subnet 127.X.0.0/24 with X in ${first}..${last} (locks in ${dir}); run \`exlab clean\``,
  );
}

/** Releases the lock of a subnet whatever its owner (used by `exlab clean` for dead runs). */
export function releaseSubnet(stateDir: string, octet: number): void {
  rmSync(join(stateDir, "subnets", `${octet}.lock`), { force: true });
}
