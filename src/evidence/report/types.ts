import type { ScenarioHistory, StepStatus } from "../history";

/** One step (or a failed hook) of a scenario, as cucumber ran it. */
export interface StepReport {
  /** "Given ", "When "…; "" for hooks. */
  keyword: string;
  /** The step text, or "Before hook" / "After hook". */
  text: string;
  status: StepStatus;
  durationMs: number;
  /** The failure message (full, may span lines). */
  error?: string;
  /** Set for hook steps (only failed hooks are listed). */
  hook?: "before" | "after";
}

/** A step as written in the feature: keyword, text, and its doc string or data table. */
export interface GherkinStepSource {
  keyword: string;
  text: string;
  docString?: { content: string; mediaType?: string };
  dataTable?: string[][];
}

export interface ScenarioReport {
  feature: string;
  /** The scenario name (pickle name). */
  name: string;
  /** Feature file and line, e.g. "features/cut.feature", 12. */
  uri?: string;
  line?: number;
  tags: string[];
  steps: StepReport[];
  /** "failed" when a step failed or was undefined/pending/ambiguous; "skipped" when nothing ran. */
  verdict: "passed" | "failed" | "skipped";
  /** The first failure: "<keyword><text>: <first line of the message>". */
  error?: string;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  /** The lab's recorded history, when the World attached one. */
  history?: ScenarioHistory;
  /** Why an attached history could not be read, when it could not. */
  historyError?: string;
  /** The scenario's steps as written (a background's first): kept when it ran a random fault schedule. */
  source?: GherkinStepSource[];
  /**
   * When it ran a random fault schedule: the scenario with its realized schedule as named steps (README "Random
   * fault schedules"); `file` is where the report wrote it, relative to the report's folder.
   */
  replay?: { text: string; file?: string };
}

export interface RunReport {
  runId: string;
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  /** "processes" / "containers", when known. */
  driver?: string;
  scenarios: ScenarioReport[];
}
