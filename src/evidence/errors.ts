/** Errors of the evidence layer: each has a stable `code`, a message that says what to do, and a `cause`. */
export type EvidenceErrorCode =
  | "EVIDENCE_BAD_EVENT"
  | "EVIDENCE_BAD_HISTORY"
  | "EVIDENCE_REPORT_WRITE"
  | "EVIDENCE_NO_CHROMIUM"
  | "EVIDENCE_SCREENSHOT_FAILED";

export class EvidenceError extends Error {
  constructor(
    readonly code: EvidenceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EvidenceError";
  }
}

/** The recorder was given something that is not an exchange event, fault, lifecycle change or step. */
export class BadEventError extends EvidenceError {
  declare readonly code: "EVIDENCE_BAD_EVENT";
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVIDENCE_BAD_EVENT", message, options);
    this.name = "BadEventError";
  }
}

/** A serialized history (an attachment) could not be read back. */
export class BadHistoryError extends EvidenceError {
  declare readonly code: "EVIDENCE_BAD_HISTORY";
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVIDENCE_BAD_HISTORY", message, options);
    this.name = "BadHistoryError";
  }
}

/** The report directory could not be written. */
export class ReportWriteError extends EvidenceError {
  declare readonly code: "EVIDENCE_REPORT_WRITE";
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVIDENCE_REPORT_WRITE", message, options);
    this.name = "ReportWriteError";
  }
}

/** No chromium binary to take a screenshot with. */
export class ChromiumMissingError extends EvidenceError {
  declare readonly code: "EVIDENCE_NO_CHROMIUM";
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVIDENCE_NO_CHROMIUM", message, options);
    this.name = "ChromiumMissingError";
  }
}

/** Chromium ran but produced no screenshot. */
export class ScreenshotError extends EvidenceError {
  declare readonly code: "EVIDENCE_SCREENSHOT_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVIDENCE_SCREENSHOT_FAILED", message, options);
    this.name = "ScreenshotError";
  }
}
