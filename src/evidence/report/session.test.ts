import { describe, test } from "node:test";
import { expect } from "chai";
import { runCheckers } from "../checkers";
import { demoHistory } from "../demo-history";
import { sessionReport } from "./session";

const START = 1_700_000_000_000;

describe("sessionReport (a history recorded outside cucumber, e.g. by `exlab up`)", () => {
  test("one scenario: the history's steps, its checks, passed when every step and invariant passed", () => {
    const h = demoHistory({ runId: "up-1", start: START, feature: "exlab up", scenario: "three-machine-mesh" });
    const run = sessionReport(h, START + 30_000);
    expect(run).to.include({ runId: "up-1", startedAt: START, finishedAt: START + 30_000 });
    expect(run.scenarios).to.have.length(1);
    const [s] = run.scenarios;
    expect(s).to.include({ feature: "exlab up", name: "three-machine-mesh", verdict: "passed", durationMs: 30_000 });
    expect(s.error).to.equal(undefined);
    const steps = h.events.flatMap((e) => (e.kind === "step" ? [e.text] : []));
    expect(s.steps.map((st) => st.text)).to.deep.equal(steps);
    expect(s.history?.checks?.map((c) => c.status)).to.deep.equal(runCheckers(h).map((c) => c.status));
  });

  test("a failed step fails it, and its first line is the scenario's error", () => {
    const h = demoHistory({ runId: "up-2", start: START, failingStepError: "no such machine: zeta\nknown: alpha" });
    const [s] = sessionReport(h, START + 1).scenarios;
    expect(s.verdict).to.equal("failed");
    expect(s.error).to.match(/: no such machine: zeta$/);
  });

  test("a violated invariant fails it through a failed after-hook step that says which", () => {
    const h = demoHistory({ runId: "up-3", start: START, violate: true });
    const [s] = sessionReport(h, START + 1).scenarios;
    expect(s.verdict).to.equal("failed");
    const hook = s.steps[s.steps.length - 1];
    expect(hook).to.include({ hook: "after", status: "failed" });
    expect(hook.error).to.match(/^invariants violated:\nI\d .*FAILED/);
  });
});
