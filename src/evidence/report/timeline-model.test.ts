import { describe, test } from "node:test";
import { expect } from "chai";
import { Recorder } from "../recorder";
import { buildTimeline } from "./timeline-model";

const topology = {
  name: "t",
  processes: ["alpha/exchange", "alpha/billing", "beta/exchange"].map((address) => ({
    address,
    machine: address.split("/")[0],
    kind: "process" as const,
    endpoints: [],
    services: [],
  })),
};

describe("buildTimeline", () => {
  test("places exchange events pulled in one batch at their emission time (own clock + fastest-pull offset)", () => {
    let now = 10_000;
    const r = new Recorder({ clock: () => now, topology, runId: "r", feature: "f", scenario: "s" });
    const base = {
      type: "link",
      linkId: "L",
      group: "",
      role: "server",
      dialer: false,
      node: "alpha/exchange",
      incarnation: "i",
    } as const;
    now = 11_000; // one pull at t = 1000 brings three events emitted (process clock 500_000…) 300, 200 and 0 ms earlier
    r.exchange("alpha", "alpha/exchange", { ...base, state: "DIALING", seq: 1, time: 500_000 });
    r.exchange("alpha", "alpha/exchange", { ...base, state: "ACTIVE", seq: 2, time: 500_100 });
    r.exchange("alpha", "alpha/exchange", { ...base, state: "CLOSED", seq: 3, time: 500_300, reason: "IDLE_TIMEOUT" });
    const m = buildTimeline(r.history());
    expect(m.marks.map((x) => [x.cls, x.t])).to.deep.equal([
      ["link-up", 800],
      ["link-down", 1000],
    ]);
  });

  test("pairs fault windows by id, extends an unhealed one to the end, and stacks overlapping ones", () => {
    let now = 0;
    const r = new Recorder({ clock: () => now, topology, runId: "r", feature: "f", scenario: "s" });
    now = 100;
    r.fault("applied", "a", { type: "cut", targets: ["alpha", "beta"] });
    now = 200;
    r.fault("applied", "b", { type: "latency", targets: ["alpha/billing"], detail: "50 ms" });
    now = 300;
    r.fault("healed", "a", { type: "cut", targets: ["alpha", "beta"] });
    now = 500;
    r.lifecycle("beta", "started");
    const m = buildTimeline(r.history());
    expect(m.faults.map((f) => [f.label, f.from, f.to, f.row, f.lanes])).to.deep.equal([
      ["cut alpha ↔ beta", 100, 300, 0, [0, 1, 2]],
      ["latency alpha/billing · 50 ms", 200, m.end, 1, [1]],
    ]);
    expect(m.faultRows).to.equal(2);
  });

  test("a machine crash marks every lane of that machine and shades it down until it starts again", () => {
    let now = 0;
    const r = new Recorder({ clock: () => now, topology, runId: "r", feature: "f", scenario: "s" });
    now = 100;
    r.lifecycle("alpha", "crashed");
    now = 400;
    r.lifecycle("alpha", "started");
    now = 500;
    r.lifecycle("beta/exchange", "frozen");
    const m = buildTimeline(r.history());
    expect(m.marks.filter((x) => x.cls === "life-crashed").map((x) => x.lane)).to.deep.equal([0, 1]);
    expect(m.down.map((d) => [d.lane, d.from, d.to, d.cls])).to.deep.equal([
      [0, 100, 400, "down"],
      [1, 100, 400, "down"],
      [2, 500, m.end, "frozen"],
    ]);
  });

  test("lanes follow the topology, grouped by machine, with processes only seen in events appended to their machine", () => {
    const r = new Recorder({ clock: () => 0, topology, runId: "r", feature: "f", scenario: "s" });
    r.lifecycle("alpha/late", "started");
    r.lifecycle("gamma/new", "started");
    expect(buildTimeline(r.history()).lanes.map((l) => l.address)).to.deep.equal([
      "alpha/exchange",
      "alpha/billing",
      "alpha/late",
      "beta/exchange",
      "gamma/new",
    ]);
  });
});
