import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { TIMING } from "./mesh-test-kit";
import { checkWorkloadSettled, judgeWorkloadSettled } from "./workload-settled";

function calls() {
  const b = new HistoryBuilder({ timing: TIMING });
  const w = b.workload("beta/reporter", "calls", "billing", { everyMs: 20 });
  return { b, w };
}

describe("W1 every operation settled once", () => {
  test("clean: calls 1..n each once, some failing, the workload stopped; a publish workload too", () => {
    const { b, w } = calls();
    w.run(20);
    w.run(5, { outcome: "SERVICE_UNAVAILABLE" });
    w.stop();
    const p = b.workload("alpha/billing", "publish", "billing", { subject: "ticks", everyMs: 10 });
    p.run(30);
    const r = judgeWorkloadSettled(b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.equal(55);
  });

  test("an operation recorded twice is a violation naming its number and outcomes", () => {
    const { b, w } = calls();
    w.run(3);
    w.op({ n: 2, outcome: "REQUEST_TIMEOUT" });
    w.stop();
    const v = checkWorkloadSettled(b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("W1");
    expect(v[0].message).to.contain("recorded operation #2 2 times (RESPONSE, REQUEST_TIMEOUT)");
    expect(v[0].events.map((e) => e.kind)).to.deep.equal(["operation", "operation"]);
  });

  test("a call still pending at the stop while its process stayed up is a violation; after a crash it is not", () => {
    const { b, w } = calls();
    w.run(3);
    b.advance(2000);
    w.op({ n: 4, start: 50, outcome: "UNSETTLED" });
    w.stop();
    const v = checkWorkloadSettled(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /call #4, begun at 0\.050 s, was still pending when the workload stopped at 2\.060 s/,
    );

    const c = calls();
    c.w.run(3);
    c.b.lifecycle("beta/reporter", "crashed");
    c.w.op({ n: 4, start: 50, outcome: "UNSETTLED" });
    c.w.stop();
    expect(checkWorkloadSettled(c.b.history())).to.deep.equal([]);
  });

  test("a hole in a stopped workload's numbers is a violation naming the missing ones; after a crash, a note", () => {
    const { b, w } = calls();
    w.run(4);
    w.op({ n: 7 });
    w.op({ n: 8 });
    w.stop();
    const v = checkWorkloadSettled(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain(
      "no record of operations #5–#6 (2 of 8) although later ones settled and it was stopped",
    );

    const c = calls();
    c.w.run(4);
    c.b.lifecycle("beta", "crashed");
    c.w.op({ n: 7 });
    const r = judgeWorkloadSettled(c.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.notes.join(" ")).to.match(/beta crashed at .* was not judged/);
  });

  test("a workload running to the end: a hole is judged only below a call begun a timeout before the end", () => {
    const { b, w } = calls();
    w.run(2);
    w.op({ n: 4 });
    b.advance(3000);
    w.op({ n: 6 });
    const v = checkWorkloadSettled(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("no record of operation #3 (1 of 4)");
  });
});
