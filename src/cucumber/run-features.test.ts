import { describe, test } from "node:test";
import { expect } from "chai";
import type { Envelope } from "@cucumber/messages";
import { driverTagExpression, ScenarioCounter } from "./run-features";

describe("features runner", () => {
  test("the driver filters out scenarios tagged for the other driver, combined with the user's tags", () => {
    expect(driverTagExpression("processes")).to.equal("not @containers");
    expect(driverTagExpression("containers")).to.equal("not @processes");
    expect(driverTagExpression("processes", "@smoke or @slow")).to.equal("(@smoke or @slow) and not @containers");
  });

  test("scenario verdicts come from the step results of each test case", () => {
    const c = new ScenarioCounter();
    const started = (id: string) => ({ testCaseStarted: { id } }) as unknown as Envelope;
    const step = (id: string, status: string) =>
      ({ testStepFinished: { testCaseStartedId: id, testStepResult: { status } } }) as unknown as Envelope;
    for (const m of [
      started("a"),
      step("a", "PASSED"),
      step("a", "PASSED"),
      started("b"),
      step("b", "PASSED"),
      step("b", "FAILED"),
      step("b", "SKIPPED"),
      started("c"),
      step("c", "UNDEFINED"),
      started("d"),
      step("d", "SKIPPED"),
    ]) {
      c.onMessage(m);
    }
    expect(c.counts()).to.deep.equal({ passed: 1, failed: 2, skipped: 1 });
  });
});
