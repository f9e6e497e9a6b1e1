import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { checkNoDuplicate } from "./no-duplicate";

function setup() {
  const b = new HistoryBuilder();
  const billing = b.process("alpha/billing");
  const web = b.process("beta/web");
  const bill = billing.offer("billing");
  const sub = web.offer("web");
  return { b, billing, web, bill, sub };
}

describe("I9 no duplicate delivery", () => {
  test("the same publication delivered twice live to one subscriber is a violation", () => {
    const { b, web, bill, sub } = setup();
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "rate", patterns: ["r*", "*"] });
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "rate", patterns: ["r*"] });
    const v = checkNoDuplicate(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message)
      .to.contain('delivered publication #1 (subject "rate") from service "billing"')
      .and.contain('subscriber service "web"')
      .and.contain("2 times live");
  });

  test("two replies for one conversation are a violation", () => {
    const { b, web, bill } = setup();
    web.request("c1", "RESPONSE", { toAgent: bill });
    web.request("c1", "FAILURE", { toAgent: bill });
    const v = checkNoDuplicate(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("received 2 replies for conversation c1");
  });

  test("clean: cache replays of an already delivered publication on a new edge, per-publisher seqs, targeted reports numbered apart", () => {
    const { b, billing, web, bill, sub } = setup();
    const other = billing.offer("billing-2");
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "rate" });
    web.report({ publisher: other, seq: 1, subscriber: sub, subject: "rate" });
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "rate", cached: true });
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "direct", patterns: [] });
    web.report({ publisher: bill, seq: 2, subscriber: sub, subject: "rate" });
    web.report({ publisher: bill, seq: 1, subscriber: sub, subject: "rate", cached: true });
    expect(checkNoDuplicate(b.history())).to.deep.equal([]);
  });
});
