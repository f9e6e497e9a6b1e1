/**
 * The figures of a scenario's workloads, computed from its history alone: what the report's workload plots and
 * tables show and what its JUnit testcase carries as properties. Pure functions, no I/O; all times in ms since
 * the scenario started (the history's clock).
 *
 * Definitions (README "Evidence: invariants and reports"):
 * - An operation **succeeded** when its outcome is `RESPONSE` (a call answered) or `PUBLISHED`; every other
 *   outcome (`FAILURE`, `SERVICE_UNAVAILABLE`, `SERVICE_WITHDRAWN`, `REQUEST_TIMEOUT`, `CANCELLED`, `ERROR`,
 *   `UNSETTLED`) is a failure. **Availability** = succeeded / operations.
 * - **Latency** = `end − start` of a succeeded operation; percentiles are nearest-rank (the smallest latency
 *   that at least p % of them do not exceed). Failures count in availability, not in latency.
 * - A **disturbance window** is a fault from applied to healed (to the end when never healed), or an outage of a
 *   machine or process from crashed / stopped / exited / frozen to its next started / ready (thawed after a
 *   freeze). **Outside the windows** means the operation's whole [start, end] overlaps none of them, whatever
 *   machines they concern.
 * - A **heal** is the end of a window that ended (a fault healed, a machine or process back). The **recovery
 *   time** after a heal at H is R − H, where R is the end of the first succeeded operation started at or after
 *   H after which every operation started before the next window begins (or the workload ends) succeeded.
 *   No such operation: not recovered. Heals outside the workload's span (before its first operation, after its
 *   last) are not judged.
 */
import type { RecordedDelivery, RecordedEvent, RecordedOperation, ScenarioHistory, WorkloadSummary } from "./history";
import { percentile, splitByWindows, succeeded } from "./workload-figures";

/** Whether an outcome counts as a success (the one definition: workload-figures.ts `succeeded`). */
export function isSuccess(outcome: string): boolean {
  return succeeded({ outcome } as RecordedOperation);
}

/** A fault (applied → healed) or an outage of a machine or process (down → back), on the history's clock. */
export interface DisturbanceWindow {
  kind: "fault" | "outage";
  from: number;
  /** The heal, or the end of the history when it never ended. */
  to: number;
  /** False: it lasted to the end of the history. */
  healed: boolean;
  /** "cut alpha ↔ beta", "gamma/reporter crashed"… */
  label: string;
  /** The fault's type (cut, latency…) or the outage's state (crashed, frozen…). */
  type: string;
  /** The recorded entries that open (and close) it. */
  ids: number[];
}

/** Everything a workload did, from the history. */
export interface WorkloadRecord {
  id: string;
  /** From its `started` entry; guessed from its operations when the history has none. */
  summary: WorkloadSummary;
  /** `t` of its started / stopped entries, when recorded. */
  startedAt?: number;
  stoppedAt?: number;
  /** By start time (then n). */
  operations: RecordedOperation[];
  /** Reports of a publish workload that subscribers received, in history order. */
  deliveries: RecordedDelivery[];
}

export interface Recovery {
  /** When the window ended. */
  healAt: number;
  /** What healed: the window's label. */
  heal: string;
  ids: number[];
  /** Start of the first operation after which the workload stayed successful; absent: not recovered. */
  recoveredAt?: number;
  recoveryMs?: number;
  /** Operations that failed, started from the window's start until the recovery (or the next window, or the end). */
  failed: number;
}

export interface LatencyFigures {
  operations: number;
  succeeded: number;
  /** succeeded / operations; absent without operations. */
  availability?: number;
  /** Over succeeded operations; absent without any. */
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
}

/** One subscriber of a publish workload: what it received of the publications. */
export interface SubscriberFigures {
  process: string;
  /** Deliveries, cached ones included. */
  received: number;
  cached: number;
  /** Distinct publication numbers received. */
  distinct: number;
  /** A number delivered again, not from the cache. */
  duplicates: number;
  /** Deliveries of a number lower than one received before (cached ones aside). */
  reordered: number;
  /**
   * Published numbers (outcome PUBLISHED) from the first one it received to the last one published, that it never
   * received. Not a verdict: the checkers judge loss against the fault windows.
   */
  notReceived: number[];
  /**
   * After each heal, as for calls with "succeeded" read as "this subscriber received it": from the heal to the
   * start of the first publication after which it received every publication until the next window (or the end).
   */
  recoveries: Recovery[];
}

