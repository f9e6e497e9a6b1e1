import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "./builder";
import { mesh, TIMING } from "./checkers/mesh-test-kit";
import {
  complement,
  convergedThrough,
  convergence,
  DEFAULT_TIMING,
  detectionMs,
  failBoundMs,
  faultedIntervals,
  faultWindows,
  intersect,
  mergeIntervals,
  placedTimes,
  reconnectBoundMs,
  timingOf,
  windowAllowanceMs,
} from "./windows";

describe("intervals", () => {
  test("merge, complement and intersect", () => {
    expect(
      mergeIntervals([
        { from: 5, to: 8 },
        { from: 0, to: 2 },
        { from: 7, to: 10 },
        { from: 3, to: 3 },
      ]),
    ).to.deep.equal([
      { from: 0, to: 2 },
      { from: 5, to: 10 },
    ]);
    expect(complement([{ from: 2, to: 4 }], { from: 0, to: 10 })).to.deep.equal([
      { from: 0, to: 2 },
      { from: 4, to: 10 },
    ]);
    expect(
      intersect(
        [
          { from: 0, to: 5 },
          { from: 8, to: 12 },
        ],
        [{ from: 3, to: 10 }],
      ),
    ).to.deep.equal([
      { from: 3, to: 5 },
      { from: 8, to: 10 },
    ]);
  });
});

describe("timing", () => {
  test("bounds follow S-14 and S-12; an older history gets the spec's defaults and says so", () => {
    expect(detectionMs(TIMING)).to.equal(400);
    expect(failBoundMs(TIMING)).to.equal(1400);
    expect(reconnectBoundMs(TIMING)).to.equal(220 + 400 + 1000);
    const old = new HistoryBuilder().history();
    expect(timingOf(old)).to.deep.equal({ timing: DEFAULT_TIMING, known: false });
    expect(windowAllowanceMs(old)).to.equal(9000);
  });
});

describe("fault windows", () => {
  test("a fault from applied to healed, one never healed to the end, widened by the detection allowance", () => {
    const b = new HistoryBuilder({ timing: TIMING });
    b.advance(2000).fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(500).fault("healed", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(3000).fault("applied", "f2", { type: "latency", targets: ["beta"], detail: "200 ms" });
    b.advance(1000).lifecycle("x", "started");
    const [cut, slow] = faultWindows(b.history());
    expect(cut).to.include({ kind: "fault", label: "cut alpha ⇄ beta", start: 2000, end: 2500, ended: true });
    expect(cut).to.include({ from: 600, to: 3900 });
    expect(slow).to.include({ label: "latency beta (200 ms)", start: 5500, end: 6500, ended: false });
    expect(faultedIntervals(b.history())).to.deep.equal([
      { from: 600, to: 3900 },
      { from: 4100, to: 7900 },
    ]);
  });

  test("outages: crashed → started → ready, frozen → thawed; a machine's processes fold into its window", () => {
    const b = new HistoryBuilder({ timing: TIMING });
    b.lifecycle("alpha", "started").lifecycle("alpha/billing", "ready");
    b.advance(1000).lifecycle("alpha", "crashed").lifecycle("alpha/billing", "crashed", 'machine "alpha" crashed');
    b.advance(300).lifecycle("alpha", "started");
    b.advance(20).lifecycle("alpha/billing", "ready");
    b.advance(10).lifecycle("alpha", "ready");
    b.advance(2000).lifecycle("beta", "frozen");
    b.advance(700).lifecycle("beta", "thawed");
    b.advance(500).lifecycle("gamma/reporter", "crashed");
    const w = faultWindows(b.history());
    expect(w.map((x) => [x.label, x.targets, x.start, x.end, x.ended])).to.deep.equal([
      ["alpha crashed", ["alpha", "alpha/billing"], 1000, 1330, true],
      ["beta frozen", ["beta"], 3330, 4030, true],
      ["gamma/reporter crashed", ["gamma/reporter"], 4530, 4530, false],
    ]);
    expect(w[0].events.map((e) => (e.kind === "lifecycle" ? `${e.target} ${e.state}` : "?"))).to.deep.equal([
      "alpha crashed",
      "alpha/billing crashed",
      "alpha started",
      "alpha/billing ready",
      "alpha ready",
    ]);
  });
});

describe("placedTimes", () => {
  test("events sit at their emitter's clock, never after the lab received them", () => {
    const b = new HistoryBuilder();
    const late = b.process("alpha/exchange", { clockSkew: -30 });
    const ahead = b.process("beta/exchange", { clockSkew: 40 });
    b.advance(100);
    late.offer("a");
    ahead.offer("b");
    b.advance(10);
    ahead.offer("c");
    const h = b.history();
    const placed = placedTimes(h);
    expect(h.events.map((e) => placed.get(e.id))).to.deep.equal([70, 100, 110]);
  });
});

describe("convergence", () => {
  test("judged from the links: not while a window is active, nor until every link is up again and a heartbeat passed", () => {
    const m = mesh();
    m.b.advance(2000);
    const f = m.cut();
    m.b.advance(3000);
    m.heal(f);
    m.finish(5000);
    const h = m.b.history();
    const c = convergence(h);
    expect(c.method).to.equal("links");
    const cutT = h.events.find((e) => e.kind === "fault")!.t;
    const healT = h.events.filter((e) => e.kind === "fault")[1].t;
    expect(c.periods).to.have.length(2);
    expect(c.periods[0].from).to.equal(100, "a heartbeat after the last link came up");
    expect(c.periods[0].to).to.equal(cutT - 1400);
    expect(c.periods[1].from).to.equal(healT + 1400 + 100);
    expect(convergedThrough(h, 200, 300)).to.equal(true);
    expect(convergedThrough(h, cutT - 1500, cutT - 1300)).to.equal(false);
  });

  test("a link that drops with no fault breaks convergence until it is back", () => {
    const m = mesh();
    m.b.advance(1000);
    const down = m.b.t;
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.b.advance(400);
    const up = m.b.t;
    m.servers = m.b.connect(m.ax, m.bx, { id: "S9" });
    m.finish(1000);
    const periods = convergence(m.b.history()).periods;
    expect(periods.map((p) => [p.from, p.to])).to.deep.equal([
      [100, down],
      [up + 100, m.b.t],
    ]);
  });

  test("without link events it is approximated, and says so", () => {
    const b = new HistoryBuilder({ timing: TIMING });
    b.advance(1000).fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(1000).fault("healed", "f1", { type: "cut", targets: ["alpha", "beta"] });
    b.advance(5000).lifecycle("alpha", "ready");
    const c = convergence(b.history());
    expect(c.method).to.equal("approximate");
    expect(c.notes.join(" ")).to.match(/No link of the mesh is known/);
    // Widened window [0, 3400] plus a reconnect time (220 + 200 + 100).
    expect(c.periods).to.deep.equal([{ from: 3920, to: 7001 }]);
  });
});
