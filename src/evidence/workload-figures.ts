/**
 * Figures of a history's workloads, for the assertion steps, the report's table and the workload checkers alike:
 * availability, latency percentiles inside and outside the fault windows, recovery time after each heal, and an
 * audit of each subscriber's reports (lost, doubled, reordered). Pure functions of the history; fault windows and
 * convergence come from windows.ts.
 */
import { matchSubject } from "../exchange";
import type {
  RecordedDelivery,
  RecordedExchange,
  RecordedOperation,
  RecordedWorkload,
  ScenarioHistory,
  WorkloadSummary,
} from "./history";
import {
  convergence,
  faultedIntervals,
  faultWindows,
  historyEndT,
  incarnations,
  inside,
  type FaultWindow,
  type Interval,
  LAG_ALLOWANCE_MS,
  mergeIntervals,
  placedTimes,
  rawFaultIntervals,
  timingOf,
  touches,
  windowAllowanceMs,
} from "./windows";

/** One workload as the history recorded it. */
export interface WorkloadRecord {
  workload: WorkloadSummary;
  started: RecordedWorkload;
  /** Absent when it ran to the end of the scenario. */
  stopped?: RecordedWorkload;
  /** In history order. */
  operations: RecordedOperation[];
  /** Its reports that subscribers received, in history order. */
  deliveries: RecordedDelivery[];
}

const recordCache = new WeakMap<object, { length: number; records: WorkloadRecord[] }>();

/** Every workload of the history, in start order (cached per history). */
export function workloadRecords(h: ScenarioHistory): WorkloadRecord[] {
  const hit = recordCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.records;
  const byId = new Map<string, WorkloadRecord>();
  const pendingOps: RecordedOperation[] = [];
  const pendingDeliveries: RecordedDelivery[] = [];
  for (const e of h.events) {
    if (e.kind === "workload") {
      const r = byId.get(e.workload.id);
      if (e.action === "started" && !r)
        byId.set(e.workload.id, { workload: e.workload, started: e, operations: [], deliveries: [] });
      else if (e.action === "stopped" && r && !r.stopped) r.stopped = e;
    } else if (e.kind === "operation") pendingOps.push(e);
    else if (e.kind === "delivery") pendingDeliveries.push(e);
  }
  for (const o of pendingOps) byId.get(o.workload)?.operations.push(o);
  for (const d of pendingDeliveries) byId.get(d.workload)?.deliveries.push(d);
  const records = [...byId.values()];
  recordCache.set(h.events, { length: h.events.length, records });
  return records;
}

/** The workloads that match: calls from `process` to `service`, or publications of `service` in `process`… */
export function findWorkloads(
  h: ScenarioHistory,
  o: { process?: string; service?: string; kind?: "calls" | "publish"; subject?: string; id?: string } = {},
): WorkloadRecord[] {
  return workloadRecords(h).filter(
    (r) =>
      (o.id === undefined || r.workload.id === o.id) &&
      (o.process === undefined || r.workload.process === o.process) &&
      (o.service === undefined || r.workload.service === o.service) &&
      (o.kind === undefined || r.workload.kind === o.kind) &&
      (o.subject === undefined || r.workload.subject === o.subject),
  );
}

/** "w1 (calls from gamma/reporter to "billing")", "w2 (service "billing" in alpha/billing publishing on "price")". */
export function describeWorkload(w: WorkloadSummary): string {
  return w.kind === "calls"
    ? `${w.id} (calls from ${w.process} to service "${w.service}")`
    : `${w.id} (service "${w.service}" in ${w.process} publishing on "${w.subject ?? "?"}")`;
}

/** A call answered (RESPONSE) or a report published (PUBLISHED). */
export function succeeded(op: RecordedOperation): boolean {
  return op.outcome === "RESPONSE" || op.outcome === "PUBLISHED";
}

export function latencyOf(op: RecordedOperation): number {
  return op.end - op.start;
}

// ── availability and latency ──────────────────────────────────────────────────────────────────────────────

export interface Availability {
  operations: number;
  succeeded: number;
  failed: number;
  /** Operations by outcome ("RESPONSE", "SERVICE_UNAVAILABLE", "UNSETTLED"…). */
  byOutcome: Record<string, number>;
  /** succeeded / operations; undefined when there were none. */
  ratio?: number;
}