export interface WorkloadStats extends LatencyFigures {
  id: string;
  summary: WorkloadSummary;
  failed: number;
  /** Operations per outcome, success outcomes first, then by count. */
  byOutcome: { outcome: string; count: number }[];
  /** The same figures for the operations outside every disturbance window. */
  outside: LatencyFigures;
  recoveries: Recovery[];
  subscribers: SubscriberFigures[];
  /** First operation's start and last operation's end (0, 0 without operations). */
  from: number;
  to: number;
}

/** The end of the history's time axis (ms): its last entry, step, operation end or delivery. */
export function historyEnd(h: ScenarioHistory): number {
  let end = 0;
  for (const e of h.events) end = Math.max(end, entryEnd(e));
  return end;
}

function entryEnd(e: RecordedEvent): number {
  switch (e.kind) {
    case "step":
      return Math.max(e.t, e.startedAt + e.durationMs);
    case "operation":
      return Math.max(e.t, e.end);
    case "delivery":
      return Math.max(e.t, e.at);
    default:
      return e.t;
  }
}

const DOWN = new Set(["crashed", "stopped", "exited", "frozen"]);

/**
 * The scenario's faults and outages, by start time. Overlapping windows are kept apart (each has its own heal);
 * `mergeWindows` joins them. `end`: where unhealed windows stop (default {@link historyEnd}).
 */
export function disturbanceWindows(h: ScenarioHistory, end = historyEnd(h)): DisturbanceWindow[] {
  const out: DisturbanceWindow[] = [];
  const faults = new Map<string, RecordedEvent & { kind: "fault" }>();
  const down = new Map<string, RecordedEvent & { kind: "lifecycle" }>();
  for (const e of h.events) {
    if (e.kind === "fault") {
      const f = e.fault;
      if (e.action === "applied") {
        if (!faults.has(e.faultId)) faults.set(e.faultId, e);
        continue;
      }
      const a = faults.get(e.faultId);
      if (!a) continue;
      faults.delete(e.faultId);
      out.push({
        kind: "fault",
        from: a.t,
        to: e.t,
        healed: true,
        label: faultLabel(f),
        type: f.type,
        ids: [a.id, e.id],
      });
    } else if (e.kind === "lifecycle") {
      const open = down.get(e.target);
      if (DOWN.has(e.state)) {
        if (!open) down.set(e.target, e);
      } else if (
        open &&
        (e.state === "thawed" ? open.state === "frozen" : e.state === "started" || e.state === "ready")
      ) {
        down.delete(e.target);
        out.push({
          kind: "outage",
          from: open.t,
          to: e.t,
          healed: true,
          label: `${e.target} ${open.state}`,
          type: open.state,
          ids: [open.id, e.id],
        });
      }
    }
  }
  for (const a of faults.values())
    out.push({
      kind: "fault",
      from: a.t,
      to: Math.max(a.t, end),
      healed: false,
      label: faultLabel(a.fault),
      type: a.fault.type,
      ids: [a.id],
    });
  for (const [target, open] of down)
    out.push({
      kind: "outage",
      from: open.t,
      to: Math.max(open.t, end),
      healed: false,
      label: `${target} ${open.state}`,
      type: open.state,
      ids: [open.id],
    });
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

function faultLabel(f: { type: string; targets: string[]; detail?: string }): string {
  return `${f.type} ${f.targets.join(" ↔ ")}${f.detail ? ` (${f.detail})` : ""}`;
}

/** The union of windows as disjoint intervals, by start. */
export function mergeWindows(windows: readonly { from: number; to: number }[]): { from: number; to: number }[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else out.push({ from: w.from, to: w.to });
  }
  return out;
}

