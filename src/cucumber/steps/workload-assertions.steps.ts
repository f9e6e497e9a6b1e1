import { Then } from "@cucumber/cucumber";
import * as evidence from "../../evidence";
import { ExpectationError } from "../../lab";
import type { LabWorld } from "../world";

// What users assert about their workloads (README "Workloads"), judged over the scenario's recorded history.

Then(
  "at least {float}% of the calls from {string} to {string} succeeded",
  async function (this: LabWorld, atLeast: number, from: string, service: string) {
    fail(evidence.successRateProblem(await this.recordedHistory(), from, service, atLeast));
  },
);
Then("every call made while no fault was active succeeded", async function (this: LabWorld) {
  fail(evidence.failedOutsideFaultsProblem(await this.recordedHistory()));
});
Then(
  "within {duration} of the network healing the calls from {string} to {string} succeed again",
  async function (this: LabWorld, withinMs: number, from: string, service: string) {
    const heal = evidence.lastHeal(await this.recordedHistory());
    if (heal === undefined) throw new ExpectationError("no fault was healed in this scenario");
    await this.untilRecovered(heal, withinMs, (h) =>
      evidence.recoveryProblem(h, from, service, heal, withinMs, "the network healed"),
    );
  },
);
Then(
  "within {duration} of {string} coming back the calls from {string} to {string} succeed again",
  async function (this: LabWorld, withinMs: number, target: string, from: string, service: string) {
    const back = evidence.lastComeback(await this.recordedHistory(), target);
    if (back === undefined) throw new ExpectationError(`"${target}" did not start again or thaw in this scenario`);
    await this.untilRecovered(back, withinMs, (h) =>
      evidence.recoveryProblem(h, from, service, back, withinMs, `"${target}" came back`),
    );
  },
);
Then(
  "no report from {string} to {string} was lost, doubled or reordered outside the fault windows",
  async function (this: LabWorld, publisher: string, subscriber: string) {
    fail(evidence.reportProblem(await this.recordedHistory(), publisher, subscriber));
  },
);
Then(
  "the p99 latency of the calls from {string} to {string} stayed under {duration} while no fault was active",
  async function (this: LabWorld, from: string, service: string, underMs: number) {
    fail(evidence.latencyProblem(await this.recordedHistory(), from, service, underMs));
  },
);

function fail(problem: string | undefined): void {
  if (problem !== undefined) throw new ExpectationError(problem);
}
