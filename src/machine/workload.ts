import type { OutcomeKind, ServiceAgent } from "../exchange";

/**
 * Background traffic run inside a process (not in the test runner), so that a frozen runner or a slow control API
 * cannot skew it. Every operation is recorded when it settles, with the process's own epoch-ms clock.
 *
 * - `calls`: requests from the process's anonymous agent to `service`. Open loop (`everyMs`: one call per period,
 *   however many are in flight) or closed loop (`inFlight`: that many outstanding; the next starts when one
 *   settles, no sooner than `everyMs` after the previous start when both are given).
 * - `publish`: the process's service `service` publishes `{ workload, n }` on `subject` every `everyMs`.
 *
 * Periods are kept against the clock, never caught up: after a freeze the next operation starts at once and the
 * schedule resumes from then, so a thaw does not fire a burst of the operations the freeze prevented.
 */
export type WorkloadSpec =
  | {
      id: string;
      kind: "calls";
      service: string;
      method?: string;
      args?: unknown;
      everyMs?: number;
      inFlight?: number;
      timeoutMs?: number;
    }
  | { id: string; kind: "publish"; service: string; subject: string; everyMs: number; lifetime?: number };

/** How an operation settled: the exchange's outcome kind (`RESPONSE` for a call answered, `PUBLISHED`), or why not. */
export type OperationOutcome = OutcomeKind | "PUBLISHED" | "ERROR" | "UNSETTLED";

/** One settled operation of a workload. */
export interface Operation {
  workload: string;
  /** 1, 2, 3… per workload, in start order. */
  n: number;
  op: "call" | "publish";
  /** The service called, or the publishing service. */
  target: string;
  subject?: string;
  /** Epoch ms on the process's clock. */
  start: number;
  end: number;
  outcome: OperationOutcome;
  /** FAILURE's code, an ERROR's message. */
  detail?: string;
}

/** The content a `publish` workload sends: subscribers judge loss, duplicates and order from it. */
export interface WorkloadReport {
  workload: string;
  n: number;
}

export interface WorkloadContext {
  /** The agent that calls (the process's anonymous agent). */
  caller: ServiceAgent;
  /** A service this process offers, to publish as. */
  publisher(service: string): ServiceAgent;
  now(): number;
  record(op: Operation): void;
}

/** A running workload; `stop()` resolves once its in-flight calls settled (or were given up as UNSETTLED). */
export class Workload {
  private n = 0;
  private readonly inFlight = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastStart = -Infinity;
  private settledWaiters: (() => void)[] = [];

  constructor(
    readonly spec: WorkloadSpec,
    private readonly ctx: WorkloadContext,
  ) {}

  start(): void {
    if (this.spec.kind === "publish" || this.spec.inFlight === undefined) this.tick();
    else for (let i = 0; i < this.spec.inFlight; i++) this.next();
  }

  /** Stops starting operations; waits up to `graceMs` for the ones in flight, then records them UNSETTLED. */
  async stop(graceMs: number): Promise<{ started: number; unsettled: number }> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.settledWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    const unsettled = [...this.inFlight];
    this.inFlight.clear();
    for (const [n, start] of unsettled) this.settle(n, start, "UNSETTLED");
    return { started: this.n, unsettled: unsettled.length };
  }

  /** Open loop and publications: one operation per period. */
  private tick(): void {
    if (this.stopped) return;
    const every = this.spec.everyMs ?? 0;
    const now = this.ctx.now();
    this.operate();
    const planned = now + every;
    this.timer = setTimeout(() => this.tick(), Math.max(0, planned - this.ctx.now()));
  }

  /** Closed loop: start the next call, no sooner than `everyMs` after the previous start. */
  private next(): void {
    if (this.stopped) return;
    const wait = this.lastStart + (this.spec.everyMs ?? 0) - this.ctx.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.next(), wait);
      return;
    }
    this.operate();
  }

  private operate(): void {
    const n = ++this.n;
    const start = this.ctx.now();
    this.lastStart = start;
    const spec = this.spec;
    if (spec.kind === "publish") {
      try {
        this.ctx
          .publisher(spec.service)
          .publishReport(spec.subject, { workload: spec.id, n } satisfies WorkloadReport, {
            lifetime: spec.lifetime ?? 0,
          });
        this.record(n, start, "PUBLISHED");
      } catch (err) {
        this.record(n, start, "ERROR", err instanceof Error ? err.message : String(err));
      }
      return;
    }
    this.inFlight.set(n, start);
    this.ctx.caller
      .request(spec.service, spec.method ?? "identify", spec.args ?? null, {
        ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
      })
      .then(
        (o) => this.settle(n, start, o.kind, o.kind === "FAILURE" ? String(o.code) : undefined),
        (err: unknown) => this.settle(n, start, "ERROR", err instanceof Error ? err.message : String(err)),
      );
  }

  private settle(n: number, start: number, outcome: OperationOutcome, detail?: string): void {
    if (outcome !== "UNSETTLED" && !this.inFlight.delete(n)) return; // given up at stop: settled once already
    this.record(n, start, outcome, detail);
    if (this.inFlight.size === 0) this.settledWaiters.splice(0).forEach((w) => w());
    if (this.spec.kind === "calls" && this.spec.inFlight !== undefined) this.next();
  }

  private record(n: number, start: number, outcome: OperationOutcome, detail?: string): void {
    const spec = this.spec;
    this.ctx.record({
      workload: spec.id,
      n,
      op: spec.kind === "publish" ? "publish" : "call",
      target: spec.service,
      ...(spec.kind === "publish" ? { subject: spec.subject } : {}),
      start,
      end: this.ctx.now(),
      outcome,
      ...(detail !== undefined ? { detail } : {}),
    });
  }
}
