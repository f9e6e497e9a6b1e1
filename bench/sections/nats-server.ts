import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { spawnWorker, type BenchChild } from "../lib/children";
import { until } from "../lib/stats";

/** Where nats-server came from, or why there is none. */
export type NatsBinary =
  { path: string; version: string; how: "PATH" | "installed with apt-get" } | { missing: string };

function onPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "").split(delimiter).concat(["/usr/sbin", "/usr/bin", "/sbin"]);
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

function version(path: string): string {
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 10000 });
  return (r.stdout || r.stderr || "").trim();
}

/** nats-server on PATH (or in /usr/sbin, /usr/bin, /sbin), never installing it. */
export function findNats(): NatsBinary | undefined {
  const found = onPath("nats-server");
  return found ? { path: found, version: version(found), how: "PATH" } : undefined;
}

/**
 * Finds Debian's nats-server on PATH, or installs it with apt-get when running as root on Debian (running
 * `apt-get update` once if the first attempt fails). Never throws: says why when there is none.
 */
export function findOrInstallNats(log: (s: string) => void): NatsBinary {
  const found = findNats();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!existsSync("/etc/debian_version"))
    return { missing: "nats-server is not on PATH and this is not Debian (install nats-server to measure NATS)" };
  if (!isRoot)
    return {
      missing: "nats-server is not on PATH and the bench is not root (run `apt-get install -y nats-server` as root)",
    };
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "-q", "nats-server"], { env, encoding: "utf8", timeout: 300000 });
  log("nats-server missing: apt-get install -y nats-server …");
  let r = install();
  if (r.status !== 0) {
    log("apt-get install failed; apt-get update and retry …");
    spawnSync("apt-get", ["update", "-q"], { env, encoding: "utf8", timeout: 300000 });
    r = install();
  }
  const path = onPath("nats-server");
  if (r.status !== 0 || !path) {
    const why = (r.stderr || r.stdout || r.error?.message || "").trim().split("\n").slice(-2).join(" ");
    return { missing: `apt-get install -y nats-server failed: ${why}` };
  }
  return { path, version: version(path), how: "installed with apt-get" };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface NatsCluster {
  /** Client URLs of the three servers, in order A, B, C. */
  urls: string[];
  servers: BenchChild[];
  /** The nats-server processes' own pids (each runs under a node wrapper). */
  serverPids: number[];
  stop(): Promise<void>;
}

/** Three nats-server processes with full-mesh routes on 127.0.0.1; resolves when every server has 2 routes. */
export async function startNatsCluster(bin: string): Promise<NatsCluster> {
  const ports = await Promise.all(Array.from({ length: 9 }, freePort));
  const [client, cluster, monitor] = [ports.slice(0, 3), ports.slice(3, 6), ports.slice(6, 9)];
  const servers: BenchChild[] = [];
  const serverPids: number[] = [];
  const stop = async () => void (await Promise.all(servers.map((s) => s.stop())));
  try {
    for (let i = 0; i < 3; i++) {
      const routes = cluster.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`);
      const args = ["-a", "127.0.0.1", "-p", String(client[i]), "-m", String(monitor[i]), "-n", `bench-n${i}`];
      args.push(
        "--cluster_name",
        "bench",
        "--cluster",
        `nats://127.0.0.1:${cluster[i]}`,
        "--routes",
        routes.join(","),
        "--no_advertise",
      );
      const s = spawnWorker(`nats-server ${i}`, "exec", { command: bin, args });
      servers.push(s);
      serverPids.push(Number((await s.next("ready", 10000)).pid));
    }
    await until(
      async () => {
        const counts = await Promise.all(monitor.map((m) => routeCount(m)));
        return counts.every((n) => n === 2);
      },
      "NATS cluster routes (2 per server)",
      20000,
      50,
    );
    return { urls: client.map((p) => `127.0.0.1:${p}`), servers, serverPids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function routeCount(monitorPort: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${monitorPort}/routez`);
    return ((await res.json()) as { num_routes?: number }).num_routes ?? 0;
  } catch {
    return -1;
  }
}