/** How many operations succeeded (RESPONSE, PUBLISHED) and how the others settled. UNSETTLED counts as failed. */
export function availability(ops: readonly RecordedOperation[]): Availability {
  const byOutcome: Record<string, number> = {};
  let ok = 0;
  for (const op of ops) {
    byOutcome[op.outcome] = (byOutcome[op.outcome] ?? 0) + 1;
    if (succeeded(op)) ok++;
  }
  return {
    operations: ops.length,
    succeeded: ok,
    failed: ops.length - ok,
    byOutcome,
    ...(ops.length > 0 ? { ratio: ok / ops.length } : {}),
  };
}

/** The nearest-rank percentile (p in 0..100) of the values; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface LatencyFigures {
  /** How many successful operations the figures are over. */
  count: number;
  p50?: number;
  p99?: number;
  max?: number;
}

/** Latency (end − start, ms) of the operations that succeeded: a fast refusal is not a fast answer. */
export function latency(ops: readonly RecordedOperation[]): LatencyFigures {
  const values = ops.filter(succeeded).map(latencyOf);
  if (values.length === 0) return { count: 0 };
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: Math.max(...values),
  };
}

/**
 * Operations split by the fault windows: `outside` touched no window (widened by the detection allowance, or as
 * they happened with `{ widened: false }`), `inside` touched one.
 */
export function splitByWindows(
  h: ScenarioHistory,
  ops: readonly RecordedOperation[],
  o: { widened?: boolean } = {},
): { inside: RecordedOperation[]; outside: RecordedOperation[] } {
  const windows = o.widened === false ? rawFaultIntervals(h) : faultedIntervals(h);
  const split = { inside: [] as RecordedOperation[], outside: [] as RecordedOperation[] };
  for (const op of ops) (touches(op.start, op.end, windows) ? split.inside : split.outside).push(op);
  return split;
}

/** The operations that began and settled while the mesh was converged (windows.ts `convergence`). */
export function whileConverged(h: ScenarioHistory, ops: readonly RecordedOperation[]): RecordedOperation[] {
  const periods = convergence(h).periods;
  return ops.filter((op) => inside(op.start, op.end, periods));
}

// ── recovery ──────────────────────────────────────────────────────────────────────────────────────────────

/** How the operations came back after a heal (the end of a fault window, or of an outage, when no other was active). */
export interface Recovery {
  /** When the last active window ended (ms since the scenario started). */
  healedAt: number;
  /** The windows that ended there. */
  windows: FaultWindow[];
  /**
   * When the operations succeeded again for good: the end of the first operation that began after the heal and
   * after which every operation succeeded, of those settled before the next window (widened) began. Absent when
   * they never did.
   */
  recoveredAt?: number;
  /** recoveredAt − healedAt. */
  recoveryMs?: number;
  /** Operations that began after the heal and failed before the recovery. */
  failedAfter: number;
  /** Operations that began after the heal and settled before the next window (or the end). */
  operations: number;
}

/** Recovery after each heal, in time order. */
export function recoveries(h: ScenarioHistory, ops: readonly RecordedOperation[]): Recovery[] {
  const merged = rawFaultIntervals(h);
  const windows = faultWindows(h);
  const allowance = windowAllowanceMs(h);
  const sorted = [...ops].sort((a, b) => a.start - b.start || a.n - b.n);
  const out: Recovery[] = [];
  merged.forEach((iv, i) => {
    if (!Number.isFinite(iv.to)) return;
    // The lab records a crash or a fault once it is done: operations may fail a little before the next window's
    // entry, so they count only until its widened start.
    const next = (merged[i + 1]?.from ?? Infinity) - allowance;
    const after = sorted.filter((op) => op.start >= iv.to && op.end < next);
    const ended = windows.filter((w) => w.ended && w.end <= iv.to && w.end >= iv.from);
    let firstGood = after.length;
    for (let k = after.length - 1; k >= 0 && succeeded(after[k]); k--) firstGood = k;
    const good = after[firstGood];
    out.push({
      healedAt: iv.to,
      windows: ended.filter((w) => w.end === iv.to).length > 0 ? ended.filter((w) => w.end === iv.to) : ended,
      ...(good ? { recoveredAt: good.end, recoveryMs: good.end - iv.to } : {}),
      failedAfter: after.slice(0, firstGood).filter((op) => !succeeded(op)).length,
      operations: after.length,
    });
  });
  return out;
}

// ── per workload ──────────────────────────────────────────────────────────────────────────────────────────

