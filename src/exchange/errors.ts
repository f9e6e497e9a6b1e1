/** Error catalogue of the exchange. Every error has a stable `code` and an optional `cause`. */
import type { Outcome } from "./types";

export type ExchangeErrorCode =
  | "DUPLICATE_EXCHANGE"
  | "INVALID_ARGUMENT"
  | "AGENT_WITHDRAWN"
  | "NODE_CLOSED"
  | "EXCHANGE_SHUT_DOWN"
  | "LISTEN_FAILED";

/** Misuse of the API or a failed local operation. */
export class ExchangeError extends Error {
  override readonly name: string = "ExchangeError";
  constructor(
    readonly code: ExchangeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type FrameErrorCode = "FRAME_TOO_LARGE" | "MALFORMED_FRAME" | "PROTOCOL_ERROR";

/** Bad wire input: closes the link it arrived on, with `code` as the close reason (S-8). */
export class FrameError extends Error {
  override readonly name = "FrameError";
  constructor(
    readonly code: FrameErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by a request handler to answer FAILURE (S-31, S-35). */
export class ServiceFailure extends Error {
  override readonly name = "ServiceFailure";
  constructor(
    readonly code: number,
    readonly description: string,
    readonly details?: unknown,
    readonly origin: string = "service",
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${description}`, options);
  }
}

/**
 * Rejection of `agent.call()`: carries the non-RESPONSE outcome. `definite` is false when the service may have acted.
 */
export class RequestError extends Error {
  override readonly name = "RequestError";
  readonly code: Exclude<Outcome["kind"], "RESPONSE">;
  readonly definite: boolean;
  constructor(
    readonly outcome: Exclude<Outcome, { kind: "RESPONSE" }>,
    options?: { cause?: unknown },
  ) {
    super(`${outcome.kind}: ${outcome.description}`, options);
    this.code = outcome.kind;
    this.definite = outcome.kind === "FAILURE" || outcome.kind === "SERVICE_UNAVAILABLE";
  }
}
