import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "./builder";
import { WorkloadEntries } from "./demo-workloads";
import type { OperationOutcome } from "../lab";
import { percentile } from "./workload-figures";
import {
  disturbanceWindows,
  historyEnd,
  mergeWindows,
  overlapsWindows,
  recoveries,
  throughput,
  throughputBucketMs,
  workloadRecords,
  workloadStats,
} from "./workload-stats";

const W1 = { id: "w1", process: "gamma/reporter", kind: "calls" as const, service: "billing", everyMs: 100 };

/**
 * w1: 30 calls, one every 100 ms from t = 0, each 4 ms long, except: a cut from 1000 to 2000 during which the
 * calls starting at 1000…2100 fail (SERVICE_UNAVAILABLE, 1 ms; the one at 1500 times out after 300 ms), and the
 * call at 2500 is slow (40 ms).
 */
function cutHistory(o: { strayFailureAt?: number } = {}) {
  const b = new HistoryBuilder();
  const wl = new WorkloadEntries(b).started(W1);
  for (let n = 1; n <= 30; n++) {
    const start = (n - 1) * 100;
    wl.at(start);
    if (start === 1000) b.fault("applied", "f1", { type: "cut", targets: ["alpha", "gamma"] });
    if (start === 2000) b.fault("healed", "f1", { type: "cut", targets: ["alpha", "gamma"] });
    const failing = (start >= 1000 && start <= 2100) || start === o.strayFailureAt;
    const outcome: OperationOutcome = start === 1500 ? "REQUEST_TIMEOUT" : failing ? "SERVICE_UNAVAILABLE" : "RESPONSE";
    const len = start === 1500 ? 300 : failing ? 1 : start === 2500 ? 40 : 4;
    wl.at(start + len);
    wl.operation("gamma/reporter", { workload: "w1", n, target: "billing", start, outcome });
  }
  b.advance(50);
  wl.stopped(W1);
  return b.history();
}

