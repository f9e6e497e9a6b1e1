import { describe, test } from "node:test";
import { expect } from "chai";
import type { IWorldOptions } from "@cucumber/cucumber";
import type { CallResult } from "../machine";
import { LabWorld, type LabWorldParameters } from "./world";

// `Then the answer came within …`: judged on the duration the lab measured around the last single call.
describe("the answer's time", () => {
  const world = () => new LabWorld({ parameters: {} } as IWorldOptions<LabWorldParameters>);
  const answer: CallResult = {
    outcome: { kind: "FAILURE", conversationId: "c1", from: "a", code: 46, description: "no store", origin: "service" },
    answeredBy: null,
  };

  test("an answer within the limit passes; a later one fails with how long it took and what it was", () => {
    const w = world();
    w.lastAnswer = answer;
    w.lastAnswerMs = 120.4;
    w.answerCameWithin(1000);
    w.answerCameWithin(121);
    w.lastAnswerMs = 1450.6;
    expect(() => w.answerCameWithin(1000))
      .to.throw(/the answer came after 1451 ms, not within 1000 ms; it was \{"kind":"FAILURE".*"code":46/)
      .with.property("code", "LAB_EXPECTATION_FAILED");
  });

  test("without a single timed call it says which step to use", () => {
    const w = world();
    expect(() => w.answerCameWithin(1000)).to.throw(/no call has been made in this scenario/);
    w.lastAnswer = answer;
    expect(() => w.answerCameWithin(1000)).to.throw(/a step that retries until it holds, so it has no single duration/);
  });
});
