import type { ScenarioHistory } from "../history";
import { auditReports, describeWorkload, workloadRecords } from "../workload-figures";
import type { Checker, CheckOutcome, Violation } from "./types";
import { proofOf, seconds } from "./views";

const invariant = "W2";
const title = "Reports at most once, in order";

/**
 * W2, per publish workload and receiving process, over the reports it received (content `{ workload, n }`, in the
 * order it received them): no number arrives live twice, or live after the cache gave it; no live report arrives
 * after a higher number (S-39); no cached report is older than a number already received — a cache holds the
 * latest value (S-40), so a replay may repeat the last value received, never an older one. Not excused by faults:
 * order and uniqueness hold whatever the network does.
 */
export function judgeWorkloadReportOrder(h: ScenarioHistory): CheckOutcome {
  const violations: Violation[] = [];
  let checked = 0;
  for (const r of workloadRecords(h)) {
    for (const a of auditReports(h, r)) {
      checked += a.deliveries.length;
      const what = describeWorkload(r.workload);
      for (const d of a.doubled) {
        const kinds = d.entries.map((e) => (e.cached ? "cached" : "live")).join(", ");
        violations.push({
          invariant,
          title,
          events: d.entries,
          message: `${a.subscriber} received report #${d.n} of ${what} ${d.entries.length} times (${kinds}, at ${d.entries.map((e) => seconds(e.at)).join(", ")}): each publication reaches a subscriber at most once (S-38; only a cache replay may repeat the last value).`,
        });
      }
      for (const x of a.reordered) {
        violations.push({
          invariant,
          title,
          events: proofOf(x.previous, x.entry),
          message: x.cached
            ? `${a.subscriber} received report #${x.n} of ${what} from the publisher's cache at ${seconds(x.entry.at)}, after it had received #${x.after}: a cache holds the latest value of a subject (S-40), never an older one.`
            : `${a.subscriber} received report #${x.n} of ${what} at ${seconds(x.entry.at)}, after #${x.after}: reports from one publisher reach a subscriber in order (S-39).`,
        });
      }
    }
  }
  return { violations, checked, notes: [] };
}

export function checkWorkloadReportOrder(h: ScenarioHistory): Violation[] {
  return judgeWorkloadReportOrder(h).violations;
}

export const workloadReportOrder: Checker = {
  invariant,
  title,
  rule: "Each subscriber receives each numbered report of a workload at most once live, in increasing order; a cached replay may repeat the last value, never an older one.",
  check: judgeWorkloadReportOrder,
};
