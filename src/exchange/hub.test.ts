import { describe, test } from "node:test";
import { expect } from "chai";
import type { ExchangeEvent } from "./events";
import { EventHub } from "./hub";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function hub(limit: number): EventHub {
  return new EventHub("n", "0123456789abcdef", { now: () => 1000 }, silent, limit);
}

function emitN(h: EventHub, n: number): ExchangeEvent[] {
  const seen: ExchangeEvent[] = [];
  h.on("event", (e) => seen.push(e));
  for (let i = 0; i < n; i++)
    h.emit({ type: "anomaly", kind: "LATE_REPLY", detail: String(i) } as Parameters<EventHub["emit"]>[0]);
  return seen;
}

describe("event hub log", () => {
  test("since(seq) gives the logged events after seq, oldest first, at most `limit` of the latest", () => {
    const h = hub(5);
    const seen = emitN(h, 12);
    expect(h.lastSeq).to.equal(12);
    expect(h.since(0).map((e) => e.seq)).to.deep.equal([8, 9, 10, 11, 12]);
    expect(h.since(9).map((e) => e.seq)).to.deep.equal([10, 11, 12]);
    expect(h.since(9.5).map((e) => e.seq)).to.deep.equal([10, 11, 12]);
    expect(h.since(12)).to.deep.equal([]);
    expect(h.since(-3).map((e) => e.seq)).to.deep.equal([8, 9, 10, 11, 12]);
    expect(h.since(10)[0]).to.equal(seen[10]);
  });

  test("before the log is full it holds everything; a limit of 0 keeps nothing", () => {
    const h = hub(100);
    emitN(h, 3);
    expect(h.since(0).map((e) => e.seq)).to.deep.equal([1, 2, 3]);
    const none = hub(0);
    emitN(none, 3);
    expect(none.since(0)).to.deep.equal([]);
    expect(none.lastSeq).to.equal(3);
  });
});
