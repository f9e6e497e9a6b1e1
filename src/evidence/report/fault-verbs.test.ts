import { describe, test } from "node:test";
import { expect } from "chai";
import { LabFaults, planFault, type Fault, type LabEvent } from "../../lab";
import { registerSlowStart } from "../../lab/faults/slow-start-test-kit";
import { FaultBook } from "../../lab/faults/fault-book";
import type { FaultInjector } from "../../lab/faults/injector";
import { parseHistory } from "../history-io";
import { Recorder } from "../recorder";
import { describeRecorded } from "./describe";
import { renderTimeline } from "./timeline";
import { buildTimeline } from "./timeline-model";

registerSlowStart();

const topology = {
  name: "t",
  processes: ["alpha/exchange", "alpha/billing", "beta/exchange", "gamma/exchange"].map((address) => ({
    address,
    machine: address.split("/")[0],
    kind: "process" as const,
    endpoints: [],
    services: [],
  })),
};
const links = {
  proxies: [
    { name: "alpha--beta_exchange", fromMachine: "alpha", to: "beta/exchange", toMachine: "beta", group: "", port: 1 },
  ],
};

describe("a registered fault verb in the evidence", () => {
  test("is recorded with the table's description, described, and shades its window on the timeline", async () => {
    let now = 50_000;
    const recorder = new Recorder({ clock: () => now, topology, runId: "r", feature: "f", scenario: "s" });
    // The proxies are planned for real and not touched: the injector only plans.
    const injector = { apply: async (fault: Fault) => planFault(links, fault) } as unknown as FaultInjector;
    // As the World does.
    const record = (e: LabEvent) => e.type === "fault" && recorder.fault(e.action, e.faultId, e.fault);
    const faults = new LabFaults(
      injector,
      new FaultBook(),
      (machine) => ({ machine }),
      record,
      () => now,
    );

    now += 100;
    await faults.apply("slow-start", ["alpha", "beta", 300]);
    now += 400;
    await faults.heal("alpha", "beta");
    now += 100;
    recorder.lifecycle("gamma", "started");
    const history = parseHistory(JSON.stringify(recorder.history()));

    const recorded = history.events.filter((e) => e.kind === "fault");
    expect(recorded.map((e) => e.kind === "fault" && [e.t, e.action, e.fault])).to.deep.equal([
      [100, "applied", { type: "slow-start", targets: ["alpha", "beta"], detail: "300 ms to start" }],
      [500, "healed", { type: "slow-start", targets: ["alpha", "beta"], detail: "300 ms to start" }],
    ]);
    expect(describeRecorded(recorded[0])).to.equal("fault f1 applied: slow-start alpha ↔ beta (300 ms to start)");

    const model = buildTimeline(history);
    expect(model.faults.map((f) => [f.label, f.cls, f.from, f.to, f.lanes])).to.deep.equal([
      ["slow-start alpha ↔ beta · 300 ms to start", "fault-slow-start", 100, 500, [0, 1, 2]],
    ]);
    const svg = renderTimeline(history);
    expect(svg.match(/<rect class="fault-shade fault-slow-start"/g)).to.have.length(3);
    expect(svg)
      .to.contain('<g class="fault fault-slow-start"')
      .and.contain("slow-start alpha ↔ beta · 300 ms to start");
  });
});
