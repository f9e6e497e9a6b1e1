import { describe, test } from "node:test";
import { expect } from "chai";
import { mesh } from "./mesh-test-kit";
import { checkWorkloadReportOrder, judgeWorkloadReportOrder } from "./workload-report-order";

function publishing() {
  const m = mesh();
  m.b.subscribe(m.reporter, m.bill);
  const w = m.b.workload(m.billing, "publish", "billing", { subject: "ticks", everyMs: 10, publisher: m.bill });
  return { m, w };
}

describe("W2 reports at most once, in order", () => {
  test("clean: in order, a cut loses some, the cache repeats the last one after the heal, then live again", () => {
    const { m, w } = publishing();
    for (const n of w.run(10)) w.deliver(m.reporter, n);
    const f = m.cut();
    w.run(10);
    m.heal(f);
    w.deliver(m.reporter, 10, { cached: true });
    w.deliver(m.reporter, 20, { cached: true });
    for (const n of w.run(5)) w.deliver(m.reporter, n);
    const r = judgeWorkloadReportOrder(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.equal(17);
  });

  test("a report received twice live is a violation naming its number", () => {
    const { m, w } = publishing();
    for (const n of w.run(5)) w.deliver(m.reporter, n);
    w.deliver(m.reporter, 3);
    const v = checkWorkloadReportOrder(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("W2");
    expect(v[0].message).to.match(
      /beta\/reporter received report #3 of w1 \(service "billing" in alpha\/billing publishing on "ticks"\) 2 times \(live, live/,
    );
  });

  test("a live report after a higher number is a violation", () => {
    const { m, w } = publishing();
    w.run(6);
    w.deliver(m.reporter, [1, 2, 4, 3, 5, 6]);
    const v = checkWorkloadReportOrder(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /received report #3 of w1 .* after #4: reports from one publisher reach a subscriber in order/,
    );
  });

  test("a cached report older than one received is a violation; a live one after the same cached one too", () => {
    const { m, w } = publishing();
    w.run(9);
    w.deliver(m.reporter, [1, 2, 3, 4, 5, 6, 7, 8]);
    w.deliver(m.reporter, 6, { cached: true });
    w.deliver(m.reporter, 9, { cached: true });
    w.deliver(m.reporter, 9);
    const v = checkWorkloadReportOrder(m.b.history());
    expect(v.map((x) => x.message).join("\n"))
      .to.match(/received report #6 of w1 .* from the publisher's cache .* after it had received #8/)
      .and.match(/received report #9 of w1 .* 2 times \(cached, live/);
  });
});