/** Whether [from, to] overlaps one of the disjoint, sorted `merged` intervals (touching counts). */
export function overlapsWindows(from: number, to: number, merged: readonly { from: number; to: number }[]): boolean {
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (merged[mid].to < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < merged.length && merged[lo].from <= to;
}

/** The scenario's workloads in the order they started (or first appear), each with its operations and deliveries. */
export function workloadRecords(h: ScenarioHistory): WorkloadRecord[] {
  const byId = new Map<string, WorkloadRecord>();
  const get = (id: string, guess: () => WorkloadSummary) => {
    let r = byId.get(id);
    if (!r) byId.set(id, (r = { id, summary: guess(), operations: [], deliveries: [] }));
    return r;
  };
  for (const e of h.events) {
    if (e.kind === "workload") {
      const r = get(e.workload.id, () => ({ ...e.workload }));
      if (e.action === "started") {
        r.summary = { ...e.workload };
        r.startedAt ??= e.t;
      } else r.stoppedAt = e.t;
    } else if (e.kind === "operation") {
      get(e.workload, () => ({
        id: e.workload,
        process: e.process,
        kind: e.op === "publish" ? "publish" : "calls",
        service: e.target,
        ...(e.subject !== undefined ? { subject: e.subject } : {}),
      })).operations.push(e);
    } else if (e.kind === "delivery") {
      get(e.workload, () => ({
        id: e.workload,
        process: "?",
        kind: "publish",
        service: "?",
        subject: e.subject,
      })).deliveries.push(e);
    }
  }
  for (const r of byId.values()) r.operations.sort((a, b) => a.start - b.start || a.n - b.n);
  return [...byId.values()];
}

export function latency(op: RecordedOperation): number {
  return Math.max(0, op.end - op.start);
}

/** Operations, successes, availability and the latency percentiles of succeeded operations. */
export function latencyFigures(ops: readonly RecordedOperation[]): LatencyFigures {
  const sorted = ops
    .filter((o) => isSuccess(o.outcome))
    .map(latency)
    .sort((a, b) => a - b);
  return {
    operations: ops.length,
    succeeded: sorted.length,
    ...(ops.length ? { availability: sorted.length / ops.length } : {}),
    ...(sorted.length
      ? { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] }
      : {}),
  };
}

/** The operations whose [start, end] overlaps none of the windows. */
export function operationsOutside(
  ops: readonly RecordedOperation[],
  windows: readonly { from: number; to: number }[],
): RecordedOperation[] {
  const merged = mergeWindows(windows);
  return ops.filter((o) => !overlapsWindows(o.start, o.end, merged));
}

/** Recovery after each healed window that ends inside the workload's span (module comment: the definition). */
export function recoveries(
  ops: readonly RecordedOperation[],
  windows: readonly DisturbanceWindow[],
  span: { to: number } = { to: Infinity },
  ok: (op: RecordedOperation) => boolean = (op) => isSuccess(op.outcome),
): Recovery[] {
  const sorted = [...ops].sort((a, b) => a.start - b.start || a.n - b.n);
  if (sorted.length === 0) return [];
  const first = sorted[0].start;
  const last = Math.min(sorted[sorted.length - 1].start, span.to);
  const starts = windows.map((w) => w.from).sort((a, b) => a - b);
  const heals = windows.filter((w) => w.healed && w.to >= first && w.to <= last).sort((a, b) => a.to - b.to);
  return heals.map((w) => {
    const H = w.to;
    const next = starts.find((s) => s > H) ?? Infinity;
    const after = sorted.filter((o) => o.start >= H && o.start < next);
    let i = after.length;
    while (i > 0 && ok(after[i - 1])) i--;
    const until = i === after.length ? next : after[i].start;
    const failed = sorted.filter((o) => o.start >= w.from && o.start < until && !ok(o)).length;
    const base = { healAt: H, heal: w.label, ids: w.ids, failed };
    if (i === after.length) return base;
    const back = Math.round(after[i].end * 10) / 10; // 0.1 ms: what the report and JUnit print
    return { ...base, recoveredAt: back, recoveryMs: Math.round((back - H) * 10) / 10 };
  });
}

/** A bucket of {@link throughput}: operations started in [from, to). */
export interface ThroughputBucket {
  from: number;
  to: number;
  operations: number;
  succeeded: number;
}

/** A bucket width for a time axis of `end` ms: about 150 buckets, never under 100 ms (100, 200, 500, 1000…). */
export function throughputBucketMs(end: number): number {
  const raw = Math.max(100, end / 150);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const k of [1, 2, 5, 10]) if (k * pow >= raw) return k * pow;
  return 10 * pow;
}

