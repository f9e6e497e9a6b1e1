import { scheduleActions, type RealizedAction } from "./strike";
import type { ScheduleTopology, ScheduledFault } from "./kinds";

/** A Gherkin step of a replay: keyword and text. */
export interface ReplayStep {
  keyword: "When" | "Then";
  text: string;
}

/** How long, in a step's words: "30 seconds", "2.5 seconds", "850 ms". */
export function durationWords(ms: number): string {
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000} second${ms === 1000 ? "" : "s"}`;
  return `${Math.round(ms)} ms`;
}

/**
 * A schedule written as named steps, with no randomness: each fault's start and end steps at their offsets, the
 * waits between them (`When 850 ms pass`) shortened by what each action took when it was realized (so the steps
 * start when they did), then the recovery the random step waited for and its quiet period.
 */
export function replaySteps(
  faults: readonly ScheduledFault[],
  topology: ScheduleTopology,
  realized: readonly RealizedAction[],
  after: { recoveryMs: number; quietMs: number },
): ReplayStep[] {
  const took = new Map(realized.map((a) => [`${a.fault}:${a.phase}:${a.step}`, a.durationMs]));
  const steps: ReplayStep[] = [];
  let cursor = 0;
  for (const p of scheduleActions(faults, topology)) {
    const gap = Math.round((p.at - cursor) / 10) * 10;
    if (gap >= 10) steps.push({ keyword: "When", text: `${durationWords(gap)} pass` });
    steps.push({ keyword: "When", text: p.action.step });
    cursor = Math.max(cursor, p.at) + (took.get(`${p.fault.n}:${p.phase}:${p.action.step}`) ?? 0);
  }
  steps.push({ keyword: "Then", text: `within ${durationWords(after.recoveryMs)} the lab has recovered` });
  if (after.quietMs > 0) steps.push({ keyword: "When", text: `${durationWords(after.quietMs)} pass` });
  return steps;
}

/** The faults kept by a shrink, moved together so the first starts when the schedule's first did. */
export function keepFaults(all: readonly ScheduledFault[], keep: readonly number[]): ScheduledFault[] {
  const kept = all.filter((f) => keep.includes(f.n));
  if (kept.length === 0) return [];
  const shift = kept[0].at - all[0].at;
  return kept.map((f) => ({ ...f, at: f.at - shift }));
}
