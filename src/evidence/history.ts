/**
 * The recorded history of one scenario: every process's exchange events, every fault and lifecycle action,
 * and every step, on ONE lab clock. Checkers, reports and the cucumber formatter read this shape; the lab's
 * World attaches it to each scenario as JSON (media type {@link HISTORY_MEDIA_TYPE}).
 */
import type { ExchangeEvent } from "../exchange";
import type { LabFaultDescription, LabLifecycleState } from "../lab";
import type { LabWorkload, OperationOutcome } from "../lab";
import type { RandomFaultsSettings, RealizedAction, ScheduledFault } from "../lab";

/** The media type the World uses for `this.attach(JSON.stringify(history), HISTORY_MEDIA_TYPE)`. */
export const HISTORY_MEDIA_TYPE = "application/vnd.exlab.history+json";

/** Fields every recorded entry has. */
export interface RecordedBase {
  /** Index in `ScenarioHistory.events` (0, 1, 2… in arrival order). */
  id: number;
  /** Milliseconds since the scenario started, on the lab's clock, when the entry reached the recorder. */
  t: number;
}

/**
 * An event a process emitted, as pulled over the control API. `t` is when the lab received it (events are
 * pulled in batches); `event.time` is the process's own clock. Order within one process incarnation is
 * `event.seq`, never `t`.
 */
export interface RecordedExchange extends RecordedBase {
  kind: "exchange";
  /** Machine name, e.g. "alpha". */
  machine: string;
  /** Process address, e.g. "alpha/billing" or "alpha/exchange". */
  process: string;
  event: ExchangeEvent;
}

/** A fault was applied or healed. An applied fault without a matching heal lasts to the end of the scenario. */
export interface RecordedFault extends RecordedBase {
  kind: "fault";
  action: "applied" | "healed";
  /** Pairs an `applied` with its `healed`. */
  faultId: string;
  /** As the lab's fault table describes it (its verb's name, targets and detail). */
  fault: LabFaultDescription;
}

/** A machine or a process changed state (a lab action, or an exit the lab noticed). */
export interface RecordedLifecycle extends RecordedBase {
  kind: "lifecycle";
  /** A machine ("alpha") or a process address ("alpha/billing"). */
  target: string;
  /** The lab's words, recorded as they are ("crashed", "ready"…). */
  state: LabLifecycleState;
  detail?: string;
}

export type StepStatus = "passed" | "failed" | "skipped" | "undefined" | "pending" | "ambiguous";

/** A Gherkin step finished. */
export interface RecordedStep extends RecordedBase {
  kind: "step";
  text: string;
  /** "Given ", "When ", "Then ", "And "… (as written), or "" when unknown. */
  keyword: string;
  status: StepStatus;
  /** When the step began, in ms since the scenario started (same clock as `t`). */
  startedAt: number;
  durationMs: number;
  /** The failure message, for a failed step. */
  error?: string;
}

/**
 * What a workload does and where (machine/workload.ts runs it inside `process`). `lifetime` (of a publish
 * workload's reports) and `timeoutMs` (of a call workload's requests) are read when the lab records them; the
 * checkers that need them say so in their notes when they are absent.
 */
export type WorkloadSummary = LabWorkload & { lifetime?: number; timeoutMs?: number };

/** A workload was started or stopped. One started and not stopped runs to the end of the scenario. */
export interface RecordedWorkload extends RecordedBase {
  kind: "workload";
  action: "started" | "stopped";
  workload: WorkloadSummary;
}

/**
 * One settled operation of a workload, as the process that ran it recorded it. `start`/`end` are in ms since the
 * scenario started, converted from the process's own epoch-ms clock (the host's clock: processes and containers
 * share the kernel's); `t` is when the lab received it.
 */
export interface RecordedOperation extends RecordedBase {
  kind: "operation";
  process: string;
  workload: string;
  /** 1, 2, 3… per workload, in start order. */
  n: number;
  op: "call" | "publish";
  target: string;
  subject?: string;
  start: number;
  end: number;
  /** `RESPONSE`, an exchange outcome kind (`FAILURE`, `SERVICE_UNAVAILABLE`…), `PUBLISHED`, `ERROR`, `UNSETTLED`. */
  outcome: OperationOutcome;
  /** FAILURE's code, an ERROR's message. */
  detail?: string;
}

/** A report of a publish workload (content `{ workload, n }`) received by a subscribing process. */
export interface RecordedDelivery extends RecordedBase {
  kind: "delivery";
  /** The receiving process. */
  process: string;
  workload: string;
  n: number;
  /** The publishing agent's id. */
  publisher: string;
  subject: string;
  /** Delivered from the cache (S-40) rather than as published. */
  cached: boolean;
  /** When the receiver got it, in ms since the scenario started (the receiver's clock). */
  at: number;
}

/**
 * A random fault schedule a step carried out (README "Random fault schedules"): its seed and settings, the faults
 * drawn, and every action done. The faults themselves are recorded as they happen (fault and lifecycle entries).
 */
