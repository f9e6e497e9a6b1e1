import { CodedError } from "../common";

/** The lab's own errors (drivers, topology, machines and evidence have theirs); see README "Errors". */
export type LabErrorCode =
  | "LAB_UNKNOWN_NAME"
  | "LAB_TIMEOUT"
  | "LAB_EXPECTATION_FAILED"
  | "LAB_FAULT_FAILED"
  | "LAB_BAD_FAULT_VERB"
  | "LAB_STATE";

export class LabError extends CodedError<LabErrorCode> {}

/** A condition did not hold before its deadline; `seen` says what was observed instead. */
export class ExpectationError extends LabError {
  constructor(
    message: string,
    readonly seen?: string,
  ) {
    super("LAB_EXPECTATION_FAILED", message);
  }
}

export class FaultError extends LabError {
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
