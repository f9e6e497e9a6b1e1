import type { ExchangeErrorCode } from "../exchange";

/**
 * Every code a machine error carries (see README "Errors"). An exchange error raised in a process is answered by
 * the control API as `EXCHANGE_<its code>`.
 */
export type MachineErrorCode =
  | "MACHINE_BAD_SPEC"
  | "MACHINE_BAD_REQUEST"
  | "MACHINE_NOT_FOUND"
  | "MACHINE_CONFLICT"
  | "MACHINE_METHOD_NOT_ALLOWED"
  | "MACHINE_NO_ROUTE"
  | "MACHINE_BODY_TOO_LARGE"
  | "MACHINE_INTERNAL"
  | "MACHINE_HOST_TIMEOUT"
  | "MACHINE_HOST_FAILED"
  | "MACHINE_HOST_ERROR"
  | "MACHINE_WAIT_TIMEOUT"
  | "MACHINE_HTTP_ERROR"
  | "MACHINE_UNREACHABLE"
  | "MACHINE_CLIENT_TIMEOUT"
  | "MACHINE_PROTOCOL"
  | "MACHINE_PROGRAM_CONFIG"
  | `EXCHANGE_${ExchangeErrorCode}`;

/**
 * The machine part's error catalogue. Every error has a stable `code`; errors that cross the control API
 * also carry the HTTP `status` they are answered with, as the body `{ error, code, ...details }`.
 */
export class MachineError extends Error {
  /** HTTP status when the error is answered over the control API. */
  readonly status: number;
  /** Extra fields for the error body (e.g. `known` names). */
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: MachineErrorCode,
    message: string,
    options: { status?: number; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.details = options.details ?? {};
  }
}

/** A machine or process spec is malformed (code `MACHINE_BAD_SPEC`, 400). `problems` lists each one. */
export class SpecError extends MachineError {
  declare readonly code: "MACHINE_BAD_SPEC";
  constructor(
    message: string,
    readonly problems: string[],
    cause?: unknown,
  ) {
    super("MACHINE_BAD_SPEC", `${message}:\n  - ${problems.join("\n  - ")}`, {
      status: 400,
      cause,
      details: { problems },
    });
  }
}

/** A control-API request is malformed (code `MACHINE_BAD_REQUEST`, 400). */
export class BadRequestError extends MachineError {
  declare readonly code: "MACHINE_BAD_REQUEST";
  constructor(message: string, problems: string[] = [], options?: { cause?: unknown }) {
    super("MACHINE_BAD_REQUEST", problems.length ? `${message}: ${problems.join("; ")}` : message, {
      status: 400,
      cause: options?.cause,
      details: problems.length ? { problems } : {},
    });
  }
}

/** An unknown process, service, subscription or route (code `MACHINE_NOT_FOUND`, 404), with the known names. */
export class NotFoundError extends MachineError {
  declare readonly code: "MACHINE_NOT_FOUND";
  constructor(
    what: string,
    name: string,
    readonly known: string[],
  ) {
    super(
      "MACHINE_NOT_FOUND",
      `Unknown ${what} "${name}"; known: ${known.length ? known.map((k) => `"${k}"`).join(", ") : "(none)"}`,
      {
        status: 404,
        details: { known },
      },
    );
  }
}

/** The request conflicts with the current state, e.g. starting a running process (code `MACHINE_CONFLICT`, 409). */
export class ConflictError extends MachineError {
  declare readonly code: "MACHINE_CONFLICT";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("MACHINE_CONFLICT", message, { status: 409, details });
  }
}

/** A process host did not answer a command in time (code `MACHINE_HOST_TIMEOUT`, 504). */
export class HostTimeoutError extends MachineError {
  declare readonly code: "MACHINE_HOST_TIMEOUT";
  constructor(process: string, command: string, timeoutMs: number) {
    super(
      "MACHINE_HOST_TIMEOUT",
      `Process "${process}" did not answer "${command}" within ${timeoutMs} ms (frozen or overloaded?)`,
      {
        status: 504,
      },
    );
  }
}

/**
 * A process host exited or failed to start while a command or a start was in progress (code `MACHINE_HOST_FAILED`,
 * 502).
 */
export class HostFailedError extends MachineError {
  declare readonly code: "MACHINE_HOST_FAILED";
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super("MACHINE_HOST_FAILED", message, { status: 502, details, cause });
  }
}

/**
 * A user program's configuration cannot be used (code `MACHINE_PROGRAM_CONFIG`): no endpoints outside the lab, or,
 * under the lab, exchange groups or roles that differ from what its topology declares.
 */
export class ProgramConfigError extends MachineError {
  declare readonly code: "MACHINE_PROGRAM_CONFIG";
  constructor(message: string) {
    super("MACHINE_PROGRAM_CONFIG", message, { status: 400 });
  }
}

/** The message of anything thrown (the machine part may not import src/common). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
