import { runCheckers, summarizeChecks } from "../checkers";
import type { ScenarioHistory } from "../history";
import { isFailure } from "./scenario-html";
import type { RunReport, ScenarioReport, StepReport } from "./types";

/**
 * The report of one history recorded outside cucumber (an `exlab up` session): one scenario whose steps are the
 * history's step entries. As in a cucumber run, a violated invariant fails it through a failed after-hook step,
 * and the first failure is the scenario's error. Uses the history's checks, or runs the checkers when it has none.
 */
export function sessionReport(h: ScenarioHistory, finishedAt: number): RunReport {
  const steps: StepReport[] = h.events.flatMap((e) =>
    e.kind === "step"
      ? [
          {
            keyword: e.keyword,
            text: e.text,
            status: e.status,
            durationMs: e.durationMs,
            ...(e.error !== undefined ? { error: e.error } : {}),
          },
        ]
      : [],
  );
  const checks = h.checks ?? runCheckers(h);
  const broken = checks.filter((c) => c.status !== "passed");
  if (broken.length)
    steps.push({
      keyword: "",
      text: "After hook: every invariant holds",
      status: "failed",
      durationMs: 0,
      hook: "after",
      error: `invariants violated:\n${summarizeChecks(broken)}`,
    });
  const failed = steps.find(isFailure);
  const scenario: ScenarioReport = {
    feature: h.feature,
    name: h.scenario,
    tags: h.tags,
    steps,
    verdict: failed ? "failed" : "passed",
    ...(failed
      ? { error: `${failed.keyword}${failed.text}: ${(failed.error ?? `step is ${failed.status}`).split("\n")[0]}` }
      : {}),
    startedAt: h.startedAt,
    durationMs: Math.max(0, finishedAt - h.startedAt),
    history: { ...h, checks },
  };
  return {
    runId: h.runId,
    startedAt: h.startedAt,
    finishedAt,
    ...(h.driver !== undefined ? { driver: h.driver } : {}),
    scenarios: [scenario],
  };
}