export interface WorkloadFigures {
  workload: WorkloadSummary;
  /** All its operations. */
  all: Availability;
  /** Those that touched no (widened) fault window. */
  outsideWindows: Availability;
  latency: LatencyFigures;
  latencyInsideWindows: LatencyFigures;
  latencyOutsideWindows: LatencyFigures;
  recoveries: Recovery[];
}

/** The figures the report's table, the JUnit properties and the assertion steps give for one workload. */
export function workloadFigures(h: ScenarioHistory, r: WorkloadRecord): WorkloadFigures {
  const { inside: within, outside } = splitByWindows(h, r.operations);
  return {
    workload: r.workload,
    all: availability(r.operations),
    outsideWindows: availability(outside),
    latency: latency(r.operations),
    latencyInsideWindows: latency(within),
    latencyOutsideWindows: latency(outside),
    recoveries: recoveries(h, r.operations),
  };
}

// ── reports ───────────────────────────────────────────────────────────────────────────────────────────────

/** A report received out of order: `n` after the higher `after`. */
export interface Reordered {
  n: number;
  after: number;
  cached: boolean;
  entry: RecordedDelivery;
  previous: RecordedDelivery;
}

/** What one subscriber process received of one publish workload. */
export interface ReportAudit {
  workload: WorkloadSummary;
  /** The receiving process. */
  subscriber: string;
  deliveries: RecordedDelivery[];
  /** When one of its anonymous agent's subscriptions to the publisher matched the subject. */
  subscribed: Interval[];
  /** The subscription events that opened those intervals. */
  subscriptions: RecordedExchange[];
  /**
   * The publications it had to receive: published (PUBLISHED) while it was subscribed and the mesh converged (no
   * fault window, widened, was active), a heartbeat after its subscription began, and at least
   * {@link LAG_ALLOWANCE_MS} before it ended and before the history's end (reports still on their way).
   */
  expected: RecordedOperation[];
  /** Expected numbers it never received (live or cached). */
  lost: number[];
  /** Numbers received live more than once, or live after the same number came from the cache. */
  doubled: { n: number; entries: RecordedDelivery[] }[];
  /** Live reports after a higher number, and cached ones older than a number already received (S-39, S-40). */
  reordered: Reordered[];
  notes: string[];
}

/** The audit of every process that subscribed to, or received, the publish workload's reports. */
export function auditReports(h: ScenarioHistory, r: WorkloadRecord): ReportAudit[] {
  const cache = auditCache.get(h.events) ?? {
    length: h.events.length,
    audits: new Map<WorkloadRecord, ReportAudit[]>(),
  };
  if (cache.length !== h.events.length) cache.audits.clear();
  cache.length = h.events.length;
  auditCache.set(h.events, cache);
  const hit = cache.audits.get(r);
  if (hit) return hit;
  const audits = computeAudits(h, r);
  cache.audits.set(r, audits);
  return audits;
}

const auditCache = new WeakMap<object, { length: number; audits: Map<WorkloadRecord, ReportAudit[]> }>();

function computeAudits(h: ScenarioHistory, r: WorkloadRecord): ReportAudit[] {
  if (r.workload.kind !== "publish") return [];
  const subject = r.workload.subject ?? "";
  const publishers = publisherAgents(h, r);
  const subs = subscriptionIntervals(h, publishers, subject);
  const processes = new Set([...r.deliveries.map((d) => d.process), ...subs.keys()]);
  const endT = historyEndT(h);
  const converged = convergence(h).periods;
  const published = r.operations.filter((o) => o.outcome === "PUBLISHED");
  const settle = timingOf(h).timing.heartbeatMs;
  const out: ReportAudit[] = [];
  for (const subscriber of processes) {
    const deliveries = r.deliveries.filter((d) => d.process === subscriber);
    const s = subs.get(subscriber) ?? { intervals: [], entries: [], skippedNamed: 0 };
    const judged = s.intervals
      .map((iv) => ({ from: iv.from + settle, to: Math.min(iv.to, endT) - LAG_ALLOWANCE_MS }))
      .filter((iv) => iv.to > iv.from);
    const expected = published.filter((o) => inside(o.start, o.start, judged) && inside(o.start, o.start, converged));
    const received = new Set(deliveries.map((d) => d.n));
    const lost = [...new Set(expected.map((o) => o.n))].filter((n) => !received.has(n)).sort((a, b) => a - b);
    const notes: string[] = [];
    if (s.skippedNamed > 0)
      notes.push(
        `${subscriber}: ${s.skippedNamed} subscription event(s) of a named service agent were not judged for loss (the lab records the reports of a process's anonymous agent only).`,
      );
    out.push({
      workload: r.workload,
      subscriber,
      deliveries,
      subscribed: s.intervals,
      subscriptions: s.entries,
      expected,
      lost,
      ...orderOf(deliveries),
      notes,
    });
  }
  return out;
}

