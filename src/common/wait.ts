import { CodedError, messageOf } from "./errors";

// The one waiting primitive: look until a condition holds (or must keep holding) within a time bound, and say
// what the last look saw when it does not. Every wait of the lab goes through it; each part maps the errors
// below to its own catalogue where its callers expect that.

/** What one look found: the condition holds (with a value), or what was seen instead. */
export type Look<T, S = string> = { ok: true; value: T } | { ok: false; seen: S };

export const ok = <T>(value: T): Look<T, never> => ({ ok: true, value });
export const notYet = <S = string>(seen: S): Look<never, S> => ({ ok: false, seen });

/** Time as the waits see it; inject a fake one to test a wait without waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it does not reject: the wait checks the signal). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};

export interface WaitOptions {
  /** What is awaited, for the error: "the fault proxy API to answer". */
  describe: string;
  /** Looks start this often (back to back when a look takes longer). @default 100 */
  intervalMs?: number;
  /** If set, the interval doubles after each look, from `intervalMs` up to this. */
  maxIntervalMs?: number;
  /** Aborting ends the wait at once: it rejects with `signal.reason`, as fetch does. */
  signal?: AbortSignal;
  /** @default systemClock */
  clock?: Clock;
}

export interface PollOptions extends WaitOptions {
  /** Give up after this long (there is always a look at or after it). */
  deadlineMs: number;
}

export interface HoldOptions extends WaitOptions {
  /** The condition must hold this long (there is always a look at or after its end). */
  windowMs: number;
}

/**
 * The condition did not hold before the deadline (code `WAIT_TIMEOUT`). `seen` is what the last look saw: its
 * `notYet` value, or the error it threw; `cause` is the last error any look threw.
 */
export class WaitTimeoutError extends CodedError<"WAIT_TIMEOUT"> {
  readonly describe: string;
  readonly deadlineMs: number;
  readonly seen: unknown;
  constructor(o: { describe: string; deadlineMs: number; seen: unknown; lastError?: unknown }) {
    super(
      "WAIT_TIMEOUT",
      `timed out after ${formatMs(o.deadlineMs)} waiting for ${o.describe}; it saw: ${show(o.seen)}`,
      {
        cause: o.lastError,
      },
    );
    this.describe = o.describe;
    this.deadlineMs = o.deadlineMs;
    this.seen = o.seen;
  }
}

/** A condition that had to hold for a whole window did not (code `WAIT_HOLD_BROKEN`), `afterMs` into it. */
export class HoldBrokenError extends CodedError<"WAIT_HOLD_BROKEN"> {
  readonly describe: string;
  readonly windowMs: number;
  readonly afterMs: number;
  readonly seen: unknown;
  constructor(o: { describe: string; windowMs: number; afterMs: number; seen: unknown }) {
    super(
      "WAIT_HOLD_BROKEN",
      `${o.describe} did not hold for ${formatMs(o.windowMs)}: after ${formatMs(o.afterMs)} it saw: ${show(o.seen)}`,
    );
    this.describe = o.describe;
    this.windowMs = o.windowMs;
    this.afterMs = o.afterMs;
    this.seen = o.seen;
  }
}

/**
 * Looks until `look` says ok (resolving with its value) or the deadline passes (rejecting with
 * {@link WaitTimeoutError}). A look that throws counts as not yet.
 */
export async function pollUntil<T, S = string>(
  look: () => Look<T, S> | Promise<Look<T, S>>,
  options: PollOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.deadlineMs;
  const pace = pacer(options, clock);
  let seen: unknown;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    pace.began();
    try {
      const r = await look();
      if (r.ok) return r.value;
      seen = r.seen;
    } catch (err) {
      seen = lastError = err;
    }
    options.signal?.throwIfAborted();
    if (clock.now() >= deadline) {
      throw new WaitTimeoutError({ describe: options.describe, deadlineMs: options.deadlineMs, seen, lastError });
    }
    await pace.pause(deadline);
  }
}

/**
 * Looks for the whole window; every look must say ok ("never" steps). Rejects with {@link HoldBrokenError} at
 * the first look that does not; a look that throws rejects the wait with its error.
 */
export async function holdFor<S = string>(
  look: () => Look<unknown, S> | Promise<Look<unknown, S>>,
  options: HoldOptions,
): Promise<void> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const end = start + options.windowMs;
  const pace = pacer(options, clock);
  for (;;) {
    options.signal?.throwIfAborted();
    pace.began();
    const r = await look();
    if (!r.ok) {
      const { describe, windowMs } = options;
      throw new HoldBrokenError({ describe, windowMs, afterMs: clock.now() - start, seen: r.seen });
    }
    options.signal?.throwIfAborted();
    if (clock.now() >= end) return;
    await pace.pause(end);
  }
}

/** The pause between looks: what is left of the interval since the last look began, never past `until`. */
function pacer(options: WaitOptions, clock: Clock) {
  let interval = options.intervalMs ?? 100;
  let began = 0;
  return {
    began: () => (began = clock.now()),
    pause: async (until: number) => {
      const now = clock.now();
      await clock.sleep(Math.max(0, Math.min(interval - (now - began), until - now)), options.signal);
      if (options.maxIntervalMs !== undefined) interval = Math.min(interval * 2, options.maxIntervalMs);
    },
  };
}

/** A duration for people: "250ms", "3s", "1.25s". */
export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.round(ms)}ms`;
}

/** What a look saw, as text: a string as is, an error by its message, anything else as (short) JSON. */
export function show(seen: unknown): string {
  if (typeof seen === "string") return seen;
  if (seen instanceof Error) return messageOf(seen);
  try {
    const s = JSON.stringify(seen);
    return s === undefined ? String(seen) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(seen);
  }
}
