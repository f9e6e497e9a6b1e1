import type { ChildProcess } from "node:child_process";
import * as path from "node:path";
import { ConflictError, HostFailedError, HostTimeoutError, MachineError, messageOf } from "./errors";
import { type HostCommand, type HostRecord, type HostToSupervisor } from "./ipc";
import type { LifecycleEvent } from "./machine-log";
import { launch } from "./launch";
import { ProcessLog } from "./process-log";
import type { HostSpec, ProcessSpec } from "./spec";

/**
 * A process's state in the supervisor.
 * `starting` → `running` (ready) → `stopping` → `stopped` | `crashed` (requested) | `exited` (unexpected).
 */
export type ProcessState = "starting" | "running" | "stopping" | "stopped" | "crashed" | "exited";

/** One process as `GET /processes` and `GET /health` show it. */
export interface ProcessStatus {
  name: string;
  address: string;
  kind: ProcessSpec["kind"];
  state: ProcessState;
  /** The OS pid of the current (or last) run. */
  pid: number | null;
  /** Runs started so far: 1 for the first start, 2 after one restart… */
  run: number;
  /** The exchange incarnation of the current (or last) run, known once it is ready. */
  incarnation: string | null;
  /** Up and every server endpoint listening. */
  ready: boolean;
  /** Exchange group → listening port, for server endpoints. */
  listening: Record<string, number>;
  /** How the last run ended. */
  exit: { code: number | null; signal: string | null } | null;
  /** Why the last start failed (not ready in time, exited first, could not be spawned…), else null. */
  failure: string | null;
  /** The user program it runs (argv), when it is not the generic host. */
  program: string[] | null;
  logPath: string;
}

/** Lines of the log a failed start reports. */
const START_FAILURE_LINES = 12;

const NOT_READY_HINT =
  ": a program is ready once it has called startExchangeNode() from exchange-lab; is it run directly (node …), " +
  "not through npm, npx or a shell?";

export interface HostHandleOptions {
  machine: string;
  bindHost: string;
  timing: HostSpec["timing"];
  runDir: string;
  onRecords(process: string, records: HostRecord[]): void;
  onLifecycle(process: string, event: LifecycleEvent): void;
  /** @default 15000 */
  startTimeoutMs?: number;
  /** The compiled host entry point. @default host-main.js next to this file */
  hostScript?: string;
}

