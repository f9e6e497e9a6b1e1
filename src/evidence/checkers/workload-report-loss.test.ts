import { describe, test } from "node:test";
import { expect } from "chai";
import { mesh } from "./mesh-test-kit";
import { checkWorkloadReportLoss, judgeWorkloadReportLoss } from "./workload-report-loss";

function publishing() {
  const m = mesh();
  const w = m.b.workload(m.billing, "publish", "billing", { subject: "price.eur", everyMs: 10, publisher: m.bill });
  return { m, w };
}

describe("W3 no report lost while nothing was faulted", () => {
  test("clean: before the subscription nothing is owed; during a cut (widened) reports may be lost; after, all arrive", () => {
    const { m, w } = publishing();
    w.run(50);
    m.b.subscribe(m.reporter, m.bill, { pattern: "price.*" });
    for (const n of w.run(300)) w.deliver(m.reporter, n);
    const f = m.cut();
    w.run(100);
    m.b.subscribe(m.reporter, m.bill, { pattern: "price.*", state: "WITHDRAWN" });
    m.heal(f);
    m.b.subscribe(m.reporter, m.bill, { pattern: "price.*" });
    for (const n of w.run(400)) w.deliver(m.reporter, n);
    const r = judgeWorkloadReportLoss(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.be.greaterThan(200);
  });

  test("reports lost outside any window are a violation naming the lost numbers", () => {
    const { m, w } = publishing();
    m.b.subscribe(m.reporter, m.bill, { pattern: "price.*" });
    for (const n of w.run(400)) if (n !== 170 && (n < 230 || n > 232)) w.deliver(m.reporter, n);
    const v = checkWorkloadReportLoss(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("W3");
    expect(v[0].message).to.match(
      /^beta\/reporter never received 4 of the \d+ reports of w1 \(service "billing" in alpha\/billing publishing on "price\.eur"\) published while it was subscribed and no fault was active: #170, #230–#232\./,
    );
    expect(v[0].events[0].kind).to.equal("exchange");
    expect(v[0].events.filter((e) => e.kind === "operation")).to.have.length(4);
  });

  test("a subscription whose pattern does not match the subject, or of a named service agent, owes nothing", () => {
    const { m, w } = publishing();
    m.b.subscribe(m.reporter, m.bill, { pattern: "price.usd" });
    const audit = m.reporter.offer("audit");
    m.b.subscribe(m.reporter, m.bill, { agent: audit });
    w.run(300);
    const r = judgeWorkloadReportLoss(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.notes.join(" ")).to.contain("of a named service agent were not judged");
  });
});
