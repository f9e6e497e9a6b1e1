import { didYouMean, parseDuration, type Timing } from "../../topology";
import { ScheduleSettingsError } from "../errors";
import { defaultScheduleSettings, type ScheduleSettings } from "./generate";
import { SCHEDULE_KINDS } from "./kinds";

/** A random-faults step's settings: the schedule's, and how recovery is judged once it is over. */
export interface RandomFaultsSettings extends ScheduleSettings {
  /** Once every fault has ended: how long every process may take to be up and every link active again. */
  recoveryMs: number;
  /** Then how long the lab is left alone before the steps after judge it. */
  quietMs: number;
}

const SETTINGS = ["at once", "lasting", "between", "quiet", "recovery"] as const;
const HEADER = ["fault", "weight"];

/** The quiet period by default: what the exchange needs to notice a dead link and dial again, plus a second. */
export function defaultQuietMs(timing: Timing): number {
  return timing.missedBeats * timing.heartbeatMs + timing.retryDelayMs + 1000;
}

/**
 * The settings of a random-faults step from its table, if it has one. Each row is `| name | value |`: a kind and its
 * weight (a table that names kinds draws only those), or a setting — `at once` (faults in force together),
 * `lasting` and `between` (a range: "1 s to 4 s", or one duration), `quiet` and `recovery` (durations). An optional
 * first row `| fault | weight |` is a header. Throws a {@link ScheduleSettingsError} naming the row.
 */
export function randomFaultsSettings(
  windowMs: number,
  timing: Timing,
  rows: readonly string[][] = [],
): RandomFaultsSettings {
  const s: RandomFaultsSettings = {
    ...defaultScheduleSettings(windowMs),
    recoveryMs: 30_000,
    quietMs: defaultQuietMs(timing),
  };
  if (!(windowMs > 0)) throw new ScheduleSettingsError(`random faults need a time to strike in, not ${windowMs} ms`);
  const weights: Record<string, number> = {};
  const kinds = SCHEDULE_KINDS.map((k) => k.name);
  rows.forEach((row, i) => {
    const [rawName, value = ""] = row.map((c) => c.trim());
    const name = rawName.toLowerCase();
    const where = `row ${i + 1} (| ${row.join(" | ")} |)`;
    if (i === 0 && name === HEADER[0] && value.toLowerCase() === HEADER[1]) return;
    const fail = (why: string): never => {
      throw new ScheduleSettingsError(`random faults, ${where}: ${why}`);
    };
    if (row.length !== 2) fail("a row is | name | value |: a fault kind and its weight, or a setting and its value");
    if (kinds.includes(name)) {
      const w = Number(value);
      if (value === "" || !Number.isFinite(w) || w < 0) fail(`the weight of "${name}" must be a number ≥ 0`);
      weights[name] = w;
      return;
    }
    const duration = (text = value, example = '"2 s", "500 ms"') => {
      try {
        return parseDuration(text);
      } catch {
        return fail(`"${text}" is not a duration (e.g. ${example})`);
      }
    };
    const range = (): [number, number] => {
      const parts = value.split(/\s+to\s+/i);
      if (parts.length > 2) fail(`"${value}" is not a range (e.g. "1 s to 4 s")`);
      const [lo, hi = lo] = parts.map((p) => duration(p, '"1 s to 4 s"'));
      if (hi < lo) fail(`the range "${value}" ends before it begins`);
      return [lo, hi];
    };
    switch (name as (typeof SETTINGS)[number]) {
      case "at once": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) fail(`"at once" must be a whole number ≥ 1, not "${value}"`);
        s.atOnce = n;
        return;
      }
      case "lasting":
        s.lasting = range();
        if (s.lasting[0] < 100) fail("a fault lasts at least 100 ms");
        return;
      case "between":
        s.between = range();
        return;
      case "quiet":
        s.quietMs = duration();
        return;
      case "recovery":
        s.recoveryMs = duration();
        return;
      default:
        fail(
          `unknown fault kind or setting "${rawName}"; ${didYouMean(name, [...kinds, ...SETTINGS])}` +
            `kinds: ${kinds.join(", ")}; settings: ${SETTINGS.join(", ")}`,
        );
    }
  });
  if (Object.keys(weights).length) s.weights = weights;
  if (!Object.values(s.weights).some((w) => w > 0)) throw new ScheduleSettingsError("random faults: every weight is 0");
  if (s.lasting[0] > windowMs)
    throw new ScheduleSettingsError(
      `random faults: a fault lasts at least ${s.lasting[0]} ms, longer than the ${windowMs} ms window`,
    );
  return s;
}
