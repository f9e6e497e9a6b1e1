import type { RecordedEvent, RecordedOperation, ScenarioHistory } from "../history";
import { historyEndT, LAG_ALLOWANCE_MS, timingOf } from "../windows";
import { describeWorkload, numberRanges, workloadRecords, type WorkloadRecord } from "../workload-figures";
import type { Checker, CheckOutcome, Violation } from "./types";
import { proofOf, seconds, wentDown } from "./views";

const invariant = "W1";
const title = "Every operation settled once";

/**
 * W1, per workload, from its recorded operations:
 * - no number `n` is recorded twice (a call settles exactly once, S-31; a publication is made once);
 * - no call is UNSETTLED — still pending when the workload stopped, after waiting the request timeout and a second
 *   more — while its process (and machine) stayed up from the call's start to the stop: a call with a timeout
 *   settles by its deadline (S-31). A workload whose calls have no timeout (`timeoutMs: 0`) is not judged here;
 * - the numbers recorded run from 1 without holes: a hole is an operation begun and never recorded. Judged for a
 *   stopped workload (the stop settles or gives up every call in flight); for one that ran to the end, only holes
 *   below an operation that began more than the request timeout (+ lag) before the history's end. Not judged when
 *   its process or machine crashed, stopped, exited (records of its last moments may never reach the lab) or was
 *   frozen at the end.
 */
export function judgeWorkloadSettled(h: ScenarioHistory): CheckOutcome {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  const endT = historyEndT(h);
  const { timing, known } = timingOf(h);
  for (const r of workloadRecords(h)) {
    checked += r.operations.length;
    const what = describeWorkload(r.workload);
    const byN = new Map<number, RecordedOperation[]>();
    for (const op of r.operations) byN.set(op.n, [...(byN.get(op.n) ?? []), op]);
    for (const [n, list] of byN) {
      if (list.length < 2) continue;
      violations.push({
        invariant,
        title,
        events: list,
        message: `${what} recorded operation #${n} ${list.length} times (${list.map((o) => o.outcome).join(", ")}): each ${r.workload.kind === "calls" ? "call settles exactly once (S-31)" : "publication is made once"}.`,
      });
    }
    if (r.workload.timeoutMs === 0) notes.push(`${what}: its calls have no timeout; UNSETTLED calls were not judged.`);
    else
      for (const op of r.operations) {
        if (op.outcome !== "UNSETTLED" || !r.stopped) continue;
        if (wentDown(h, r.workload.process, op.start, r.stopped.t, { frozen: true })) continue;
        violations.push({
          invariant,
          title,
          events: proofOf<RecordedEvent>(r.started, op, r.stopped),
          message: `${what}: call #${op.n}, begun at ${seconds(op.start)}, was still pending when the workload stopped at ${seconds(r.stopped.t)} although ${r.workload.process} stayed up: a call with a timeout settles by its deadline (S-31); the stop waited the request timeout and a second more.`,
        });
      }
    holes(h, r, endT, known ? (r.workload.timeoutMs ?? timing.requestTimeoutMs) : undefined, violations, notes);
  }
  return { violations, checked, notes };
}

function holes(
  h: ScenarioHistory,
  r: WorkloadRecord,
  endT: number,
  timeoutMs: number | undefined,
  violations: Violation[],
  notes: string[],
): void {
  if (r.operations.length === 0) return;
  const what = describeWorkload(r.workload);
  const until = r.stopped?.t ?? endT;
  const down = wentDown(h, r.workload.process, r.started.t, until);
  if (down) {
    notes.push(
      `${what}: ${down.target} ${down.state} at ${seconds(down.t)} while it ran; whether every operation was recorded was not judged.`,
    );
    return;
  }
  const sorted = [...r.operations].sort((a, b) => a.n - b.n);
  const have = new Set(sorted.map((o) => o.n));
  let limit = sorted[sorted.length - 1].n;
  if (!r.stopped) {
    if (frozenAtEnd(h, r.workload.process)) {
      notes.push(`${what}: its process was frozen at the end; whether every operation was recorded was not judged.`);
      return;
    }
    if (timeoutMs === undefined) {
      notes.push(
        `${what} ran to the end and the history does not say the request timeout: operations still in flight at the end were not judged.`,
      );
      return;
    }
    // A missing n began before the next recorded one: it had to settle by that one's start + its timeout.
    limit = 0;
    for (const o of sorted) if (o.start + timeoutMs + LAG_ALLOWANCE_MS <= endT) limit = Math.max(limit, o.n);
  }
  const missing: number[] = [];
  for (let n = 1; n < limit; n++) if (!have.has(n)) missing.push(n);
  if (missing.length === 0) return;
  const around = missing.slice(0, 10).flatMap((n) => [sorted.find((o) => o.n > n)]);
  violations.push({
    invariant,
    title,
    events: proofOf<RecordedEvent>(r.started, ...around, r.stopped),
    message: `${what} has no record of operation${missing.length === 1 ? "" : "s"} ${numberRanges(missing)} (${missing.length} of ${limit}) although later ones settled${r.stopped ? " and it was stopped" : ""}: every operation it began must settle and be recorded once.`,
  });
}

function frozenAtEnd(h: ScenarioHistory, address: string): boolean {
  const machine = address.split("/")[0];
  const last = h.events
    .filter((e) => e.kind === "lifecycle" && (e.target === machine || e.target === address))
    .filter((e) => e.kind === "lifecycle" && (e.state === "frozen" || e.state === "thawed"))
    .at(-1);
  return last?.kind === "lifecycle" && last.state === "frozen";
}

export function checkWorkloadSettled(h: ScenarioHistory): Violation[] {
  return judgeWorkloadSettled(h).violations;
}

export const workloadSettled: Checker = {
  invariant,
  title,
  rule: "Each workload records each operation number once, from 1 without holes, and no call is still pending (UNSETTLED) when its workload stops while its process stayed up.",
  check: judgeWorkloadSettled,
};
