import { dueOrder, type RealizedAction } from "./strike";

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
 * A realized schedule written as named steps, with no randomness: each action's step at its offset, the waits
 * between them (`When 850 ms pass`) shortened by what each action took when it was realized (so the steps start
 * when they did), then the recovery the random step waited for and its quiet period.
 */
export function replaySteps(
  actions: readonly RealizedAction[],
  after: { recoveryMs: number; quietMs: number },
): ReplayStep[] {
  const steps: ReplayStep[] = [];
  let cursor = 0;
  for (const a of [...actions].sort(dueOrder)) {
    const gap = Math.round((a.at - cursor) / 10) * 10;
    if (gap >= 10) steps.push({ keyword: "When", text: `${durationWords(gap)} pass` });
    steps.push({ keyword: "When", text: a.step });
    cursor = Math.max(cursor, a.at) + a.durationMs;
  }
  steps.push({ keyword: "Then", text: `within ${durationWords(after.recoveryMs)} the lab has recovered` });
  if (after.quietMs > 0) steps.push({ keyword: "When", text: `${durationWords(after.quietMs)} pass` });
  return steps;
}

/**
 * The actions of the faults kept by a shrink (by fault number), moved together so that the first starts when the
 * schedule's first action did: their relative timing is kept.
 */
export function keepFaults(actions: readonly RealizedAction[], keep: readonly number[]): RealizedAction[] {
  const all = [...actions].sort(dueOrder);
  const kept = all.filter((a) => keep.includes(a.fault));
  if (kept.length === 0) return [];
  const shift = kept[0].at - all[0].at;
  return kept.map((a) => ({ ...a, at: a.at - shift }));
}

/** The faults a realized schedule began, by number, in order. */
export function faultsBegun(actions: readonly RealizedAction[]): number[] {
  return [...new Set(actions.filter((a) => a.phase === "start").map((a) => a.fault))].sort((a, b) => a - b);
}
