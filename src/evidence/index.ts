// The evidence layer's door (README.md): recorder of lab events, history, invariant checkers, run reports.

// Recorded history
export { HISTORY_MEDIA_TYPE } from "./history";
export type { RecordedSchedule, ScenarioHistory, StepStatus, TopologySummary } from "./history";
export { Recorder } from "./recorder";
export { summarizePlan, summarizeProcess } from "./summary";
export { parseHistory } from "./history-io";

// What the workload assertion steps judge
export {
  successRateProblem,
  failedOutsideFaultsProblem,
  recoveryProblem,
  reportProblem,
  latencyProblem,
  lastHeal,
  lastComeback,
} from "./workload-assertions";

// Invariant checkers
export { summarizeChecks } from "./checkers";

// Reports
export { firstError } from "./report/scenario-html";
export { duration, firstLine, plural } from "./report/text";
export { xmlProblem } from "./report/xml-check";
export { writeRunReport, sessionReport, mergeRunReports, readRunReport, schedulesIn } from "./report";
export type { GherkinStepSource, RunReport, ScenarioReport, StepReport, WrittenReport } from "./report";
export { recordLab, type LabRecording } from "./recording";
