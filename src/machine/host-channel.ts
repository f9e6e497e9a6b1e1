import type { ExchangeLogger, ExchangeNode } from "../exchange";
import { ProcessHost, type BrokenExchange } from "./host";
import type { HostErrorPayload, HostRecord, HostToSupervisor, SupervisorToHost } from "./ipc";
import type { HostSpec } from "./spec";

export interface HostChannelOptions {
  /** Turns a failed command's error into the payload the supervisor answers with. */
  errorPayload(err: unknown): HostErrorPayload;
  /** The IPC send function. @default process.send */
  send?: (msg: HostToSupervisor, cb?: (err: Error | null) => void) => void;
  /** Passed to the ProcessHost (see ProcessHostOptions.broken). */
  broken?: BrokenExchange;
  /** A user program's own node (see ProcessHostOptions.node). */
  node?: ExchangeNode;
}

/**
 * Binds a {@link ProcessHost} to the supervisor's IPC channel: pushes records batched per tick, answers
 * commands (flushing pending records first, so a reply never overtakes the events it caused).
 */
export class HostChannel {
  readonly host: ProcessHost;
  private batch: HostRecord[] = [];
  private scheduled = false;
  private readonly send: NonNullable<HostChannelOptions["send"]>;

  constructor(
    readonly spec: HostSpec,
    private readonly logger: ExchangeLogger,
    private readonly opts: HostChannelOptions,
  ) {
    this.send =
      opts.send ??
      ((msg, cb) =>
        process.connected && process.send
          ? process.send(msg, undefined, undefined, cb)
          : cb?.(new Error("IPC channel closed")));
    this.host = new ProcessHost(spec, {
      logger,
      onRecord: (r) => this.push(r),
      broken: opts.broken,
      node: opts.node,
    });
    process.on("message", (m: SupervisorToHost) => void this.onMessage(m));
  }

  /** Tells the supervisor the process cannot start as asked (it fails the start at once with this reason). */
  failed(error: string): Promise<void> {
    return new Promise((resolve) => this.send({ kind: "failed", error }, () => resolve()));
  }

  async start(): Promise<void> {
    const { address } = this.spec.process;
    this.logger.info({}, `Starting "${address}"…`);
    const listening = await this.host.start();
    this.flush();
    this.send({ kind: "ready", incarnation: this.host.node.incarnation, listening });
    this.logger.info({ incarnation: this.host.node.incarnation, listening }, `Started "${address}"`);
  }

  /** Closes the node gracefully (at most `deadlineMs`), flushes the last records; resolves with the exit code. */
  async shutdown(deadlineMs: number): Promise<number> {
    this.logger.info({}, `Stopping "${this.spec.process.address}"…`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(1), deadlineMs)));
    const code = await Promise.race([
      this.host.close().then(
        () => 0,
        () => 1,
      ),
      late,
    ]);
    clearTimeout(timer);
    this.logger.info({ code }, `Stopped "${this.spec.process.address}"`);
    await new Promise<void>((resolve) => this.flush(() => resolve()));
    return code;
  }

  private push(record: HostRecord): void {
    this.batch.push(record);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(cb?: () => void): void {
    this.scheduled = false;
    const records = this.batch;
    this.batch = [];
    if (records.length === 0) {
      cb?.();
      return;
    }
    this.send({ kind: "records", records }, () => cb?.());
  }

  private async onMessage(m: SupervisorToHost): Promise<void> {
    if (m?.kind !== "command") return;
    let reply: HostToSupervisor;
    try {
      reply = { kind: "reply", id: m.id, ok: true, result: (await this.host.execute(m.command)) ?? null };
    } catch (err) {
      reply = { kind: "reply", id: m.id, ok: false, error: this.opts.errorPayload(err) };
    }
    this.flush();
    this.send(reply);
  }
}
