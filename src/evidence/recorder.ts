import type { ExchangeEvent } from "../exchange";
import type {
  LabEvent,
  LabFaultDescription,
  LabLifecycleState,
  LabWorkload,
  Operation,
  ReceivedReport,
  WorkloadReport,
} from "../lab";
import { runCheckers } from "./checkers";
import type { CheckResult } from "./checkers/types";
import { BadEventError } from "./errors";
import type { RecordedEvent, RecordedSchedule, ScenarioHistory, StepStatus, TopologySummary } from "./history";
import { type LabEventSource, recordLabEvent } from "./lab-intake";

export interface RecorderOptions {
  /** Epoch milliseconds. @default Date.now */
  clock?: () => number;
  topology: TopologySummary;
  runId: string;
  feature: string;
  scenario: string;
  tags?: string[];
  /** "processes" or "containers". */
  driver?: string;
}

export interface StepRecord {
  text: string;
  /** @default "" */
  keyword?: string;
  status: StepStatus;
  /** Ms since the scenario started (see {@link Recorder.now}). @default now − durationMs */
  startedAt?: number;
  durationMs: number;
  error?: string;
}

const EXCHANGE_TYPES = new Set(["link", "binding", "request-sent", "request", "report", "subscription", "anomaly"]);
/** The lab's lifecycle words, each once: the compiler says when the lab adds or drops one. */
const LIFECYCLE_WORDS: Record<LabLifecycleState, true> = {
  started: true,
  crashed: true,
  stopped: true,
  frozen: true,
  thawed: true,
  exited: true,
  ready: true,
};
const LIFECYCLE_STATES = new Set(Object.keys(LIFECYCLE_WORDS) as LabLifecycleState[]);
const STEP_STATUSES = new Set<StepStatus>(["passed", "failed", "skipped", "undefined", "pending", "ambiguous"]);

/**
 * Keeps one scenario's history on one clock: `t = clock() − clock at construction`. Entries are kept in
 * arrival order. Bad input throws a {@link BadEventError} and records nothing.
 *
 * A lab is recorded with `attach(startedLab)` (what it told so far, then everything it tells) or event by event
 * with `record(labEvent)`; steps come from whoever runs them (cucumber's hooks, the `exlab up` console).
 */
export class Recorder {
  private readonly clock: () => number;
  private readonly startedAt: number;
  private readonly events: RecordedEvent[] = [];
  private checks?: CheckResult[];
  /**
   * Why events an attached lab told were not recorded (a broken contract between lab and evidence): whoever
   * attached the lab decides what that means (the World fails the scenario).
   */
  readonly refused: string[] = [];

  constructor(private readonly options: RecorderOptions) {
    this.clock = options.clock ?? Date.now;
    this.startedAt = this.clock();
  }

  /** Ms since the scenario started. */
  now(): number {
    return Math.max(0, this.clock() - this.startedAt);
  }

  /** Records one lab event (see lab-intake.ts for what becomes what); throws a {@link BadEventError} for bad ones. */
  record(e: LabEvent): void {
    recordLabEvent(this, e);
  }

  /**
   * Records what the lab told so far, then every event it tells until the returned function is called. An event
   * that cannot be recorded is not thrown at the lab: its reason goes to {@link refused}.
   */
  attach(lab: LabEventSource): () => void {
    const take = (e: LabEvent) => {
      try {
        this.record(e);
      } catch (err) {
        this.refused.push((err as Error).message);
      }
    };
    for (const e of lab.events()) take(e);
    return lab.on(take);
  }

  exchange(machine: string, process: string, ev: ExchangeEvent): void {
    requireName("machine", machine);
    requireName("process", process);
    const problem = exchangeProblem(ev);
    if (problem)
      throw new BadEventError(`Exchange event from ${process} not recorded: ${problem}. Got ${preview(ev)}.`);
    this.push({ kind: "exchange", machine, process, event: ev });
  }

  fault(action: "applied" | "healed", faultId: string, fault: LabFaultDescription): void {
    if (action !== "applied" && action !== "healed")
      throw new BadEventError(`Fault action must be "applied" or "healed", got ${preview(action)}.`);
    requireName("faultId", faultId);
    if (!fault || typeof fault.type !== "string" || !Array.isArray(fault.targets)) {
      throw new BadEventError(
        `Fault ${faultId} not recorded: expected { type: string, targets: string[] }, got ${preview(fault)}.`,
      );
    }
    this.push({ kind: "fault", action, faultId, fault: { ...fault, targets: [...fault.targets] } });
  }

  lifecycle(target: string, state: LabLifecycleState, detail?: string): void {
    requireName("target", target);
    if (!LIFECYCLE_STATES.has(state))
      throw new BadEventError(
        `Lifecycle state of ${target} must be one of ${[...LIFECYCLE_STATES].join(", ")}; got ${preview(state)}.`,
      );
    this.push({ kind: "lifecycle", target, state, ...(detail !== undefined ? { detail } : {}) });
  }

