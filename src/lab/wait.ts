import {
  formatMs,
  holdFor as holdCommon,
  HoldBrokenError,
  messageOf,
  pollUntil as pollCommon,
  systemClock,
  WaitTimeoutError,
  type Clock,
  type Look as CommonLook,
} from "../common";
import { ExpectationError } from "./errors";

// The lab's polling assertions: the common waiting primitive with the lab's wording, failing with
// ExpectationError ("within 3s right/buyer never saw service shop; it saw: []").

/** What one look at the world found: success with a value, or what was seen instead. */
export type Look<T> = CommonLook<T>;
export { ok, notYet } from "../common";

export interface PollOptions {
  /** @default 100 */
  intervalMs?: number;
  now?: () => number;
}

const clockOf = (options: PollOptions): Clock =>
  options.now ? { now: options.now, sleep: systemClock.sleep } : systemClock;

/**
 * Looks until the condition holds or the deadline passes; the error says what was expected and what the last
 * look saw. A look that throws counts as "not yet" with the error's message.
 */
export async function pollUntil<T>(
  failure: string,
  timeoutMs: number,
  look: () => Promise<Look<T>>,
  options: PollOptions = {},
): Promise<T> {
  try {
    return await pollCommon(look, {
      describe: failure,
      deadlineMs: timeoutMs,
      intervalMs: options.intervalMs ?? 100,
      clock: clockOf(options),
    });
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const last = typeof err.seen === "string" ? err.seen : messageOf(err.seen);
    throw new ExpectationError(`within ${fmt(timeoutMs)} ${failure}; ${last}`, last, { cause: err.cause });
  }
}

/**
 * Holds for the whole window: every look must succeed ("never" steps). Fails at the first look that does not,
 * saying when and what was seen.
 */
export async function holdFor(
  expected: string,
  windowMs: number,
  look: () => Promise<Look<unknown>>,
  options: PollOptions = {},
): Promise<void> {
  try {
    await holdCommon(look, {
      describe: expected,
      windowMs,
      intervalMs: options.intervalMs ?? 100,
      clock: clockOf(options),
    });
  } catch (err) {
    if (!(err instanceof HoldBrokenError)) throw err;
    const seen = err.seen as string;
    throw new ExpectationError(`for ${fmt(windowMs)} ${expected}, but after ${fmt(err.afterMs)} ${seen}`, seen);
  }
}

export const fmt: (ms: number) => string = formatMs;
