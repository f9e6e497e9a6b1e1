import { Then, When } from "@cucumber/cucumber";
import { containsJson, parseJsonArgument } from "../../common";
import * as L from "../../lab";
import type { LabWorld } from "../world";

// Exercising an application: calls with a method and JSON arguments, answers compared as JSON subsets.
Then(
  "a call from process {string} to service {string} with method {string} and arguments {string} answers {string}",
  async function (this: LabWorld, p: string, s: string, method: string, args: string, expected: string) {
    const request = { method, args: parseJsonArgument("the arguments", args) };
    const want = parseJsonArgument("the expected answer", expected);
    this.lastAnswer = await L.callAnswers(this.lab, p, s, request, want, this.defaultDeadlineMs);
    this.lastAnswerMs = undefined; // retried: no single call to time
  },
);
When(
  "process {string} calls service {string} with method {string} and arguments {string}",
  async function (this: LabWorld, p: string, s: string, method: string, args: string) {
    this.lab.checkService(s);
    const request = { method, args: parseJsonArgument("the arguments", args) };
    const started = performance.now();
    this.lastAnswer = await this.lab.call(p, s, { ...request, timeoutMs: this.lab.plan.timing.requestTimeoutMs });
    this.lastAnswerMs = performance.now() - started;
  },
);
Then("the answer contains {string}", function (this: LabWorld, expected: string) {
  const answer = this.answer();
  const want = parseJsonArgument("the expected answer", expected);
  if (answer.outcome.kind !== "RESPONSE" || !containsJson(answer.outcome.result, want)) {
    throw new L.ExpectationError(`the answer does not contain ${expected}; it was ${JSON.stringify(answer.outcome)}`);
  }
});
Then("the answer fails with {string}", function (this: LabWorld, code: string) {
  const o = this.answer().outcome as { kind: string; code?: number };
  if (o.kind !== code && !(o.kind === "FAILURE" && String(o.code) === code)) {
    throw new L.ExpectationError(`the answer did not fail with ${code}; it was ${JSON.stringify(o)}`);
  }
});
Then("the answer came within {duration}", function (this: LabWorld, ms: number) {
  this.answerCameWithin(ms);
});