export interface RecordedSchedule extends RecordedBase {
  kind: "schedule";
  /** The step that ran it: its place among the scenario's steps (0 = the first, a background's included), its text. */
  step: { index: number; text: string };
  seed: number;
  /** When the schedule began and when its last action ended, ms since the scenario started. */
  from: number;
  to: number;
  settings: RandomFaultsSettings;
  /** As drawn: `at` is ms after `from`. */
  faults: ScheduledFault[];
  /** As done: `at`/`startedAt` are ms after `from`. */
  actions: RealizedAction[];
  /** Why the schedule stopped early, when it did. */
  error?: string;
}

export type RecordedEvent =
  | RecordedSchedule
  | RecordedExchange
  | RecordedFault
  | RecordedLifecycle
  | RecordedStep
  | RecordedWorkload
  | RecordedOperation
  | RecordedDelivery;
export type RecordedKind = RecordedEvent["kind"];

/** An exchange endpoint of a process: its exchange group and whether it is a server or a client. */
export interface EndpointSummary {
  group: string;
  role: "server" | "client";
}

/** A service a process offers at start. */
export interface ServiceSummary {
  name: string;
  /** "*" (everyone), "" (this process only) or an exchange group name. */
  audience: string;
  /** Service groups joined at start. */
  groups: string[];
}

export interface ProcessSummary {
  /** "alpha/billing"; server processes are "alpha/exchange", "beta/exchange-admin"… */
  address: string;
  machine: string;
  /** "server": a process whose only job is an exchange server. */
  kind: "server" | "process";
  endpoints: EndpointSummary[];
  services: ServiceSummary[];
}

/** The exchange timing every process of the topology runs with (the plan's `timing`, in ms). */
export interface TimingSummary {
  /** Send a PING after this long without sending anything (S-13). */
  heartbeatMs: number;
  /** Close a link after this many heartbeats without receiving anything (S-14). */
  missedBeats: number;
  /** Delay between dial attempts, ±10% jitter (S-12). */
  retryDelayMs: number;
  /** Deadline of the handshake, and the STANDBY wait (S-9, S-11). */
  handshakeTimeoutMs: number;
  /** Default deadline of a request (S-31). */
  requestTimeoutMs: number;
}

/** Two processes that should share one ACTIVE link in `group` once the topology converged (a dial of the plan). */
export interface LinkSummary {
  /** The address that comes first in plan order. */
  a: string;
  b: string;
  group: string;
}

/** What the lab planned to run: the checkers use it to know each process's exchange groups. */
export interface TopologySummary {
  name: string;
  processes: ProcessSummary[];
  /** The exchanges' timing; absent in histories recorded before it was kept (the checkers then say so). */
  timing?: TimingSummary;
  /** Every link the plan dials (mutual dials once); absent in older histories. */
  links?: LinkSummary[];
}

export interface ScenarioHistory {
  /** The lab run this scenario belongs to. */
  runId: string;
  feature: string;
  scenario: string;
  tags: string[];
  /** Epoch ms at scenario start: `t = 0`. */
  startedAt: number;
  /** "processes" or "containers", when known. */
  driver?: string;
  topology: TopologySummary;
  /** In arrival order; `events[i].id === i`. */
  events: RecordedEvent[];
  /** Checker results, when the lab ran them. */
  checks?: CheckResult[];
  /** Where the logs of the scenario's machines, processes and fault proxy stay, when they were kept (a failure). */
  logsDir?: string;
}

/**
 * What a checker judges: an invariant of reference/exchange-semantics.md §4 ("I1"…), or a rule over the
 * workloads' operations and deliveries ("W1"…, README "Evidence: invariants and reports").
 */
export type InvariantId =
  | "I1"
  | "I3"
  | "I4"
  | "I5"
  | "I6"
  | "I8"
  | "I9"
  | "I10"
  | "I12"
  | "I15"
  | "I16"
  | "I17"
  | "I19"
  | "I20"
  | "W1"
  | "W2"
  | "W3"
  | "W4";

/** One broken invariant, with the recorded events that prove it. */
export interface Violation {
  invariant: InvariantId;
  /** Short name of the invariant, e.g. "Audience safety". */
  title: string;
  /** Plain English: which process saw what, from which agent/service, and why that is wrong. */
  message: string;
  /** The proof, in history order. */
  events: RecordedEvent[];
}

/** The verdict of one checker over one history. */
export interface CheckResult {
  invariant: InvariantId;
  title: string;
  /** "error": the checker itself threw (a malformed history or a checker bug); see `error`. */
  status: "passed" | "failed" | "error";
  violations: Violation[];
  /** How many observations the checker judged (bindings, links, deliveries…); 0 means nothing to check. */
  checked: number;
  /** What the checker could not judge and why (seq gaps, unknown peers…), and counters worth knowing. */
  notes: string[];
  /** For status "error": what went wrong. */
  error?: string;
}