describe("workload stats", () => {
  test("percentile is nearest-rank over the values, whatever their order", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 50)).to.equal(50);
    expect(percentile(hundred, 99)).to.equal(99);
    expect(percentile(hundred, 100)).to.equal(100);
    expect(percentile([7], 99)).to.equal(7);
    expect(percentile([1, 2, 3], 50)).to.equal(2);
    expect(percentile([], 50)).to.equal(undefined);
  });

  test("disturbance windows: faults applied → healed, outages down → back, the unhealed ones to the end", () => {
    const b = new HistoryBuilder();
    b.advance(100).fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(100).lifecycle("gamma/reporter", "crashed", "SIGKILL");
    b.advance(100).fault("healed", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(50).lifecycle("gamma/reporter", "started");
    b.advance(50).lifecycle("gamma/reporter", "ready");
    b.advance(100).lifecycle("beta", "frozen");
    b.advance(100).lifecycle("beta", "thawed");
    b.advance(100).fault("applied", "f2", { type: "latency", targets: ["beta/web"], detail: "200 ms" });
    b.advance(100).lifecycle("alpha", "stopped");
    b.advance(100);
    b.beginStep("Then ", "something").advance(100).endStep();
    const h = b.history();
    expect(historyEnd(h)).to.equal(1000);
    const ws = disturbanceWindows(h);
    expect(ws.map((w) => [w.kind, w.from, w.to, w.healed, w.label])).to.deep.equal([
      ["fault", 100, 300, true, "cut alpha ↔ beta"],
      ["outage", 200, 350, true, "gamma/reporter crashed"],
      ["outage", 500, 600, true, "beta frozen"],
      ["fault", 700, 1000, false, "latency beta/web (200 ms)"],
      ["outage", 800, 1000, false, "alpha stopped"],
    ]);
    expect(ws[0].ids).to.have.length(2);
    const merged = mergeWindows(ws);
    expect(merged).to.deep.equal([
      { from: 100, to: 350 },
      { from: 500, to: 600 },
      { from: 700, to: 1000 },
    ]);
    expect(overlapsWindows(350, 360, merged)).to.equal(true);
    expect(overlapsWindows(351, 499, merged)).to.equal(false);
    expect(overlapsWindows(0, 99, merged)).to.equal(false);
    expect(overlapsWindows(0, 5000, merged)).to.equal(true);
  });

  test("a call workload across a cut: counts per outcome, availability, latency overall and outside the cut, recovery", () => {
    const [s] = workloadStats(cutHistory());
    expect(s.id).to.equal("w1");
    expect(s.summary).to.deep.include({ process: "gamma/reporter", service: "billing", everyMs: 100 });
    expect(s.operations).to.equal(30);
    expect(s.succeeded).to.equal(18);
    expect(s.failed).to.equal(12);
    expect(s.byOutcome).to.deep.equal([
      { outcome: "RESPONSE", count: 18 },
      { outcome: "SERVICE_UNAVAILABLE", count: 11 },
      { outcome: "REQUEST_TIMEOUT", count: 1 },
    ]);
    expect(s.availability).to.equal(18 / 30);
    // 17 calls of 4 ms and one of 40 ms
    expect(s.p50Ms).to.equal(4);
    expect(s.p99Ms).to.equal(40);
    expect(s.maxMs).to.equal(40);
    // "outside" is judged as the checkers judge it: the cut [1000, 2000] widened by the detection time plus 1 s
    // (default timing: this history has none) covers the whole 3 s history
    expect(s.outside.operations).to.equal(0);
    expect(s.recoveries).to.have.length(1);
    expect(s.recoveries[0]).to.deep.include({ healAt: 2000, heal: "cut alpha ↔ gamma", recoveredAt: 2204, failed: 12 });
    expect(s.recoveries[0].recoveryMs).to.equal(204, "to the end of the first lasting success (4 ms calls)");
    expect(s.from).to.equal(0);
    expect(s.to).to.equal(2904);
  });

  test("recovery waits for the last failure after the heal; a workload that never succeeds again did not recover", () => {
    const [stray] = workloadStats(cutHistory({ strayFailureAt: 2600 }));
    expect(stray.recoveries[0].recoveredAt).to.equal(2704);
    expect(stray.recoveries[0].recoveryMs).to.equal(704);
    expect(stray.recoveries[0].failed).to.equal(13);
    const [never] = workloadStats(cutHistory({ strayFailureAt: 2900 }));
    expect(never.recoveries[0].recoveredAt).to.equal(undefined);
    expect(never.recoveries[0].recoveryMs).to.equal(undefined);
  });

  test("recovery looks only until the next window begins, and judges no heal outside the workload's span", () => {
    const ops = workloadRecords(cutHistory())[0].operations;
    const window = (from: number, to: number) => ({
      kind: "fault" as const,
      from,
      to,
      healed: true,
      label: `f ${from}`,
      type: "cut",
      ids: [],
    });
    // healed at 2000, next fault from 2150: the calls at 2000 and 2100 failed, none succeeded before 2150
    const r = recoveries(ops, [window(1000, 2000), window(2150, 2160)]);
    expect(r.map((x) => x.recoveredAt)).to.deep.equal([undefined, 2204]);
    expect(recoveries(ops, [window(-500, -100), window(5000, 6000)])).to.deep.equal([]);
    expect(recoveries([], [window(1000, 2000)])).to.deep.equal([]);
  });

  test("throughput counts the operations started in each bucket, and the successes among them", () => {
    const ops = workloadRecords(cutHistory())[0].operations;
    expect(throughputBucketMs(3000)).to.equal(100);
    expect(throughputBucketMs(60_000)).to.equal(500);
    expect(throughputBucketMs(600_000)).to.equal(5000);
    const buckets = throughput(ops, 500, 3000);
    expect(buckets.map((b) => [b.from, b.operations, b.succeeded])).to.deep.equal([
      [0, 5, 5],
      [500, 5, 5],
      [1000, 5, 0],
      [1500, 5, 0],
      [2000, 5, 3],
      [2500, 5, 5],
    ]);
  });

  test("publish workload: what each subscriber received, missed, got twice or out of order, and its recovery", () => {
    const b = new HistoryBuilder();
    const w2 = {
      id: "w2",
      process: "alpha/billing",
      kind: "publish" as const,
      service: "billing",
      subject: "price.eur",
      everyMs: 10,
    };
    const wl = new WorkloadEntries(b).started(w2);
    const pub = { workload: "w2", publisher: "alpha/billing/i0/1", subject: "price.eur" };
    for (let n = 1; n <= 10; n++) {
      b.advance(10);
      wl.operation("alpha/billing", {
        workload: "w2",
        n,
        target: "billing",
        start: n * 10,
        outcome: "PUBLISHED",
        subject: "price.eur",
      });
      if (n === 4) b.fault("applied", "f1", { type: "cut", targets: ["alpha", "gamma"] });
      if (n === 5) b.fault("healed", "f1", { type: "cut", targets: ["alpha", "gamma"] });
      if (n >= 3 && n !== 6) wl.delivery("beta/web", { ...pub, n });
      if (n === 7) wl.delivery("beta/web", { ...pub, n: 7 }).delivery("beta/web", { ...pub, n: 5, cached: true });
      if (n !== 4 && n !== 5) wl.delivery("gamma/reporter", { ...pub, n: n === 8 ? 9 : n === 9 ? 8 : n });
    }
    const [s] = workloadStats(b.history());
    expect(s.operations).to.equal(10);
    expect(s.availability).to.equal(1);
    expect(s.subscribers.map(({ recoveries: _, ...x }) => x)).to.deep.equal([
      { process: "beta/web", received: 9, cached: 1, distinct: 7, duplicates: 1, reordered: 0, notReceived: [6] },
      {
        process: "gamma/reporter",
        received: 8,
        cached: 0,
        distinct: 8,
        duplicates: 0,
        reordered: 1,
        notReceived: [4, 5],
      },
    ]);
    // the cut from 40 to 50: beta/web missed #6 (published at 60), gamma/reporter #5 (at 50)
    expect(s.subscribers.map((x) => x.recoveries.map((r) => [r.healAt, r.recoveredAt, r.recoveryMs]))).to.deep.equal([
      [[50, 70, 20]],
      [[50, 60, 10]],
    ]);
  });

  test("operations of a workload whose start was not recorded still make a workload", () => {
    const b = new HistoryBuilder();
    b.advance(10);
    new WorkloadEntries(b).operation("gamma/reporter", {
      workload: "w9",
      n: 1,
      target: "billing",
      start: 2,
      outcome: "FAILURE",
      detail: "7",
    });
    const [s] = workloadStats(b.history());
    expect(s.summary).to.deep.equal({ id: "w9", process: "gamma/reporter", kind: "calls", service: "billing" });
    expect(s).to.deep.include({ operations: 1, succeeded: 0, failed: 1, availability: 0 });
    expect(s.p50Ms).to.equal(undefined);
  });
});
