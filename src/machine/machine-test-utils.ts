// Test helpers: start a REAL supervisor child process and drive it through MachineClient. Not part of the door.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { MachineClient } from "./client";
import { MACHINE_SPEC_ENV, READY_PREFIX } from "./ipc";
import type { MachineSpec, ProcessSpecInput } from "./spec";
import { waitFor } from "./wait-for";

/** Small exchange timings so tests converge and detect failures in well under a second. */
export const FAST_TIMING = {
  heartbeatMs: 150,
  missedBeats: 3,
  retryDelayMs: 200,
  handshakeTimeoutMs: 1000,
  requestTimeoutMs: 3000,
};

export interface StartedMachine {
  client: MachineClient;
  child: ChildProcess;
  pid: number;
  controlPort: number;
  runDir: string;
  /** Everything the supervisor wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after `deadlineMs`), and removes runDir. */
  stop(deadlineMs?: number): Promise<{ code: number | null; signal: string | null }>;
  /** Resolves when the supervisor has exited. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * A port that was free a moment ago on `host`, chosen below Linux's ephemeral range (32768+) so that no
 * outgoing connection can take it before the test's listener binds it.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, host, () => srv.close(() => resolve(true)));
    });
    if (free) return port;
    if (attempt > 50) throw new Error(`no free port found on ${host} in 20000-31999`);
  }
}

/** Shorthand for a process spec on `machine`. */
export function proc(
  machine: string,
  name: string,
  p: Omit<ProcessSpecInput, "address" | "name" | "nodeName" | "kind"> & { kind?: "server" | "process" },
): ProcessSpecInput {
  return {
    address: `${machine}/${name}`,
    name,
    nodeName: `${machine}/${name}`,
    kind: p.kind ?? "process",
    endpoints: p.endpoints,
    services: p.services,
    ...(p.program ? { program: p.program } : {}),
    ...(p.readyTimeoutMs ? { readyTimeoutMs: p.readyTimeoutMs } : {}),
  };
}

/** Starts `node dist/machine/main.js` with the spec (controlPort 0), racing EXLAB_READY against an early exit. */
export async function startMachine(
  spec: Omit<MachineSpec, "runDir" | "controlPort" | "bindHost" | "timing" | "processes"> & {
    processes: ProcessSpecInput[];
    bindHost?: string;
    timing?: MachineSpec["timing"];
  },
): Promise<StartedMachine> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `exlab-machine-${spec.machine.replace(/[^\w.-]/g, "_")}-`));
  const full = { bindHost: "127.0.0.1", timing: FAST_TIMING, ...spec, controlPort: 0, runDir };
  const child = spawn(process.execPath, [path.join(__dirname, "main.js")], {
    env: { ...process.env, [MACHINE_SPEC_ENV]: JSON.stringify(full), EXLAB_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  let isReady = false;
  const ready = await new Promise<{ controlPort: number; pid: number }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`supervisor not ready in 10 s; stderr: ${err}`)), 10_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith(READY_PREFIX));
      if (line) {
        isReady = true;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY_PREFIX.length)));
      }
    });
    void exited.then(({ code, signal }) => {
      if (isReady) return; // runDir stays for the test to read; stop() removes it
      clearTimeout(timer);
      fs.rmSync(runDir, { recursive: true, force: true });
      reject(new Error(`supervisor exited early (code ${code}, signal ${signal}); stderr: ${err}`));
    });
  });
  child.stdout.resume();
  const stop = async (deadlineMs = 8000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    const r = await exited;
    clearTimeout(t);
    fs.rmSync(runDir, { recursive: true, force: true });
    return r;
  };
  return {
    client: new MachineClient({ host: full.bindHost, port: ready.controlPort }),
    child,
    pid: ready.pid,
    controlPort: ready.controlPort,
    runDir,
    stderr: () => err,
    stop,
    exited,
  };
}

/** True while `pid` is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return process.platform !== "linux";
  }
}

/** Waits until process `p` of the machine sees (or no longer sees) service `name`. */
export function waitSeen(
  client: MachineClient,
  p: string,
  name: string,
  present = true,
  timeoutMs = 5000,
): Promise<unknown> {
  return waitFor(async () => (await client.view(p)).seen.services.includes(name) === present, {
    timeoutMs,
    message: `process "${p}" ${present ? "to see" : "to no longer see"} service "${name}"`,
  });
}
