import { describe, test } from "node:test";
import { expect } from "chai";
import type { ExchangeEvent } from "../exchange";
import { checkers } from "./checkers";
import { BadEventError, BadHistoryError } from "./errors";
import { parseHistory } from "./history-io";
import { Recorder } from "./recorder";

const topology = {
  name: "t",
  processes: [
    {
      address: "alpha/exchange",
      machine: "alpha",
      kind: "server" as const,
      endpoints: [{ group: "", role: "server" as const }],
      services: [],
    },
  ],
};

function recorder(start = 5_000) {
  let now = start;
  const r = new Recorder({
    clock: () => now,
    topology,
    runId: "r1",
    feature: "F",
    scenario: "S",
    tags: ["@processes"],
    driver: "processes",
  });
  return { r, tick: (ms: number) => (now += ms) };
}

const link: ExchangeEvent = {
  type: "link",
  state: "ACTIVE",
  linkId: "L1",
  group: "",
  role: "server",
  dialer: false,
  node: "alpha/exchange",
  incarnation: "i1",
  seq: 1,
  time: 123,
};

describe("Recorder", () => {
  test("stamps every entry with ms since construction on the injected clock and an arrival index", () => {
    const { r, tick } = recorder();
    tick(10);
    r.exchange("alpha", "alpha/exchange", link);
    tick(5);
    r.fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
    tick(7);
    r.lifecycle("alpha", "crashed", "SIGKILL");
    tick(100);
    r.step({ keyword: "When ", text: "machine alpha crashes", status: "passed", durationMs: 40 });
    const h = r.history();
    expect(h.startedAt).to.equal(5_000);
    expect(h.events.map((e) => [e.id, e.t, e.kind])).to.deep.equal([
      [0, 10, "exchange"],
      [1, 15, "fault"],
      [2, 22, "lifecycle"],
      [3, 122, "step"],
    ]);
    expect(h.events[3]).to.include({ startedAt: 82, durationMs: 40, keyword: "When " });
    expect(h).to.include({ runId: "r1", feature: "F", scenario: "S", driver: "processes" });
    expect(h.tags).to.deep.equal(["@processes"]);
  });

  test("keeps arrival order even when seq and process clocks disagree with it", () => {
    const { r } = recorder();
    r.exchange("alpha", "alpha/exchange", { ...link, seq: 2, time: 50 });
    r.exchange("alpha", "alpha/exchange", { ...link, seq: 1, time: 90 });
    expect(r.history().events.map((e) => e.kind === "exchange" && e.event.seq)).to.deep.equal([2, 1]);
  });

  test("history() is a snapshot: later records do not change an earlier one", () => {
    const { r } = recorder();
    const before = r.history();
    r.lifecycle("alpha", "started");
    expect(before.events).to.have.length(0);
    expect(r.history().events).to.have.length(1);
  });

  test("bad input throws BadEventError with a stable code and records nothing", () => {
    const { r } = recorder();
    const bad: unknown[] = [{ ...link, type: "bogus" }, { ...link, seq: "1" }, null, { ...link, node: 3 }];
    for (const ev of bad)
      expect(() => r.exchange("alpha", "alpha/exchange", ev as ExchangeEvent))
        .to.throw(BadEventError)
        .with.property("code", "EVIDENCE_BAD_EVENT");
    expect(() => r.exchange("", "alpha/exchange", link)).to.throw(/machine must be a non-empty string/);
    expect(() => r.lifecycle("alpha", "exploded" as never)).to.throw(/Lifecycle state of alpha must be one of/);
    expect(() => r.fault("applied", "f1", { type: "cut" } as never)).to.throw(
      /expected \{ type: string, targets: string\[\] \}/,
    );
    expect(() => r.step({ text: "x", status: "green" as never, durationMs: 1 })).to.throw(/has status "green"/);
    expect(r.history().events).to.have.length(0);
  });

  test("check() runs the checkers and keeps their results in the history; JSON round-trips", () => {
    const { r } = recorder();
    r.exchange("alpha", "alpha/exchange", link);
    const results = r.check();
    expect(results).to.have.length(checkers.length);
    const back = parseHistory(JSON.stringify(r));
    expect(back.checks?.map((c) => c.status)).to.deep.equal(results.map((c) => c.status));
    expect(back.events[0]).to.deep.equal(r.history().events[0]);
  });

  test("parseHistory rejects what is not a history with a clear reason", () => {
    expect(() => parseHistory("{"))
      .to.throw(BadHistoryError)
      .with.property("code", "EVIDENCE_BAD_HISTORY");
    expect(() =>
      parseHistory(
        JSON.stringify({
          runId: "r",
          feature: "f",
          scenario: "s",
          startedAt: 1,
          tags: [],
          topology: { processes: [] },
          events: [{ kind: "step" }],
        }),
      ),
    ).to.throw(/events\[0\] needs "kind", "t" and "id"/);
  });
});
