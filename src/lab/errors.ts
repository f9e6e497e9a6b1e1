/**
 * The lab's error catalogue. Every error has a stable `code`, a readable message saying what was expected, what was
 * seen instead and where to look, and the foreign error (child process, HTTP, proxy API) as `cause`.
 */
export type LabErrorCode =
  | "LAB_UNKNOWN_NAME"
  | "LAB_MACHINE_START_FAILED"
  | "LAB_MACHINE_EXITED"
  | "LAB_TIMEOUT"
  | "LAB_EXPECTATION_FAILED"
  | "LAB_FAULT_FAILED"
  | "LAB_PROXY_SERVER_FAILED"
  | "LAB_NO_SUBNET"
  | "LAB_TOPOLOGY_INVALID"
  | "LAB_CONTROL_API"
  | "LAB_STATE";

export class LabError extends Error {
  readonly code: LabErrorCode;
  constructor(code: LabErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A step or call named a machine, process, service or link that does not exist; the message lists those that do. */
export class UnknownNameError extends LabError {
  constructor(kind: string, name: string, known: readonly string[]) {
    super("LAB_UNKNOWN_NAME", `unknown ${kind} "${name}"; known ${kind}s: ${known.length ? known.join(", ") : "(none)"}`);
  }
}

/** A machine did not become ready: the message carries its last log lines. */
export class MachineStartError extends LabError {
  constructor(
    readonly machine: string,
    reason: string,
    readonly lastLines: readonly string[],
    readonly logPath?: string,
    options?: { cause?: unknown },
  ) {
    super(
      "LAB_MACHINE_START_FAILED",
      `machine "${machine}" did not start: ${reason}` +
        (logPath ? ` (log: ${logPath})` : "") +
        (lastLines.length ? `\n  last lines:\n    ${lastLines.join("\n    ")}` : ""),
      options,
    );
  }
}

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

export class ProxyServerError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("LAB_PROXY_SERVER_FAILED", message, options);
  }
}

export class ControlApiError extends LabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("LAB_CONTROL_API", message, options);
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
