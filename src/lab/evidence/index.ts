// The evidence layer's door: recorded history, invariant checkers, run reports, cucumber formatters.

// Recorded history
export { HISTORY_MEDIA_TYPE } from "./history";
export type {
  EndpointSummary,
  FaultDescription,
  FaultType,
  LifecycleState,
  ProcessSummary,
  RecordedEvent,
  RecordedExchange,
  RecordedFault,
  RecordedKind,
  RecordedLifecycle,
  RecordedStep,
  ScenarioHistory,
  ServiceSummary,
  StepStatus,
  TopologySummary,
} from "./history";
export { Recorder } from "./recorder";
export type { RecorderOptions, StepRecord } from "./recorder";
export { parseHistory } from "./history-io";

// Invariant checkers
export { checkers, runCheckers, summarizeChecks } from "./checkers";
export { checkAudienceSafety } from "./checkers/audience";
export { checkUniqueLink } from "./checkers/unique-link";
export { checkUniqueBinding } from "./checkers/unique-binding";
export { checkEventOrder } from "./checkers/event-order";
export { checkOneOutcome } from "./checkers/one-outcome";
export { PENDING_GRACE_MS } from "./checkers/sent-requests";
export { checkNoDuplicate } from "./checkers/no-duplicate";
export { checkReportFifo } from "./checkers/report-fifo";
export { checkGroupIsolation } from "./checkers/group-isolation";
export type { Checker, CheckOutcome, CheckResult, InvariantId, Violation } from "./checkers/types";

// Reports
export { writeRunReport, renderRunHtml, renderJunit, renderTimeline, buildTimeline, countRun, describeExchange, describeRecorded } from "./report";
export type { RunReport, ScenarioReport, StepReport, RunCounts, TimelineModel, TimelineOptions, WrittenReport } from "./report";
export { screenshot, findChromium } from "./screenshot";
export type { ScreenshotOptions } from "./screenshot";

// cucumber-js formatters (load them by path: REPORT_FORMATTER, PROGRESS_FORMATTER)
export { default as ExlabReportFormatter } from "./formatter";
export { default as ExlabProgressFormatter } from "./progress-formatter";
export { REPORT_FORMATTER, PROGRESS_FORMATTER } from "./formatter-paths";
export type { ExlabFormatOptions } from "./cucumber/options";

// Synthetic histories (tests, fixtures, demos)
export { HistoryBuilder, ProcessHandle } from "./builder";
export type { HistoryBuilderOptions, ServiceInfo } from "./builder";
export { demoHistory, demoTopology } from "./demo-history";
export type { DemoOptions } from "./demo-history";
export { demoRunReport } from "./demo-run";

// Errors
export { BadEventError, BadHistoryError, ChromiumMissingError, EvidenceError, ReportWriteError, ScreenshotError } from "./errors";
export type { EvidenceErrorCode } from "./errors";
