import type { ScenarioReport } from "../../evidence";
import { schedulesOf } from "../formatter/replay";

/** How a scenario failed: the first failing step (if a step failed) and the invariants violated. */
export interface Failure {
  /** The failing step's text; "the random schedule" when a random step or a step of its replay failed. */
  step?: string;
  invariants: string[];
}

export const SCHEDULE_STEP = "the random schedule";

/**
 * The failure of a scenario run, or undefined when it passed. `scheduleSteps` are the texts that stand for the
 * random schedule in a replay (its actions, waits and recovery): a failure there is the schedule's.
 */
export function failureOf(s: ScenarioReport, scheduleSteps: ReadonlySet<string> = new Set()): Failure | undefined {
  if (s.verdict !== "failed") return undefined;
  const invariants = (s.history?.checks ?? []).filter((c) => c.status !== "passed").map((c) => c.invariant);
  const failed = s.steps.find((st) => !st.hook && st.status !== "passed" && st.status !== "skipped");
  const scheduled = schedulesOf(s.history);
  const index = failed ? s.steps.filter((st) => !st.hook).indexOf(failed) : -1;
  const step = !failed
    ? undefined
    : scheduled.has(index) || scheduleSteps.has(failed.text)
      ? SCHEDULE_STEP
      : failed.text;
  return { ...(step ? { step } : {}), invariants };
}

/** The same failure: the same failing step, or an invariant violated in both. */
export function sameFailure(first: Failure, again: Failure | undefined): boolean {
  if (!again) return false;
  if (first.step !== undefined && again.step === first.step) return true;
  return first.invariants.some((i) => again.invariants.includes(i));
}

export function describeFailure(f: Failure): string {
  const inv = f.invariants.length ? `invariants ${f.invariants.join(", ")} violated` : "";
  return [f.step ? `step "${f.step}" failed` : "", inv].filter(Boolean).join("; ") || "failed";
}
