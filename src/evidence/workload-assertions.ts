/**
 * What the workload assertion steps judge, as pure functions over a history: each answers undefined when the
 * assertion holds, else the message the step fails with, saying the figures seen.
 */
import type { RecordedOperation, ScenarioHistory } from "./history";
import { faultWindows } from "./windows";
import {
  auditReports,
  availability,
  findWorkloads,
  latency,
  numberRanges,
  splitByWindows,
  succeeded,
  type Availability,
} from "./workload-figures";

const pct = (x: number) => `${(Math.round(x * 10000) / 100).toString()}%`;
const outcomes = (a: Availability) =>
  Object.entries(a.byOutcome)
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join(", ");

/** The operations of every call workload from `from` to `service`, in start order. */
export function callsFrom(h: ScenarioHistory, from: string, service: string): RecordedOperation[] {
  return findWorkloads(h, { process: from, service, kind: "calls" })
    .flatMap((r) => r.operations)
    .sort((a, b) => a.start - b.start || a.n - b.n);
}

function noCalls(from: string, service: string): string {
  return `no call workload from ${from} to "${service}" recorded an operation (start one with 'process "${from}" calls service "${service}" every …')`;
}

/** `Then at least 99% of the calls from … to … succeeded`. */
export function successRateProblem(h: ScenarioHistory, from: string, service: string, atLeast: number) {
  const ops = callsFrom(h, from, service);
  if (ops.length === 0) return noCalls(from, service);
  const a = availability(ops);
  if ((a.ratio ?? 0) * 100 >= atLeast) return undefined;
  return `${pct(a.ratio ?? 0)} of the ${a.operations} calls from ${from} to "${service}" succeeded, not at least ${atLeast}%: ${outcomes(a)}`;
}

/** `Then every call made while no fault was active succeeded`: any call workload, outside the (widened) windows. */
export function failedOutsideFaultsProblem(h: ScenarioHistory): string | undefined {
  const ops = findWorkloads(h, { kind: "calls" }).flatMap((r) => r.operations);
  if (ops.length === 0) return "no call workload recorded an operation";
  const failed = splitByWindows(h, ops).outside.filter((op) => !succeeded(op));
  if (failed.length === 0) return undefined;
  const shown = failed
    .slice(0, 5)
    .map(
      (op) =>
        `${op.workload}#${op.n} from ${op.process} to "${op.target}" at ${Math.round(op.start)} ms: ${op.outcome}`,
    );
  return `${failed.length} call(s) failed while no fault was active: ${shown.join("; ")}${failed.length > 5 ? "; …" : ""}`;
}

/**
 * Recovery after `since` (ms since the scenario started): the first call that began after it and succeeded, with
 * every call after it so far successful. Undefined while there is none yet.
 */
export function recoveredAt(ops: readonly RecordedOperation[], since: number): RecordedOperation | undefined {
  const after = ops.filter((op) => op.start >= since);
  let first: RecordedOperation | undefined;
  for (let k = after.length - 1; k >= 0 && succeeded(after[k]); k--) first = after[k];
  return first;
}

/** When the last heal happened (the network healing): the last fault healed, in ms since the scenario started. */
export function lastHeal(h: ScenarioHistory): number | undefined {
  const ended = faultWindows(h).filter((w) => w.kind === "fault" && w.ended);
  return ended.length ? Math.max(...ended.map((w) => w.end)) : undefined;
}

/** When `target` (a machine or a process) last came back: started again, thawed or ready. */
export function lastComeback(h: ScenarioHistory, target: string): number | undefined {
  const back = h.events.filter(
    (e) => e.kind === "lifecycle" && e.target === target && (e.state === "started" || e.state === "thawed"),
  );
  return back.length ? back[back.length - 1].t : undefined;
}

/** `Then within 2 seconds of … the calls from … to … succeed again`: judged when `since` + `withinMs` has passed. */
export function recoveryProblem(
  h: ScenarioHistory,
  from: string,
  service: string,
  since: number,
  withinMs: number,
  what: string,
): string | undefined {
  const ops = callsFrom(h, from, service);
  if (ops.length === 0) return noCalls(from, service);
  const good = recoveredAt(ops, since);
  if (good && good.end - since <= withinMs) return undefined;
  const after = ops.filter((op) => op.start >= since && (!good || op.start < good.start));
  const failures = outcomes(availability(after.filter((op) => !succeeded(op))));
  return good
    ? `the calls from ${from} to "${service}" succeeded again ${Math.round(good.end - since)} ms after ${what}, not within ${withinMs} ms (failed before: ${failures || "none"})`
    : `the calls from ${from} to "${service}" did not succeed again after ${what} (${after.length} since: ${failures || "none settled"})`;
}

/** `Then no report from … to … was lost, doubled or reordered outside the fault windows`. */
export function reportProblem(h: ScenarioHistory, publisher: string, subscriber: string): string | undefined {
  const workloads = findWorkloads(h, { service: publisher, kind: "publish" });
  if (workloads.length === 0)
    return `no publish workload of service "${publisher}" was recorded (start one with 'service "${publisher}" in process … publishes on subject … every …')`;
  const problems: string[] = [];
  let audited = 0;
  for (const r of workloads) {
    const audit = auditReports(h, r).find((a) => a.subscriber === subscriber);
    if (!audit) continue;
    audited++;
    const got = audit.deliveries.length;
    if (audit.lost.length) problems.push(`${r.workload.id}: lost ${numberRanges(audit.lost)} (received ${got})`);
    if (audit.doubled.length) problems.push(`${r.workload.id}: doubled ${numberRanges(audit.doubled.map((d) => d.n))}`);
    if (audit.reordered.length)
      problems.push(
        `${r.workload.id}: reordered ${audit.reordered
          .slice(0, 5)
          .map((x) => `${x.n} after ${x.after}`)
          .join(", ")}`,
      );
    if (audit.expected.length === 0)
      problems.push(`${r.workload.id}: nothing was published while ${subscriber} was subscribed and nothing faulted`);
  }
  if (audited === 0) return `${subscriber} neither subscribed to nor received the reports of "${publisher}"`;
  return problems.length ? `reports from "${publisher}" to ${subscriber}: ${problems.join("; ")}` : undefined;
}

/** `Then the p99 latency of the calls from … to … stayed under … while no fault was active`. */
export function latencyProblem(h: ScenarioHistory, from: string, service: string, underMs: number): string | undefined {
  const ops = callsFrom(h, from, service);
  if (ops.length === 0) return noCalls(from, service);
  const l = latency(splitByWindows(h, ops).outside);
  if (l.count === 0) return `no call from ${from} to "${service}" succeeded while no fault was active`;
  if ((l.p99 ?? 0) < underMs) return undefined;
  return `the p99 latency of the ${l.count} calls from ${from} to "${service}" made while no fault was active was ${Math.round(l.p99!)} ms (p50 ${Math.round(l.p50!)} ms, max ${Math.round(l.max!)} ms), not under ${underMs} ms`;
}
