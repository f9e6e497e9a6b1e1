import { parseDuration } from "../topology";

/**
 * The `{duration}` parameter type of the Gherkin vocabulary: a number and a unit, with or without a space —
 * "5 seconds", "500 ms", "1.5 s", "200ms", "2 minutes". No capture groups (cucumber passes the whole match).
 */
export const DURATION_PATTERN = /\d+(?:\.\d+)?\s?(?:ms|milliseconds?|millis|s|secs?|seconds?|m|mins?|minutes?)/;

/** Milliseconds of a `{duration}` match. */
export function durationParameter(text: string): number {
  return parseDuration(text === "" ? text : text.replace(/millis$/, "ms"));
}
