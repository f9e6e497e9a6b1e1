import { messageOf } from "../common";
import { ExpectationError } from "./errors";

/** What one look at the world found: success with a value, or what was seen instead. */
export type Look<T> = { ok: true; value: T } | { ok: false; seen: string };

export const ok = <T>(value: T): Look<T> => ({ ok: true, value });
export const notYet = (seen: string): Look<never> => ({ ok: false, seen });

export interface PollOptions {
  /** @default 100 */
  intervalMs?: number;
  now?: () => number;
}

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
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const deadline = now() + timeoutMs;
  let last = "nothing yet";
  let lastError: unknown;
  for (;;) {
    const started = now();
    try {
      const r = await look();
      if (r.ok) return r.value;
      last = r.seen;
      lastError = undefined;
    } catch (err) {
      last = messageOf(err);
      lastError = err;
    }
    if (now() >= deadline) {
      throw new ExpectationError(`within ${fmt(timeoutMs)} ${failure}; ${last}`, last, { cause: lastError });
    }
    await sleep(Math.max(0, Math.min(interval - (now() - started), deadline - now())));
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
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const start = now();
  const end = start + windowMs;
  for (;;) {
    const r = await look();
    if (!r.ok)
      throw new ExpectationError(`for ${fmt(windowMs)} ${expected}, but after ${fmt(now() - start)} ${r.seen}`, r.seen);
    if (now() >= end) return;
    await sleep(Math.max(0, Math.min(interval, end - now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function fmt(ms: number): string {
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.round(ms)}ms`;
}
