import type { RecordedEvent, RecordedOperation, ScenarioHistory } from "../history";
import {
  convergence,
  incarnations,
  inside,
  type Interval,
  LAG_ALLOWANCE_MS,
  mergeIntervals,
  placedTimes,
  touches,
} from "../windows";
import { describeWorkload, latencyOf, workloadRecords } from "../workload-figures";
import type { Checker, CheckOutcome, Violation } from "./types";
import { proofOf, seconds } from "./views";

const invariant = "W4";
const title = "Calls succeed while the mesh is converged";

/** Outcomes that say the exchange did not deliver: a FAILURE is the service's own answer, UNSETTLED is W1's. */
const EXCHANGE_FAILURES = new Set([
  "SERVICE_UNAVAILABLE",
  "SERVICE_WITHDRAWN",
  "REQUEST_TIMEOUT",
  "CANCELLED",
  "ERROR",
]);

/**
 * W4, per call workload: a call that began and settled while the mesh was converged (windows.ts: no fault window
 * active, widened by the detection time, and every link of the mesh ACTIVE) must not fail in the exchange
 * (SERVICE_UNAVAILABLE, SERVICE_WITHDRAWN, REQUEST_TIMEOUT, CANCELLED, ERROR). Judged only while some process
 * offered the service (its own local binding, not withdrawn), after the caller had seen it once, and away (by the
 * lag allowance) from any agent of the service being offered or withdrawn: a service withdrawn by a step, one
 * its audience keeps from the caller, or a call in flight to an agent a step withdraws, may refuse calls. A
 * FAILURE is the service's answer, not the exchange's, and is not judged.
 */
export function judgeWorkloadCalls(h: ScenarioHistory): CheckOutcome {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  const c = convergence(h);
  for (const r of workloadRecords(h)) {
    if (r.workload.kind !== "calls") continue;
    const offered = offeredIntervals(h, r.workload.service);
    const churn = churnIntervals(h, r.workload.service);
    const seen = firstSeen(h, r.workload.process, r.workload.service);
    const failed: RecordedOperation[] = [];
    let unoffered = 0;
    for (const op of r.operations) {
      if (!inside(op.start, op.end, c.periods)) continue;
      if (
        !inside(op.start, op.end, offered) ||
        touches(op.start, op.end, churn) ||
        seen === undefined ||
        seen > op.start
      ) {
        unoffered++;
        continue;
      }
      checked++;
      if (EXCHANGE_FAILURES.has(op.outcome)) failed.push(op);
    }
    const what = describeWorkload(r.workload);
    if (unoffered > 0)
      notes.push(
        `${what}: ${unoffered} call(s) made while no process offered "${r.workload.service}", while one of its agents came or went, or before ${r.workload.process} had seen it were not judged.`,
      );
    if (failed.length === 0) continue;
    const list = failed
      .slice(0, 10)
      .map(
        (op) =>
          `#${op.n} ${op.outcome}${op.detail ? ` (${op.detail})` : ""} at ${seconds(op.start)} after ${latencyOf(op)} ms`,
      )
      .join("; ");
    violations.push({
      invariant,
      title,
      events: proofOf<RecordedEvent>(r.started, ...failed.slice(0, 20)),
      message: `${what}: ${failed.length} call${failed.length === 1 ? "" : "s"} failed while no fault was active and the mesh was converged: ${list}${failed.length > 10 ? `; and ${failed.length - 10} more` : ""}.`,
    });
  }
  if (checked > 0 || violations.length > 0) notes.push(...c.notes);
  return { violations, checked, notes };
}

/** When some process held its own local binding of the service (AVAIL to WITHDRAW, or the end of its run). */
export function offeredIntervals(h: ScenarioHistory, service: string): Interval[] {
  const placed = placedTimes(h);
  const out: Interval[] = [];
  for (const inc of incarnations(h)) {
    const since = new Map<string, number>();
    for (const e of inc.entries) {
      const ev = e.event;
      if (ev.type !== "binding" || ev.location !== "local" || ev.serviceName !== service) continue;
      const at = placed.get(e.id) ?? e.t;
      if (ev.change === "AVAIL" && !since.has(ev.agentId)) since.set(ev.agentId, at);
      else if (ev.change === "WITHDRAW" && since.has(ev.agentId)) {
        out.push({ from: since.get(ev.agentId)!, to: at });
        since.delete(ev.agentId);
      }
    }
    for (const from of since.values()) out.push({ from, to: inc.end });
  }
  return mergeIntervals(out);
}

/** Around each moment an agent of the service was offered or withdrawn at its origin (± the lag allowance). */
function churnIntervals(h: ScenarioHistory, service: string): Interval[] {
  const placed = placedTimes(h);
  const out: Interval[] = [];
  for (const inc of incarnations(h))
    for (const e of inc.entries) {
      const ev = e.event;
      if (ev.type !== "binding" || ev.location !== "local" || ev.serviceName !== service) continue;
      if (ev.change !== "AVAIL" && ev.change !== "WITHDRAW") continue;
      const at = placed.get(e.id) ?? e.t;
      out.push({ from: at - LAG_ALLOWANCE_MS, to: at + LAG_ALLOWANCE_MS });
    }
  return mergeIntervals(out);
}

/** When the process first held a binding of the service (local or remote), on its own clock. */
function firstSeen(h: ScenarioHistory, process: string, service: string): number | undefined {
  const placed = placedTimes(h);
  let first: number | undefined;
  for (const inc of incarnations(h)) {
    if (inc.process !== process) continue;
    const e = inc.entries.find(
      (x) => x.event.type === "binding" && x.event.change === "AVAIL" && x.event.serviceName === service,
    );
    if (e) first = Math.min(first ?? Infinity, placed.get(e.id) ?? e.t);
  }
  return first;
}

export function checkWorkloadCalls(h: ScenarioHistory): Violation[] {
  return judgeWorkloadCalls(h).violations;
}

export const workloadCalls: Checker = {
  invariant,
  title,
  rule: "No call fails in the exchange (SERVICE_UNAVAILABLE, SERVICE_WITHDRAWN, REQUEST_TIMEOUT, CANCELLED, ERROR) while no fault window is active, the mesh is converged and the service is offered and known to the caller.",
  check: judgeWorkloadCalls,
};