/** Operations started per bucket of `bucketMs`, from 0 to `end`; ops/s = operations × 1000 / bucketMs. */
export function throughput(ops: readonly RecordedOperation[], bucketMs: number, end: number): ThroughputBucket[] {
  const n = Math.max(1, Math.ceil(end / bucketMs));
  const out: ThroughputBucket[] = Array.from({ length: n }, (_, i) => ({
    from: i * bucketMs,
    to: (i + 1) * bucketMs,
    operations: 0,
    succeeded: 0,
  }));
  for (const o of ops) {
    const b = out[Math.min(n - 1, Math.max(0, Math.floor(o.start / bucketMs)))];
    b.operations++;
    if (isSuccess(o.outcome)) b.succeeded++;
  }
  return out;
}

/** What each subscriber of a publish workload received (ordered by process address); `windows` for recoveries. */
export function subscriberFigures(w: WorkloadRecord, windows: readonly DisturbanceWindow[] = []): SubscriberFigures[] {
  const publications = w.operations.filter((o) => o.outcome === "PUBLISHED");
  const published = publications.map((o) => o.n);
  const lastPublished = published.reduce((m, n) => Math.max(m, n), 0);
  const byProcess = new Map<string, RecordedDelivery[]>();
  for (const d of w.deliveries) {
    const list = byProcess.get(d.process);
    if (list) list.push(d);
    else byProcess.set(d.process, [d]);
  }
  return [...byProcess.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([process, ds]) => {
      const seen = new Set<number>();
      let duplicates = 0;
      let reordered = 0;
      let high = -Infinity;
      for (const d of ds) {
        if (seen.has(d.n) && !d.cached) duplicates++;
        if (!d.cached && d.n < high) reordered++;
        if (!d.cached) high = Math.max(high, d.n);
        seen.add(d.n);
      }
      const firstN = [...seen].reduce((m, n) => Math.min(m, n), Infinity);
      const notReceived = published.filter((n) => n >= firstN && n <= lastPublished && !seen.has(n));
      const since = publications.filter((o) => o.n >= firstN);
      return {
        process,
        received: ds.length,
        cached: ds.filter((d) => d.cached).length,
        distinct: seen.size,
        duplicates,
        reordered,
        notReceived,
        recoveries: recoveries(since, windows, { to: w.stoppedAt ?? Infinity }, (o) => seen.has(o.n)),
      };
    });
}

/** The figures of every workload of the history (in the order of {@link workloadRecords}). */
export function workloadStats(h: ScenarioHistory): WorkloadStats[] {
  const end = historyEnd(h);
  const windows = disturbanceWindows(h, end);
  return workloadRecords(h).map((w) => statsOf(h, w, windows));
}

/**
 * The figures of one workload, given the scenario's disturbance windows (drawn and used for recoveries). "Outside
 * the fault windows" is judged as the checkers and the assertion steps judge it (windows.ts: widened by the
 * detection time), so the report, the JUnit properties and a failing step give one figure.
 */
export function statsOf(h: ScenarioHistory, w: WorkloadRecord, windows: readonly DisturbanceWindow[]): WorkloadStats {
  const ops = w.operations;
  const counts = new Map<string, number>();
  for (const o of ops) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  const byOutcome = [...counts.entries()]
    .map(([outcome, count]) => ({ outcome, count }))
    .sort(
      (a, b) =>
        Number(isSuccess(b.outcome)) - Number(isSuccess(a.outcome)) ||
        b.count - a.count ||
        a.outcome.localeCompare(b.outcome),
    );
  const all = latencyFigures(ops);
  return {
    id: w.id,
    summary: w.summary,
    ...all,
    failed: all.operations - all.succeeded,
    byOutcome,
    outside: latencyFigures(splitByWindows(h, ops).outside),
    recoveries: recoveries(ops, windows, { to: w.stoppedAt ?? Infinity }),
    subscribers: w.summary.kind === "publish" || w.deliveries.length ? subscriberFigures(w, windows) : [],
    from: ops.length ? ops[0].start : 0,
    to: ops.reduce((m, o) => Math.max(m, o.end), 0),
  };
}