function orderOf(deliveries: RecordedDelivery[]): Pick<ReportAudit, "doubled" | "reordered"> {
  const seen = new Map<number, RecordedDelivery[]>();
  const doubled = new Map<number, RecordedDelivery[]>();
  const reordered: Reordered[] = [];
  let highest: RecordedDelivery | undefined;
  for (const d of deliveries) {
    const before = seen.get(d.n) ?? [];
    if (!d.cached && before.length > 0) doubled.set(d.n, [...before, d]);
    else if (highest && d.n < highest.n)
      reordered.push({ n: d.n, after: highest.n, cached: d.cached, entry: d, previous: highest });
    seen.set(d.n, [...before, d]);
    if (!highest || d.n > highest.n) highest = d;
  }
  return { doubled: [...doubled].map(([n, entries]) => ({ n, entries })), reordered };
}

/** The agent ids the workload published as: its deliveries' publisher, and the service's agents in its process. */
export function publisherAgents(h: ScenarioHistory, r: WorkloadRecord): Set<string> {
  const out = new Set(r.deliveries.map((d) => d.publisher));
  for (const inc of incarnations(h)) {
    if (inc.process !== r.workload.process) continue;
    for (const e of inc.entries) {
      const ev = e.event;
      if (
        ev.type === "binding" &&
        ev.change === "AVAIL" &&
        ev.location === "local" &&
        ev.serviceName === r.workload.service
      )
        out.add(ev.agentId);
    }
  }
  return out;
}

interface Subscribed {
  intervals: Interval[];
  entries: RecordedExchange[];
  skippedNamed: number;
}

/**
 * process → when one of its anonymous agents (no named local binding) held a subscription edge, at its own end,
 * to one of the publishers with a pattern matching the subject: from the subscriber-side REQUESTED (SUB_OK
 * received, so the publisher has the edge) to WITHDRAWN / REJECTED, or the end of that run of the process.
 */
function subscriptionIntervals(h: ScenarioHistory, publishers: Set<string>, subject: string): Map<string, Subscribed> {
  const placed = placedTimes(h);
  const out = new Map<string, Subscribed>();
  for (const inc of incarnations(h)) {
    const named = new Set<string>();
    for (const e of inc.entries)
      if (e.event.type === "binding" && e.event.location === "local" && e.event.serviceName !== "")
        named.add(e.event.agentId);
    const s = out.get(inc.process) ?? { intervals: [], entries: [], skippedNamed: 0 };
    const active = new Set<string>();
    let since = 0;
    for (const e of inc.entries) {
      const ev = e.event;
      if (ev.type !== "subscription" || ev.side !== "subscriber" || !publishers.has(ev.publisher)) continue;
      if (!matchSubject(ev.pattern, subject)) continue;
      if (named.has(ev.subscriber)) {
        s.skippedNamed++;
        continue;
      }
      const at = placed.get(e.id) ?? e.t;
      const key = `${ev.subscriber}\u0000${ev.publisher}\u0000${ev.pattern}`;
      if (ev.state === "REQUESTED") {
        if (active.size === 0) {
          since = at;
          s.entries.push(e);
        }
        active.add(key);
      } else if (active.delete(key) && active.size === 0) s.intervals.push({ from: since, to: at });
    }
    if (active.size > 0) s.intervals.push({ from: since, to: inc.end });
    s.intervals = mergeIntervals(s.intervals);
    if (s.intervals.length > 0 || s.skippedNamed > 0) out.set(inc.process, s);
  }
  return out;
}

/** "#3, #7–#9" for a sorted list of numbers (at most `max` runs, then "… and N more"). */
export function numberRanges(ns: readonly number[], max = 12): string {
  const runs: [number, number][] = [];
  for (const n of ns) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  const shown = runs.slice(0, max).map(([a, b]) => (a === b ? `#${a}` : `#${a}–#${b}`));
  const rest = runs.slice(max).reduce((k, [a, b]) => k + b - a + 1, 0);
  return shown.join(", ") + (rest > 0 ? ` and ${rest} more` : "");
}
