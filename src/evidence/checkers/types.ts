import type { CheckResult, InvariantId, ScenarioHistory, Violation } from "../history";

export type { CheckResult, InvariantId, Violation };

/** A checker: a pure function of the history. */
export interface Checker {
  invariant: InvariantId;
  title: string;
  /** One sentence: the rule as judged from events. */
  rule: string;
  check(h: ScenarioHistory): CheckOutcome;
}

export interface CheckOutcome {
  violations: Violation[];
  checked: number;
  notes: string[];
}
