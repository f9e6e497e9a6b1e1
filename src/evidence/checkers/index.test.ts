import { describe, test } from "node:test";
import { expect } from "chai";
import { demoHistory } from "../demo-history";
import { parseHistory } from "../history-io";
import type { ScenarioHistory } from "../history";
import { checkers, runCheckers, summarizeChecks } from ".";
import { workloadScenario } from "./mesh-test-kit";

const ORDER = [
  ...["I1", "I3", "I4", "I5", "I6", "I8", "I9", "I10", "I12", "I15", "I16", "I17", "I19", "I20"],
  ...["W1", "W2", "W3", "W4"],
];
/** Audience, groups and the death of a server are not part of the workload scenario. */
const NOT_JUDGED_BY_SCENARIO = ["I15", "I20"];
const JUDGED_BY_DEMO = ["I1", "I4", "I5", "I6", "I8", "I9", "I10", "I12", "I15", "I16"];

describe("runCheckers", () => {
  test("a realistic clean history (reconnect, restart, cache replays, bridge, tie-break) passes every invariant", () => {
    const results = runCheckers(demoHistory());
    expect(results.map((r) => r.invariant)).to.deep.equal(ORDER);
    for (const r of results) {
      expect(
        r.violations.map((v) => v.message),
        r.invariant,
      ).to.deep.equal([]);
      expect(r.status).to.equal("passed");
      // The demo has no workload and no timing: the workload checkers and the timed bounds judge nothing there.
      if (JUDGED_BY_DEMO.includes(r.invariant)) expect(r.checked, `${r.invariant} judged nothing`).to.be.greaterThan(0);
    }
  });

  test("a clean scenario with timing and workloads across a cut passes every checker, and each judged something", () => {
    const results = runCheckers(workloadScenario().b.history());
    for (const r of results) {
      expect(
        r.violations.map((v) => v.message),
        r.invariant,
      ).to.deep.equal([]);
      expect(r.status, r.error).to.equal("passed");
      if (!NOT_JUDGED_BY_SCENARIO.includes(r.invariant))
        expect(r.checked, `${r.invariant} judged nothing`).to.be.greaterThan(0);
    }
  });

  test("the same history survives a JSON round trip unchanged in verdict", () => {
    const back = parseHistory(JSON.stringify(demoHistory()));
    expect(runCheckers(back).every((r) => r.status === "passed")).to.equal(true);
  });

  test("a checker that throws becomes an 'error' result instead of crashing the run", () => {
    const broken = { ...demoHistory(), topology: undefined } as unknown as ScenarioHistory;
    const results = runCheckers(broken);
    const i15 = results.find((r) => r.invariant === "I15");
    expect(i15?.status).to.equal("error");
    expect(i15?.error).to.match(/I15 checker could not run/);
    expect(results.filter((r) => r.status === "passed")).to.have.length(checkers.length - 1);
  });

  test("summarizeChecks names each invariant and its verdict", () => {
    const text = summarizeChecks(runCheckers(demoHistory()));
    expect(text.split("\n")).to.have.length(checkers.length);
    expect(text).to.match(/^I1 Audience safety: passed \(\d+ checked\)/);
  });
});
