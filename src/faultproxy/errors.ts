/** Stable codes of every error the fault proxy reports; the HTTP status and text follow Toxiproxy 2.12. */
export type FaultProxyErrorCode =
  | "FP_BAD_REQUEST_BODY"
  | "FP_MISSING_FIELD"
  | "FP_PROXY_NOT_FOUND"
  | "FP_PROXY_EXISTS"
  | "FP_INVALID_STREAM"
  | "FP_INVALID_TOXIC_TYPE"
  | "FP_TOXIC_EXISTS"
  | "FP_TOXIC_NOT_FOUND"
  | "FP_INVALID_ATTRIBUTE"
  | "FP_LISTEN"
  | "FP_ALREADY_STARTED"
  | "FP_CONFIG"
  | "FP_INTERNAL";

/**
 * An error with an HTTP status, serialised by the API as Toxiproxy does: `{"error":"<message>","status":<n>}`.
 * `message` is the exact Toxiproxy text where Toxiproxy has one.
 */
export class FaultProxyError extends Error {
  constructor(
    readonly code: FaultProxyErrorCode,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "FaultProxyError";
  }
}

export const badRequestBody = (detail: string, cause?: unknown): FaultProxyError =>
  new FaultProxyError("FP_BAD_REQUEST_BODY", 400, `bad request body: ${detail}`, { cause });
export const missingField = (detail: string): FaultProxyError =>
  new FaultProxyError("FP_MISSING_FIELD", 400, `missing required field: ${detail}`);
export const proxyNotFound = (): FaultProxyError => new FaultProxyError("FP_PROXY_NOT_FOUND", 404, "proxy not found");
export const proxyExists = (): FaultProxyError => new FaultProxyError("FP_PROXY_EXISTS", 409, "proxy already exists");
export const invalidStream = (): FaultProxyError =>
  new FaultProxyError("FP_INVALID_STREAM", 400, "stream was invalid, can be either upstream or downstream");
export const invalidToxicType = (): FaultProxyError =>
  new FaultProxyError("FP_INVALID_TOXIC_TYPE", 400, "invalid toxic type");
export const toxicExists = (): FaultProxyError => new FaultProxyError("FP_TOXIC_EXISTS", 409, "toxic already exists");
export const toxicNotFound = (): FaultProxyError => new FaultProxyError("FP_TOXIC_NOT_FOUND", 404, "toxic not found");
/** Not in Toxiproxy: values that crash or hang the Go server are refused instead. */
export const invalidAttribute = (message: string): FaultProxyError =>
  new FaultProxyError("FP_INVALID_ATTRIBUTE", 400, `invalid toxic attributes: ${message}`);
/** Listen, bind and resolve failures: 500 with Go's error text. */
export const listenError = (message: string, cause?: unknown): FaultProxyError =>
  new FaultProxyError("FP_LISTEN", 500, message, { cause });
export const alreadyStarted = (): FaultProxyError =>
  new FaultProxyError("FP_ALREADY_STARTED", 500, "Proxy already started");

/** Any error as a FaultProxyError (unknown ones become 500, as Toxiproxy's apiError does). */
export function asFaultProxyError(err: unknown): FaultProxyError {
  if (err instanceof FaultProxyError) return err;
  return new FaultProxyError("FP_INTERNAL", 500, messageOf(err), { cause: err });
}

/** The message of anything thrown (the fault proxy may not import src/common). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
