import { CodedError } from "../common";

/** The lab's own errors (drivers, topology, machines and evidence have theirs); see README "Errors". */
export type LabErrorCode =
  | "LAB_UNKNOWN_NAME"
  | "LAB_TIMEOUT"
  | "LAB_EXPECTATION_FAILED"
  | "LAB_FAULT_FAILED"
  | "LAB_BAD_FAULT_VERB"
  | "LAB_STATE"
  | "LAB_PROCESS_START_FAILED"
  | "LAB_SCHEDULE_FAILED"
  | "LAB_SCHEDULE_SETTINGS";

export class LabError extends CodedError<LabErrorCode> {}

/**
 * A condition did not hold before its deadline; `seen` says what was observed instead, `cause` is the error the
 * last look threw, if it threw.
 */
export class ExpectationError extends LabError {
  declare readonly code: "LAB_EXPECTATION_FAILED";
  constructor(
    message: string,
    readonly seen?: string,
    options?: { cause?: unknown },
  ) {
    super("LAB_EXPECTATION_FAILED", message, options);
  }
}

/**
 * A fault could not be applied through the fault proxy, or names a proxy this run did not create; `cause` is the
 * proxy client's error.
 */
export class FaultError extends LabError {
  declare readonly code: "LAB_FAULT_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super("LAB_FAULT_FAILED", message, options);
  }
}

/** A fault verb given to `registerFaultVerb` is malformed, or its name or a phrase of it is taken. */
export class FaultVerbError extends LabError {
  constructor(message: string) {
    super("LAB_BAD_FAULT_VERB", message);
  }
}

/**
 * A process did not start (at the lab's start, or when started again): a program that cannot be spawned, exits or
 * throws before it is ready, never calls startExchangeNode(), or whose exchange groups differ from its topology's.
 * The message carries the reason (with the exit code) and the log's last lines (a program's last stderr lines).
 */
export class ProcessStartError extends LabError {
  declare readonly code: "LAB_PROCESS_START_FAILED";
  constructor(
    readonly process: string,
    readonly reason: string,
    readonly lastLines: readonly string[],
    readonly logPath?: string,
    options?: { cause?: unknown },
  ) {
    super(
      "LAB_PROCESS_START_FAILED",
      `process "${process}" did not start: ${reason}` +
        (lastLines.length
          ? `\n  last lines of its log${logPath ? ` (${logPath})` : ""}:\n    ${lastLines.join("\n    ")}`
          : ""),
      options,
    );
  }
}

/**
 * A random fault schedule could not be carried out: an action of it failed (`cause`); `realized` lists every action
 * done until then. The faults begun were ended before it was thrown.
 */
export class ScheduleError extends LabError {
  declare readonly code: "LAB_SCHEDULE_FAILED";
  constructor(
    message: string,
    readonly realized: readonly unknown[],
    options?: { cause?: unknown },
  ) {
    super("LAB_SCHEDULE_FAILED", message, options);
  }
}

/** A random schedule's settings (the step's table) are wrong: an unknown kind or setting, a bad number or range. */
export class ScheduleSettingsError extends LabError {
  declare readonly code: "LAB_SCHEDULE_SETTINGS";
  constructor(message: string) {
    super("LAB_SCHEDULE_SETTINGS", message);
  }
}
