import * as fs from "node:fs";
import { ConflictError, NotFoundError } from "./errors";
import { HostHandle, type ProcessStatus } from "./host-handle";
import type { HostCommand, HostRecord } from "./ipc";
import { Journal, journalPath } from "./journal";
import { SeqLog, type LifecycleEvent, type MachineLogEntry } from "./machine-log";
import type { MachineSpec, ProcessSpec } from "./spec";

export interface SupervisorOptions {
  /** Epoch-ms clock stamping machine-log entries. @default Date.now */
  now?: () => number;
  /** Lines to stderr of the supervisor itself. @default writes to process.stderr */
  log?: (line: string) => void;
  /** How long a host may take to become ready. @default 15000 */
  startTimeoutMs?: number;
  /** How long a graceful stop may take before SIGKILL. @default 5000 */
  stopTimeoutMs?: number;
  /** Machine-log entries kept in memory. @default 200000 */
  logCapacity?: number;
  /** The compiled host entry point. @default host-main.js next to host-handle.js */
  hostScript?: string;
  /** Where the machine log is also written (journal.ts); false: nowhere. @default `<runDir>/events.ndjson` */
  journal?: string | false;
}

/** The machine's health: `ready` once every process is running with its endpoints listening. */
export interface MachineHealth {
  machine: string;
  ready: boolean;
  pid: number;
  processes: ProcessStatus[];
}

/**
 * Starts one host per process of a machine spec, restarts or kills them on request, and aggregates
 * their events into the machine log. A host that dies unexpectedly is reported, never restarted.
 */
export class Supervisor {
  private readonly hosts = new Map<string, HostHandle>();
  readonly events: SeqLog<MachineLogEntry>;
  private readonly now: () => number;
  private readonly say: (line: string) => void;
  private readonly journal: Journal | undefined;
  private closing = false;

  constructor(
    readonly spec: MachineSpec,
    private readonly opts: SupervisorOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.say = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.events = new SeqLog(opts.logCapacity);
    fs.mkdirSync(spec.runDir, { recursive: true });
    if (opts.journal !== false) this.journal = new Journal(opts.journal ?? journalPath(spec.runDir));
  }

  /** Starts every declared process; resolves when all are ready (rejects with the first failure, others keep going). */
  async start(): Promise<void> {
    this.say(`Starting machine "${this.spec.machine}" with ${this.spec.processes.length} process(es)…`);
    await Promise.all(this.spec.processes.map((p) => this.add(p)));
    this.say(`Started machine "${this.spec.machine}"`);
  }

  /** Adds a process (declared or new at run time) and starts it. */
  async add(spec: ProcessSpec): Promise<ProcessStatus> {
    if (this.closing) throw new ConflictError(`Machine "${this.spec.machine}" is shutting down`);
    if (this.hosts.has(spec.name))
      throw new ConflictError(`Process "${spec.name}" already exists on machine "${this.spec.machine}"`, {
        known: this.names(),
      });
    const host = new HostHandle(spec, {
      machine: this.spec.machine,
      bindHost: this.spec.bindHost,
      timing: this.spec.timing,
      runDir: this.spec.runDir,
      startTimeoutMs: this.opts.startTimeoutMs,
      hostScript: this.opts.hostScript,
      onRecords: (p, records) => this.record(p, records),
      onLifecycle: (p, event) => this.lifecycle(p, event),
    });
    this.hosts.set(spec.name, host);
    return host.start();
  }

  health(): MachineHealth {
    const processes = this.processes();
    return { machine: this.spec.machine, ready: processes.every((p) => p.ready), pid: process.pid, processes };
  }

  processes(): ProcessStatus[] {
    return [...this.hosts.values()].map((h) => h.status());
  }

  names(): string[] {
    return [...this.hosts.keys()];
  }

  host(name: string): HostHandle {
    const h = this.hosts.get(name);
    if (!h) throw new NotFoundError("process", name, this.names());
    return h;
  }

  command(name: string, command: HostCommand, timeoutMs?: number): Promise<unknown> {
    return this.host(name).command(command, timeoutMs);
  }

  startProcess(name: string): Promise<ProcessStatus> {
    if (this.closing) throw new ConflictError(`Machine "${this.spec.machine}" is shutting down`);
    return this.host(name).start();
  }

  crash(name: string): Promise<ProcessStatus> {
    return this.host(name).crash();
  }

  stop(name: string): Promise<ProcessStatus> {
    return this.host(name).stop(this.opts.stopTimeoutMs);
  }

  /** Stops every host gracefully (SIGKILL after the stop deadline) and closes the logs. */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.say(`Stopping machine "${this.spec.machine}"…`);
    await Promise.all([...this.hosts.values()].map((h) => (h.alive ? h.stop(this.opts.stopTimeoutMs) : undefined)));
    await Promise.all([...this.hosts.values()].map((h) => h.log.close()));
    this.journal?.close();
    this.events.wakeAll();
    this.say(`Stopped machine "${this.spec.machine}"`);
  }

  private record(process: string, records: HostRecord[]): void {
    const time = this.now();
    this.journal?.append(
      records.map((r) => this.events.append((mseq) => ({ mseq, time, process, ...r }) as MachineLogEntry)),
    );
  }

  private lifecycle(process: string, event: LifecycleEvent): void {
    const time = this.now();
    this.journal?.append([this.events.append((mseq) => ({ mseq, time, process, kind: "lifecycle", event }))]);
    const detail =
      event.type === "exited"
        ? ` (code ${event.code}, signal ${event.signal}${event.expected ? "" : ", unexpected"})`
        : "";
    this.say(`Process "${process}": ${event.type}${detail}`);
  }
}
