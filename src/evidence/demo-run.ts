import { runCheckers } from "./checkers";
import { demoHistory } from "./demo-history";
import type { ScenarioHistory } from "./history";
import type { RunReport, ScenarioReport } from "./report/types";

const START = 1_700_000_000_000;

/** A run of three demo scenarios: one passing, one failing at a step, one failing its invariants. */
export function demoRunReport(): RunReport {
  const passing = demoHistory({ runId: "run-demo", start: START, scenario: "A cut between alpha and beta heals" });
  const failing = demoHistory({
    runId: "run-demo",
    start: START + 10_000,
    scenario: "Web sees billing again within 5 seconds",
    failingStepError:
      'AssertionError: within 5 s process "beta/web" did not see service "billing"\n    expected: visible\n    actual: not visible (last WITHDRAW at 1.67 s, LINK_LOST)',
  });
  const violating = demoHistory({
    runId: "run-demo",
    start: START + 20_000,
    feature: "Audience safety",
    scenario: "Private services stay private",
    violate: true,
  });
  for (const h of [passing, failing, violating]) h.checks = runCheckers(h);
  return {
    runId: "run-demo",
    startedAt: START,
    finishedAt: START + 29_500,
    driver: "processes",
    scenarios: [fromHistory(passing), fromHistory(failing), fromHistory(violating, "Then every invariant holds")],
  };
}

function fromHistory(h: ScenarioHistory, failingHook?: string): ScenarioReport {
  const steps: ScenarioReport["steps"] = h.events.flatMap((e) =>
    e.kind === "step"
      ? [
          {
            keyword: e.keyword,
            text: e.text,
            status: e.status,
            durationMs: e.durationMs,
            ...(e.error ? { error: e.error } : {}),
          },
        ]
      : [],
  );
  const failedChecks = (h.checks ?? []).filter((c) => c.status !== "passed");
  if (failingHook && failedChecks.length > 0) {
    steps.push({
      keyword: "",
      text: "After hook: every invariant holds",
      status: "failed",
      durationMs: 3,
      hook: "after",
      error: `Invariants violated: ${failedChecks.map((c) => `${c.invariant} ${c.title}`).join(", ")}\n${failedChecks.flatMap((c) => c.violations.map((v) => `- ${v.message}`)).join("\n")}`,
    });
  }
  const failed = steps.find((s) => s.status === "failed");
  const last = h.events[h.events.length - 1];
  return {
    feature: h.feature,
    name: h.scenario,
    uri: "features/demo.feature",
    line: 3,
    tags: h.tags,
    steps,
    verdict: failed ? "failed" : "passed",
    ...(failed ? { error: `${failed.keyword}${failed.text}: ${failed.error?.split("\n")[0]}` } : {}),
    startedAt: h.startedAt,
    durationMs: last ? last.t : 0,
    history: h,
  };
}
