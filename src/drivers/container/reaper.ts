import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { distScript } from "../../runs";
import { defaultStateDir } from "../../runs";

/** The run's watchdog: a detached process that outlives a killed runner long enough to remove the run. */
export interface RunReaper {
  pid: number;
  /** The run closed normally: the watchdog exits without touching anything. Idempotent. */
  stop(): void;
}

export interface RunReaperOptions {
  runId: string;
  /** The run registry; the watchdog removes the run's record once the run is removed. @default defaultStateDir(env) */
  stateDir?: string;
  env: NodeJS.ProcessEnv;
  /** Where the watchdog writes what it did. */
  logFile: string;
}

/**
 * Starts `reaper-main.js` detached (own process group, so Ctrl-C at a terminal does not reach it) and unref'd (it
 * does not keep the runner alive). When its parent (this process) dies without calling `stop()` — SIGKILL, a
 * crash — it removes every container and network labelled with the run id, then the run's registry record, so
 * `exlab clean` finds nothing left of it. This is what testcontainers' ryuk would do, without its image.
 */
export function startRunReaper(options: RunReaperOptions): RunReaper {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, "a");
  const child = spawn(
    process.execPath,
    [
      distScript("drivers/container/reaper-main.js"),
      "--run",
      options.runId,
      "--state",
      options.stateDir ?? defaultStateDir(options.env),
    ],
    { detached: true, stdio: ["ignore", fd, fd], env: options.env },
  );
  closeSync(fd);
  child.on("error", () => {});
  child.unref();
  let stopped = false;
  return {
    pid: child.pid ?? -1,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        child.kill("SIGTERM");
      } catch {
        /* already gone */
      }
    },
  };
}