  workload(action: "started" | "stopped", workload: LabWorkload): void {
    if (!workload || typeof workload.id !== "string" || typeof workload.process !== "string")
      throw new BadEventError(
        `Workload not recorded: expected { id, process, kind, service }, got ${preview(workload)}.`,
      );
    this.push({ kind: "workload", action, workload: { ...workload } });
  }

  /** A settled operation; its epoch-ms start and end become ms since the scenario started. */
  operation(process: string, op: Operation): void {
    requireName("process", process);
    if (!op || typeof op.workload !== "string" || !Number.isFinite(op.start) || !Number.isFinite(op.end))
      throw new BadEventError(`Operation from ${process} not recorded: got ${preview(op)}.`);
    this.push({
      kind: "operation",
      process,
      workload: op.workload,
      n: op.n,
      op: op.op,
      target: op.target,
      ...(op.subject !== undefined ? { subject: op.subject } : {}),
      start: op.start - this.startedAt,
      end: op.end - this.startedAt,
      outcome: op.outcome,
      ...(op.detail !== undefined ? { detail: op.detail } : {}),
    });
  }

  /** A workload's report received by `process`. */
  delivery(process: string, r: ReceivedReport & { content: WorkloadReport }): void {
    requireName("process", process);
    this.push({
      kind: "delivery",
      process,
      workload: r.content.workload,
      n: r.content.n,
      publisher: r.publisher,
      subject: r.subject,
      cached: r.cached,
      at: r.time - this.startedAt,
    });
  }

  /** A random fault schedule a step carried out (times as the step measured them on {@link now}'s clock). */
  schedule(s: Omit<RecordedSchedule, "id" | "t" | "kind">): void {
    if (!s || !Number.isInteger(s.seed) || !Array.isArray(s.faults) || !Array.isArray(s.actions))
      throw new BadEventError(`Schedule not recorded: expected { seed, faults, actions }, got ${preview(s)}.`);
    this.push({ kind: "schedule", ...s });
  }

  step(s: StepRecord): void {
    if (!s || typeof s.text !== "string")
      throw new BadEventError(`Step not recorded: expected { text, status, durationMs }, got ${preview(s)}.`);
    if (!STEP_STATUSES.has(s.status))
      throw new BadEventError(
        `Step "${s.text}" has status ${preview(s.status)}; expected one of ${[...STEP_STATUSES].join(", ")}.`,
      );
    const durationMs = Number.isFinite(s.durationMs) && s.durationMs >= 0 ? s.durationMs : 0;
    const t = this.now();
    const startedAt = s.startedAt ?? Math.max(0, t - durationMs);
    this.push(
      {
        kind: "step",
        text: s.text,
        keyword: s.keyword ?? "",
        status: s.status,
        startedAt,
        durationMs,
        ...(s.error !== undefined ? { error: s.error } : {}),
      },
      t,
    );
  }

  /** Runs every checker over the history so far and keeps the results in it. */
  check(): CheckResult[] {
    this.checks = runCheckers(this.history());
    return this.checks;
  }

  history(): ScenarioHistory {
    const o = this.options;
    return {
      runId: o.runId,
      feature: o.feature,
      scenario: o.scenario,
      tags: [...(o.tags ?? [])],
      startedAt: this.startedAt,
      ...(o.driver !== undefined ? { driver: o.driver } : {}),
      topology: o.topology,
      events: [...this.events],
      ...(this.checks ? { checks: this.checks } : {}),
    };
  }

  toJSON(): ScenarioHistory {
    return this.history();
  }

  private push(e: DistributiveOmit<RecordedEvent, "id" | "t">, t = this.now()): void {
    this.events.push({ ...e, id: this.events.length, t } as RecordedEvent);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function requireName(what: string, value: unknown): void {
  if (typeof value !== "string" || value === "")
    throw new BadEventError(`${what} must be a non-empty string, got ${preview(value)}.`);
}

function exchangeProblem(ev: unknown): string | undefined {
  if (!ev || typeof ev !== "object") return "it is not an object";
  const e = ev as Record<string, unknown>;
  if (typeof e.type !== "string" || !EXCHANGE_TYPES.has(e.type))
    return `unknown type ${preview(e.type)} (expected ${[...EXCHANGE_TYPES].join(", ")})`;
  if (typeof e.node !== "string" || typeof e.incarnation !== "string") return "node and incarnation must be strings";
  if (typeof e.seq !== "number" || !Number.isFinite(e.seq)) return "seq must be a number";
  if (typeof e.time !== "number" || !Number.isFinite(e.time)) return "time must be a number";
  return undefined;
}

function preview(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