/** The supervisor's handle on one process host: forks it, talks to it over IPC, signals it. */
export class HostHandle {
  private child: ChildProcess | null = null;
  private state: ProcessState = "exited";
  private run = 0;
  private incarnation: string | null = null;
  private listening: Record<string, number> = {};
  private exit: ProcessStatus["exit"] = null;
  private failure: string | null = null;
  private requested: "stop" | "crash" | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }
  >();
  private exitWaiters: (() => void)[] = [];
  readonly log: ProcessLog;

  constructor(
    readonly spec: ProcessSpec,
    private readonly opts: HostHandleOptions,
  ) {
    this.log = new ProcessLog(path.join(opts.runDir, `${spec.name}.log`));
  }

  get name(): string {
    return this.spec.name;
  }

  get alive(): boolean {
    return this.state === "starting" || this.state === "running" || this.state === "stopping";
  }

  status(): ProcessStatus {
    const { name, address, kind } = this.spec;
    return {
      name,
      address,
      kind,
      state: this.state,
      pid: this.child?.pid ?? null,
      run: this.run,
      incarnation: this.incarnation,
      ready: this.state === "running",
      listening: { ...this.listening },
      exit: this.exit,
      failure: this.failure,
      program: this.spec.program ? [...this.spec.program.argv] : null,
      logPath: this.log.path,
    };
  }

  /** Starts a new run (new incarnation, same spec) and resolves once it is ready. */
  start(): Promise<ProcessStatus> {
    if (this.alive)
      return Promise.reject(
        new ConflictError(`Process "${this.name}" is already ${this.state} (pid ${this.child?.pid})`, {
          state: this.state,
        }),
      );
    const run = ++this.run;
    Object.assign(this, {
      state: "starting",
      incarnation: null,
      listening: {},
      exit: null,
      requested: null,
      failure: null,
    });
    const spec: HostSpec = {
      machine: this.opts.machine,
      bindHost: this.opts.bindHost,
      timing: this.opts.timing,
      process: this.spec,
    };
    const what = this.spec.program ? `program ${JSON.stringify(this.spec.program.argv.join(" "))}` : "the host";
    this.log.line(
      `--- ${new Date().toISOString()} supervisor: starting run ${run} of "${this.spec.address}" (${what})`,
    );
    let child: ChildProcess;
    try {
      child = launch(spec, this.log, this.opts.hostScript ?? path.join(__dirname, "host-main.js"));
    } catch (err) {
      this.state = "exited";
      this.failure = messageOf(err);
      this.opts.onLifecycle(this.name, { type: "failed", run, error: this.failure });
      return Promise.reject(
        new HostFailedError(`Process "${this.spec.address}" did not start: ${this.failure}`, this.startFailure(), err),
      );
    }
    this.child = child;
    return new Promise<ProcessStatus>((resolve, reject) => {
      const timeoutMs = this.spec.readyTimeoutMs ?? this.opts.startTimeoutMs ?? 15_000;
      const failed = (cause?: unknown) =>
        new HostFailedError(
          `Process "${this.spec.address}" did not start: ${this.failure}`,
          this.startFailure(),
          cause,
        );
      const timer = setTimeout(() => {
        this.markFailed(run, `not ready within ${timeoutMs} ms${this.spec.program ? NOT_READY_HINT : ""}`);
        this.signal("SIGKILL");
      }, timeoutMs);
      child.on("message", (m: HostToSupervisor) => {
        if (this.child !== child) return;
        if (m.kind === "ready") {
          clearTimeout(timer);
          Object.assign(this, { state: "running", incarnation: m.incarnation, listening: m.listening });
          this.opts.onLifecycle(this.name, {
            type: "started",
            pid: child.pid ?? -1,
            run,
            incarnation: m.incarnation,
            listening: m.listening,
          });
          resolve(this.status());
        } else if (m.kind === "failed") {
          clearTimeout(timer);
          this.markFailed(run, m.error);
          this.signal("SIGKILL");
        } else this.onMessage(m);
      });
      child.on("error", (err) => {
        if (child.pid !== undefined) return;
        clearTimeout(timer);
        this.state = "exited";
        this.markFailed(run, `it could not be started: ${err.message}`);
        reject(failed(err));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const expected = this.requested !== null;
        this.state = this.requested === "crash" ? "crashed" : this.requested === "stop" ? "stopped" : "exited";
        this.exit = { code, signal };
        this.log.line(`--- ${new Date().toISOString()} supervisor: run ${run} exited (code ${code}, signal ${signal})`);
        if (this.state === "exited" && this.incarnation === null)
          this.markFailed(
            run,
            `it exited before it was ready (exit code ${code}${signal ? `, signal ${signal}` : ""})`,
          );
        this.opts.onLifecycle(this.name, { type: "exited", pid: child.pid ?? -1, run, code, signal, expected });
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(
            new HostFailedError(`Process "${this.name}" exited (code ${code}, signal ${signal}) before answering`),
          );
        }
        this.pending.clear();
        reject(
          this.failure !== null
            ? failed()
            : new HostFailedError(`Process "${this.name}" exited during start (code ${code}, signal ${signal})`),
        );
        this.exitWaiters.splice(0).forEach((w) => w());
      });
    });
  }

  /** Records why this run did not start (the first reason wins); the start is rejected once the process is gone. */
  private markFailed(run: number, reason: string): void {
    if (this.failure !== null) return;
    this.failure = reason;
    this.opts.onLifecycle(this.name, { type: "failed", run, error: reason });
  }

  /**
   * What a failed start answers beside its message: the reason, the log's last lines (a program's last stderr
   * lines and the supervisor's own lines) and the log's path.
   */
  private startFailure(): { reason: string | null; log: string[]; logPath: string } {
    return { reason: this.failure, log: this.log.tail(START_FAILURE_LINES), logPath: this.log.path };
  }

  /** SIGKILL, as a crash; resolves once the process is gone. */
  async crash(): Promise<ProcessStatus> {
    this.mustBeAlive("crash");
    this.requested = "crash";
    this.opts.onLifecycle(this.name, { type: "crashed", pid: this.child?.pid ?? -1, run: this.run });
    this.signal("SIGKILL");
    await this.exited();
    return this.status();
  }

  /** SIGTERM (graceful: the host withdraws its services), SIGKILL after `deadlineMs`; resolves once gone. */
  async stop(deadlineMs = 5000): Promise<ProcessStatus> {
    this.mustBeAlive("stop");
    if (this.requested !== "crash") this.requested = "stop";
    if (this.state !== "stopping")
      this.opts.onLifecycle(this.name, { type: "stopped", pid: this.child?.pid ?? -1, run: this.run });
    this.state = "stopping";
    this.signal("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), deadlineMs);
    await this.exited();
    clearTimeout(timer);
    return this.status();
  }

  /** Sends a command to the host and resolves with its result (rejects with the host's error, mapped to its status). */
  command(command: HostCommand, timeoutMs = 5000): Promise<unknown> {
    const child = this.child;
    if (!child || this.state !== "running" || !child.connected) {
      return Promise.reject(
        new ConflictError(`Process "${this.name}" is not running (state ${this.state}); start it first`, {
          state: this.state,
        }),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HostTimeoutError(this.name, command.type, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ kind: "command", id, command }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(
          new HostFailedError(`Could not send "${command.type}" to process "${this.name}": ${err.message}`, {}, err),
        );
      });
    });
  }

  exited(): Promise<void> {
    return this.alive ? new Promise((resolve) => this.exitWaiters.push(resolve)) : Promise.resolve();
  }

  private onMessage(m: HostToSupervisor): void {
    if (m.kind === "records") this.opts.onRecords(this.name, m.records);
    else if (m.kind === "reply") {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else
        p.reject(new MachineError(m.error.code, m.error.message, { status: m.error.status, details: m.error.details }));
    }
  }

  private mustBeAlive(what: string): void {
    if (!this.alive)
      throw new ConflictError(`Cannot ${what} process "${this.name}": it is ${this.state}`, { state: this.state });
  }

  private signal(sig: NodeJS.Signals): void {
    try {
      this.child?.kill(sig);
    } catch {
      /* already gone */
    }
  }
}
