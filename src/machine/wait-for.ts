import { notYet, ok, pollUntil, WaitTimeoutError as Timeout } from "../common";
import { MachineError } from "./errors";

export interface WaitForOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Pause between attempts. @default 50 */
  intervalMs?: number;
  /** Says what was awaited, for the timeout error. */
  message: string;
}

/** A condition was not met in time (code `MACHINE_WAIT_TIMEOUT`); `last` is the last value or error seen. */
export class WaitTimeoutError extends MachineError {
  declare readonly code: "MACHINE_WAIT_TIMEOUT";
  constructor(
    message: string,
    timeoutMs: number,
    readonly last: unknown,
  ) {
    const seen = last instanceof Error ? `last error: ${last.message}` : `last value: ${safeJson(last)}`;
    super("MACHINE_WAIT_TIMEOUT", `Timed out after ${timeoutMs} ms waiting for ${message} (${seen})`, {
      cause: last instanceof Error ? last : undefined,
    });
  }
}

/**
 * Polls `fn` until it returns a truthy value (which it resolves with) or the deadline passes: the common
 * {@link pollUntil} with the machine's error. A throwing `fn` counts as not yet; the last error is kept for the
 * timeout message.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions): Promise<NonNullable<T>> {
  try {
    return await pollUntil(
      async () => {
        const value = await fn();
        return value ? ok(value as NonNullable<T>) : notYet<unknown>(value);
      },
      { describe: opts.message, deadlineMs: opts.timeoutMs, intervalMs: opts.intervalMs ?? 50 },
    );
  } catch (err) {
    if (err instanceof Timeout) throw new WaitTimeoutError(opts.message, opts.timeoutMs, err.seen);
    throw err;
  }
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(v);
  }
}
