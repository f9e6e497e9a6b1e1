import type { RecordedEvent, ScenarioHistory } from "../history";

/** The invariants of reference/exchange-semantics.md §4 that the checkers judge from recorded events. */
export type InvariantId = "I1" | "I4" | "I5" | "I6" | "I8" | "I9" | "I10" | "I15";

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
