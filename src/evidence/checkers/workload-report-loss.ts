import type { RecordedEvent, ScenarioHistory } from "../history";
import { convergence, LAG_ALLOWANCE_MS } from "../windows";
import { auditReports, describeWorkload, numberRanges, workloadRecords } from "../workload-figures";
import type { Checker, CheckOutcome, Violation } from "./types";
import { proofOf } from "./views";

const invariant = "W3";
const title = "No report lost while nothing was faulted";

/**
 * W3, per publish workload and subscriber process: every report published while the subscriber was subscribed
 * (its anonymous agent held a matching edge to the publisher, from the subscriber-side REQUESTED — SUB_OK came
 * back, so the publisher has the edge — to WITHDRAWN or the end of that run of the process; a heartbeat after the
 * start, a lag allowance before the end) and the mesh was converged (no fault window active, widened by the
 * detection time; windows.ts) reached it, live or from the cache. Reports published in the last lag allowance of
 * the history are not judged (their delivery may not have been pulled).
 */
export function judgeWorkloadReportLoss(h: ScenarioHistory): CheckOutcome {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  for (const r of workloadRecords(h)) {
    for (const a of auditReports(h, r)) {
      checked += a.expected.length;
      notes.push(...a.notes);
      if (a.lost.length === 0) continue;
      const lost = new Set(a.lost);
      const ops = a.expected.filter((o) => lost.has(o.n));
      violations.push({
        invariant,
        title,
        events: proofOf<RecordedEvent>(a.subscriptions[0], ...ops.slice(0, 20)),
        message: `${a.subscriber} never received ${a.lost.length} of the ${a.expected.length} reports of ${describeWorkload(r.workload)} published while it was subscribed and no fault was active: ${numberRanges(a.lost)}. A subscriber receives every publication while its link stays up (S-39); loss is only allowed when a link goes down.`,
      });
    }
  }
  if (checked > 0) notes.push(...convergence(h).notes);
  if (checked > 0)
    notes.push(
      `Judged: reports published while subscribed and converged, from a heartbeat after each subscription began to ${LAG_ALLOWANCE_MS} ms before it (or the history) ended.`,
    );
  return { violations, checked, notes };
}

export function checkWorkloadReportLoss(h: ScenarioHistory): Violation[] {
  return judgeWorkloadReportLoss(h).violations;
}

export const workloadReportLoss: Checker = {
  invariant,
  title,
  rule: "A subscriber receives every numbered report published while it was subscribed and the mesh was converged (no fault window active, widened by the detection time).",
  check: judgeWorkloadReportLoss,
};
