import { describe, test } from "node:test";
import { expect } from "chai";
import { mesh } from "./mesh-test-kit";
import { checkCacheSemantics, judgeCacheSemantics } from "./cache-semantics";

function reports() {
  const m = mesh();
  const sub = m.reporter.anonymous;
  const r = (seq: number, o: { cached?: boolean; subject?: string } = {}) =>
    m.reporter.report({ publisher: m.bill, seq, subscriber: sub, subject: o.subject ?? "rate", cached: o.cached });
  return { m, r };
}

describe("I12 cache semantics", () => {
  test("clean: live reports, then after a reconnect the cache repeats the last value of each subject once", () => {
    const { m, r } = reports();
    r(1);
    r(2, { subject: "status" });
    r(3);
    m.b.subscribe(m.reporter, m.bill);
    r(3, { cached: true });
    r(2, { cached: true, subject: "status" });
    r(4);
    const res = judgeCacheSemantics(m.b.history());
    expect(res.violations).to.deep.equal([]);
    expect(res.checked).to.equal(2);
  });

  test("a cached value older than one received, or a subject twice in one replay, is a violation", () => {
    const { m, r } = reports();
    r(4);
    r(3, { cached: true });
    r(5, { cached: true, subject: "status" });
    r(5, { cached: true, subject: "status" });
    const v = checkCacheSemantics(m.b.history());
    expect(v.map((x) => x.message)).to.deep.equal([
      'beta/reporter received publication #3 of service "billing" (agent alpha/billing/alphabilling-i0/1), subject "rate" from the cache after it had received #4: a cache holds the latest value of a subject (S-40).',
      'beta/reporter received subject "status" of service "billing" (agent alpha/billing/alphabilling-i0/1) twice in one cache replay (#5, then #5): a new edge gets each cached subject once, with its latest value (S-40).',
    ]);
  });

  test("a workload's cached report: never older than a publication seconds before, never of lifetime 0, never expired", () => {
    const m = mesh();
    const w = m.b.workload(m.billing, "publish", "billing", {
      subject: "rate",
      everyMs: 100,
      publisher: m.bill,
      lifetime: 0,
    });
    w.run(40);
    w.deliver(m.reporter, 5, { cached: true });
    const e = m.b.workload(m.billing, "publish", "billing", {
      subject: "eur",
      everyMs: 100,
      publisher: m.bill,
      lifetime: 1,
    });
    e.op();
    m.b.advance(3000);
    e.deliver(m.reporter, 1, { cached: true });
    const v = checkCacheSemantics(m.b.history()).map((x) => x.message);
    expect(v).to.have.length(3);
    expect(v[0]).to.match(/received report #5 of w1 .* from the cache at .*, although #\d+ had been published at/);
    expect(v[1]).to.contain("but it publishes with lifetime 0: such a publication deletes the cached entry");
    expect(v[2]).to.match(
      /received report #1 of w2 .* 3000 ms after it was published with lifetime 1 s: an expired entry is never delivered/,
    );
  });

  test("a new edge made while a value is cached receives it; one that does not is a violation", () => {
    const run = (deliver: boolean) => {
      const m = mesh();
      const w = m.b.workload(m.billing, "publish", "billing", {
        subject: "rate",
        everyMs: 100,
        publisher: m.bill,
        lifetime: -1,
      });
      w.run(20);
      m.b.advance(1500);
      if (deliver) w.deliver(m.reporter, 20, { cached: true });
      m.b.subscribe(m.reporter, m.bill);
      m.finish(2000);
      return judgeCacheSemantics(m.b.history());
    };
    expect(run(true).violations).to.deep.equal([]);
    const v = run(false).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /^beta\/reporter made a new edge to w1 \(service "billing" in alpha\/billing publishing on "rate"\) at 5\.\d+ s while #20 \(lifetime -1 s\) was cached, and did not receive it/,
    );
  });
});
