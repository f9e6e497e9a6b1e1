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

  test("report events: listeners get them as any event; the log rebuilds equal ones, in order with the others", () => {
    const h = hub(4);
    const heard: ExchangeEvent[] = [];
    h.on("report", (e) => heard.push(e));
    const logged = ["a.*", "*"];
    const shown = logged.slice();
    h.emitReport("pub", 7, "sub", "a.b", shown, true, logged);
    emitN(h, 1);
    h.emitReport("pub", 8, "sub", "a.c", ["*"], false, ["*"]);
    expect(heard).to.have.length(2);
    expect(heard[0]).to.deep.equal({
      type: "report",
      publisher: "pub",
      publicationSeq: 7,
      subscriber: "sub",
      subject: "a.b",
      matchedPatterns: ["a.*", "*"],
      cached: true,
      node: "n",
      incarnation: "0123456789abcdef",
      seq: 1,
      time: 1000,
    });
    expect(heard[0].type === "report" && heard[0].matchedPatterns).to.equal(shown);
    const log = h.since(0);
    expect(log.map((e) => `${e.seq}:${e.type}`)).to.deep.equal(["1:report", "2:anomaly", "3:report"]);
    expect(log[0]).to.deep.equal(heard[0]);
    expect(log[2]).to.deep.equal(heard[1]);
    const rebuilt = log[0].type === "report" ? log[0].matchedPatterns : [];
    expect(rebuilt).to.not.equal(logged);
    rebuilt.push("changed");
    expect((h.since(0)[0] as { matchedPatterns: string[] }).matchedPatterns).to.deep.equal(["a.*", "*"]);
  });

  test("report rows and event slots overwrite each other as the ring wraps", () => {
    const h = hub(3);
    h.emitReport("p", 1, "s", "x", ["*"], false, ["*"]);
    h.emitReport("p", 2, "s", "x", ["*"], false, ["*"]);
    emitN(h, 2);
    h.emitReport("p", 3, "s", "y", ["y"], false, ["y"]);
    expect(h.since(0).map((e) => (e.type === "report" ? `r${e.publicationSeq}` : e.type))).to.deep.equal([
      "anomaly",
      "anomaly",
      "r3",
    ]);
    emitN(h, 1);
    expect(h.since(3).map((e) => e.seq)).to.deep.equal([4, 5, 6]);
    const none = hub(0);
    none.emitReport("p", 1, "s", "x", ["*"], false, ["*"]);
    expect(none.since(0)).to.deep.equal([]);
    expect(none.lastSeq).to.equal(1);
  });
});
