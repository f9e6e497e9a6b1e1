import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { cpus, hostname, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT, killAllChildren } from "./children";

/** What the numbers were measured on. */
export interface MachineInfo {
  date: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** 1, 5 and 15 minute load averages when the bench started. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  host: string;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    cores: c.length,
    cpu: c[0]?.model.trim() ?? "unknown",
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    kernel: release(),
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    host: hostname(),
  };
}

function newest(dir: string, ext: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Child processes run the compiled code: builds dist/ when it is missing or older than src/. */
export function ensureDist(log: (s: string) => void): void {
  const marker = join(ROOT, "dist", "exchange", "index.js");
  const stale = !existsSync(marker) || newest(join(ROOT, "src"), ".ts") > statSync(marker).mtimeMs;
  if (!stale) return;
  log("dist/ is missing or older than src/: npm run build …");
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error("npm run build failed");
}

/**
 * Leaves nothing behind: on exit every child process group is SIGKILLed; on SIGINT/SIGTERM `stopAsync` (labs)
 * runs first, bounded, then the process exits.
 */
export function installCleanup(stopAsync: () => Promise<void>, log: (s: string) => void): void {
  process.on("exit", () => killAllChildren());
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping everything the bench started …`);
    const timer = setTimeout(() => process.exit(130), 8000);
    void stopAsync()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        killAllChildren();
        process.exit(signal === "SIGINT" ? 130 : 143);
      });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

export function isEngineAnswering(): boolean {
  const r = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 10000 });
  return r.status === 0 && r.stdout.trim() !== "";
}
