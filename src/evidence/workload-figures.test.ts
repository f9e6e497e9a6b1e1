import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "./builder";
import { mesh, TIMING } from "./checkers/mesh-test-kit";
import {
  auditReports,
  availability,
  findWorkloads,
  latency,
  numberRanges,
  percentile,
  recoveries,
  splitByWindows,
  whileConverged,
  workloadFigures,
  workloadRecords,
} from "./workload-figures";

/** Calls every 20 ms: 100 fine, a 1 s cut during which they fail, 10 more failing after the heal, 100 fine. */
function callsAcrossACut() {
  const b = new HistoryBuilder({ timing: TIMING });
  const w = b.workload("beta/reporter", "calls", "billing", { everyMs: 20 });
  w.run(100, { latencyMs: 4 });
  b.fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
  w.run(50, { latencyMs: 1, outcome: "SERVICE_UNAVAILABLE" });
  b.fault("healed", "f1", { type: "cut", targets: ["alpha", "beta"] });
  const healedAt = b.t;
  w.run(10, { latencyMs: 1, outcome: "SERVICE_UNAVAILABLE" });
  w.run(100, { latencyMs: 6 });
  w.stop();
  return { b, w, healedAt };
}

describe("workload figures", () => {
  test("records, availability by outcome, nearest-rank percentiles of successful calls", () => {
    const { b } = callsAcrossACut();
    const h = b.history();
    const [r] = workloadRecords(h);
    expect(r.workload).to.include({ id: "w1", process: "beta/reporter", kind: "calls", service: "billing" });
    expect(r.stopped).to.not.equal(undefined);
    expect(findWorkloads(h, { process: "beta/reporter", service: "billing" })).to.have.length(1);
    expect(findWorkloads(h, { kind: "publish" })).to.have.length(0);
    const a = availability(r.operations);
    expect(a).to.deep.include({ operations: 260, succeeded: 200, failed: 60, ratio: 200 / 260 });
    expect(a.byOutcome).to.deep.equal({ RESPONSE: 200, SERVICE_UNAVAILABLE: 60 });
    expect(percentile([5, 1, 4, 2, 3], 50)).to.equal(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).to.equal(10);
    expect(percentile([], 50)).to.equal(undefined);
    expect(latency(r.operations)).to.deep.equal({ count: 200, p50: 4, p99: 6, max: 6 });
  });

  test("inside and outside the (widened) windows, and while converged", () => {
    const { b } = callsAcrossACut();
    const h = b.history();
    const ops = workloadRecords(h)[0].operations;
    const wide = splitByWindows(h, ops);
    const raw = splitByWindows(h, ops, { widened: false });
    expect(raw.inside).to.have.length(50);
    expect(wide.inside.length).to.be.greaterThan(raw.inside.length);
    expect(wide.outside.every((o) => o.outcome === "RESPONSE")).to.equal(true);
    expect(whileConverged(h, ops).every((o) => o.outcome === "RESPONSE")).to.equal(true);
  });

  test("recovery time after a heal: the end of the first call after which every call succeeded", () => {
    const { b, healedAt } = callsAcrossACut();
    const h = b.history();
    const [rec] = recoveries(h, workloadRecords(h)[0].operations);
    expect(rec.healedAt).to.equal(healedAt);
    expect(rec.windows.map((w) => w.label)).to.deep.equal(["cut alpha ⇄ beta"]);
    expect(rec.recoveryMs).to.equal(10 * 20 + 6);
    expect(rec.failedAfter).to.equal(10);
    expect(rec.operations).to.equal(110);
    const f = workloadFigures(h, workloadRecords(h)[0]);
    expect(f.all.ratio).to.equal(200 / 260);
    expect(f.outsideWindows.failed).to.equal(0);
    expect(f.latencyOutsideWindows.count).to.be.greaterThan(0);
    expect(f.recoveries).to.have.length(1);
  });

  test("calls failing just before the lab records the next fault do not undo the recovery", () => {
    const { b, w, healedAt } = callsAcrossACut();
    w.run(100);
    w.run(3, { outcome: "SERVICE_WITHDRAWN" });
    b.lifecycle("alpha/billing", "crashed");
    w.run(10, { outcome: "SERVICE_UNAVAILABLE" });
    const [first] = recoveries(b.history(), workloadRecords(b.history())[0].operations);
    expect(first.healedAt).to.equal(healedAt);
    expect(first.recoveryMs).to.equal(10 * 20 + 6);
  });

  test("calls that never came back have no recovery time", () => {
    const b = new HistoryBuilder({ timing: TIMING });
    const w = b.workload("beta/reporter", "calls", "billing", { everyMs: 20 });
    b.fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(100).fault("healed", "f1", { type: "cut", targets: ["alpha", "beta"] });
    w.run(20, { outcome: "REQUEST_TIMEOUT" });
    const [rec] = recoveries(b.history(), workloadRecords(b.history())[0].operations);
    expect(rec.recoveryMs).to.equal(undefined);
    expect(rec.failedAfter).to.equal(20);
  });

  test("report audit: subscribed while converged, lost, doubled and reordered numbers", () => {
    const m = mesh();
    const w = m.b.workload(m.billing, "publish", "billing", { subject: "ticks", everyMs: 10, publisher: m.bill });
    w.run(5);
    m.b.subscribe(m.reporter, m.bill, { pattern: "t*" });
    for (let i = 0; i < 300; i++) {
      const n = w.op();
      if (n !== 150 && n !== 151 && n !== 250) w.deliver(m.reporter, n);
      if (n === 200) w.deliver(m.reporter, 200);
      if (n === 251) w.deliver(m.reporter, 250);
      m.b.advance(10);
    }
    const [a] = auditReports(m.b.history(), workloadRecords(m.b.history())[0]);
    expect(a.subscriber).to.equal("beta/reporter");
    expect(a.lost).to.deep.equal([150, 151]);
    expect(a.doubled.map((d) => d.n)).to.deep.equal([200]);
    expect(a.reordered.map((x) => [x.n, x.after])).to.deep.equal([[250, 251]]);
    expect(a.expected[0].n).to.be.greaterThan(5, "published before it subscribed: not expected");
    expect(a.expected.at(-1)!.n).to.be.lessThan(305, "the last second is not judged");
  });

  test("numberRanges", () => {
    expect(numberRanges([1, 2, 3, 7, 9, 10])).to.equal("#1–#3, #7, #9–#10");
    expect(numberRanges([1, 3, 5], 2)).to.equal("#1, #3 and 1 more");
  });
});
