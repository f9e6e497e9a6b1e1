const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
};

const DURATION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*$/i;

/** Thrown by `parseDuration` for text that is not a duration. */
export class DurationError extends Error {
  readonly code = "DURATION_INVALID";
  constructor(readonly text: string) {
    super(`"${text}" is not a duration: expected a number and a unit, e.g. 200ms, 1s, 1.5 s, 5 seconds, 2 minutes`);
    this.name = "DurationError";
  }
}

/** True when `text` is accepted by `parseDuration`. */
export function isDuration(text: string): boolean {
  const m = DURATION.exec(text);
  return m !== null && m[2].toLowerCase() in UNIT_MS;
}

/**
 * Milliseconds in a duration written as a non-negative number and a unit, with or without a space:
 * `200ms`, `500 ms`, `1s`, `1.5 s`, `5 seconds`, `2 minutes`, `1h`. Units: ms/msec/millisecond(s),
 * s/sec/second(s), m/min/minute(s), h/hr/hour(s), any case. Used for topology `timing` and by the Gherkin
 * `{duration}` parameter type.
 * @throws DurationError for anything else (a bare number included: its unit would be a guess).
 */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  const unit = m?.[2].toLowerCase();
  if (!m || unit === undefined || !(unit in UNIT_MS)) throw new DurationError(text);
  return Math.round(Number(m[1]) * UNIT_MS[unit] * 1000) / 1000;
}

/** The shortest natural rendering of a duration in ms: 1500 → "1.5s", 200 → "200ms", 120000 → "2m". */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 360_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 6_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
