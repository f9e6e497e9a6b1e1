import { afterEach, beforeEach, describe, test } from "node:test";
import { expect } from "chai";
import type { ServiceAgent } from "./agent";
import { encodeFrame, FrameDecoder, type Frame, type FrameHeader } from "./codec";
import { FrameError } from "./errors";
import type { BindingEvent, ReportEvent, SubscriptionEvent } from "./events";
import { Fleet, RawPeer, TcpRelay, waitFor } from "./exchange-test-utils";
import {
  BATCH_PAYLOAD_BYTES,
  BATCH_PUBLICATIONS,
  OpenReports,
  publicationsOf,
  reportsOf,
  type Outgoing,
} from "./fanout";
import type { ExchangeNode } from "./node";
import type { AgentOptions, DeliveredReport, EdgeNotice } from "./types";

/**
 * A fleet per test, closed (and its relays after it) when the test ends: a dialler left running would find a
 * later test's server on a reused port and join two tests' meshes.
 */
let fleet = new Fleet();
const relays: { close(): Promise<void> | void }[] = [];
beforeEach(() => {
  fleet = new Fleet();
});
afterEach(async () => {
  await fleet.closeAll();
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

/** Bursts keep a process busy: a slower heartbeat than the fleet's, so a loaded machine does not time links out. */
const steady = { timing: { heartbeatMs: 1000 } };

// ---- helpers ----

function outgoing(seq: number, subj: string, payload?: Buffer, to = ["s1", "s2"], pats = [["*"], ["a.*"]]): Outgoing {
  return { pub: "p", seq, subj, bin: true, payload, to, pats };
}

/** The frame an open REPORTS frame becomes, decoded. */
function decoded(f: OpenReports): Frame {
  const frames: Frame[] = [];
  new FrameDecoder(1 << 30).push(Buffer.concat(f.encode()), (x) => frames.push(x));
  expect(frames).to.have.length(1);
  return frames[0];
}

function protocolError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(FrameError);
    expect((err as FrameError).code).to.equal("PROTOCOL_ERROR");
    return (err as Error).message;
  }
  throw new Error("expected a PROTOCOL_ERROR");
}

/** Three servers A, B, C; A–B and A–C may go through relays (a tap on A–B, a cut on A–C). */
async function threeServers(prefix: string, opts: { tapAB?: (fromA: boolean, chunk: Buffer) => void } = {}) {
  const [a, b, c] = await Promise.all(["a", "b", "c"].map((n) => fleet.server(`${prefix}-${n}`, "", steady)));
  const ab = new TcpRelay(b.port, opts.tapAB);
  const ac = new TcpRelay(c.port);
  relays.push(ab, ac);
  a.ex.connect("127.0.0.1", await ab.start());
  a.ex.connect("127.0.0.1", await ac.start());
  b.ex.connect("127.0.0.1", c.port);
  return { a, b, c, ac };
}

/** A client process on `port` holding one agent per entry. */
function clientWith(
  name: string,
  port: number,
  agents: AgentOptions[],
): { node: ExchangeNode; agents: ServiceAgent[] } {
  const node = fleet.node(name, steady);
  node.exchange({ role: "client" }).connect("127.0.0.1", port);
  return { node, agents: agents.map((o) => node.agent(o)) };
}

function collect(agent: ServiceAgent): DeliveredReport[] {
  const got: DeliveredReport[] = [];
  agent.onReport((r) => got.push(r));
  return got;
}

function notices(agent: ServiceAgent): EdgeNotice[] {
  const got: EdgeNotice[] = [];
  agent.onPublisher((n) => got.push(n));
  return got;
}

const publisherEdges = (node: ExchangeNode) => node.dump().edges.filter((e) => e.side === "publisher");

/** Publishes `count` reports in bursts of `burst` per event-loop turn (so they share frames); returns the seqs. */
async function publishBursts(
  pub: ServiceAgent,
  count: number,
  burst: number,
  report: (i: number) => { subject: string; content: unknown; lifetime?: number },
): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count;) {
    for (let k = 0; k < burst && i < count; k++, i++) {
      const r = report(i);
      seqs.push(pub.publishReport(r.subject, r.content, { lifetime: r.lifetime ?? 0 }));
    }
    await new Promise((r) => setImmediate(r));
  }
  return seqs;
}

function expectIncreasing(got: DeliveredReport[], who: string): void {
  for (let i = 1; i < got.length; i++)
    expect(got[i].publicationSeq, `${who}: delivery ${i} after ${got[i - 1].publicationSeq}`).to.be.greaterThan(
      got[i - 1].publicationSeq,
    );
}

function reportEvents(node: string, subscriber: string): ReportEvent[] {
  return fleet.events.get(node)!.filter((e): e is ReportEvent => e.type === "report" && e.subscriber === subscriber);
}

// ---- the frame ----

describe("REPORTS frames (fanout.ts)", () => {
  test("round trip: compact fields for consecutive seqs, one subject and one length; arrays otherwise", () => {
    const same = new OpenReports("p", true, ["s1", "s2"], [["*"], ["a.*"]]);
    for (let i = 0; i < 3; i++) expect(same.add(outgoing(7 + i, "a.b", Buffer.from([i, i])), 1 << 20)).to.be.above(0);
    const f = decoded(same);
    expect(f.h).to.deep.include({ type: "REPORTS", pub: "p", n: 3, seq: 7, subj: "a.b", len: 2, bin: 1 });
    expect(reportsOf(f.h)).to.deep.equal({ pub: "p", to: ["s1", "s2"], pats: [["*"], ["a.*"]] });
    expect(publicationsOf(f.h, f.payload)).to.deep.equal({
      seq: [7, 8, 9],
      subj: ["a.b", "a.b", "a.b"],
      len: [2, 2, 2],
    });
    expect([...f.payload!]).to.deep.equal([0, 0, 1, 1, 2, 2]);

    const mixed = new OpenReports("p", false, ["s1"], [["*"]]);
    mixed.add({ ...outgoing(3, "x", Buffer.from("1")), bin: false }, 1 << 20);
    mixed.add({ ...outgoing(5, "yé", undefined), bin: false }, 1 << 20);
    mixed.add({ ...outgoing(6, "x", Buffer.from("[2]")), bin: false }, 1 << 20);
    const g = decoded(mixed);
    expect(g.h).to.deep.include({ n: 3, seq: [3, 5, 6], subj: ["x", "yé", "x"], len: [1, 0, 3] });
    expect(g.h.bin).to.equal(undefined);
    expect(publicationsOf(g.h, g.payload).len).to.deep.equal([1, 0, 3]);
  });

  test("an open frame takes only the same publisher, payload kind, recipients and patterns", () => {
    const f = new OpenReports("p", true, ["s1", "s2"], [["*"], ["a.*"]]);
    const o = outgoing(1, "a");
    expect(f.fits(o, ["s1", "s2"], [["*"], ["a.*"]])).to.equal(true);
    expect(f.fits({ ...o, pub: "q" }, ["s1", "s2"], [["*"], ["a.*"]])).to.equal(false);
    expect(f.fits({ ...o, bin: false }, ["s1", "s2"], [["*"], ["a.*"]])).to.equal(false);
    expect(f.fits(o, ["s2", "s1"], [["a.*"], ["*"]])).to.equal(false);
    expect(f.fits(o, ["s1"], [["*"]])).to.equal(false);
    expect(f.fits(o, ["s1", "s2"], [["*"], ["a.*", "*"]])).to.equal(false);
    expect(f.fits(o, ["s1", "s2"], [["*"], ["b.*"]])).to.equal(false);
  });

  test("limits: publications and bytes per frame, maxFrameBytes; a publication too large for any frame is refused", () => {
    const many = new OpenReports("p", true, ["s"], [["*"]]);
    for (let i = 0; i < BATCH_PUBLICATIONS; i++) expect(many.add(outgoing(i + 1, "t"), 1 << 20)).to.be.above(0);
    expect(many.add(outgoing(BATCH_PUBLICATIONS + 1, "t"), 1 << 20)).to.equal(0);

    const big = new OpenReports("p", true, ["s"], [["*"]]);
    expect(big.add(outgoing(1, "t", Buffer.alloc(BATCH_PAYLOAD_BYTES - 10)), 1 << 20)).to.be.above(0);
    expect(big.add(outgoing(2, "t", Buffer.alloc(11)), 1 << 20)).to.equal(0);
    expect(big.add(outgoing(2, "t", Buffer.alloc(10)), 1 << 20)).to.be.above(0);

    const alone = new OpenReports("p", true, ["s"], [["*"]]);
    expect(alone.add(outgoing(1, "t", Buffer.alloc(3 * BATCH_PAYLOAD_BYTES)), 1 << 20)).to.be.above(0);
    expect(alone.add(outgoing(2, "t", Buffer.alloc(1)), 1 << 20)).to.equal(0);
    expect(decoded(alone).raw.length).to.be.at.most(1 << 20);

    const tooLarge = new OpenReports("p", true, ["s"], [["*"]]);
    expect(tooLarge.add(outgoing(1, "t", Buffer.alloc(4000)), 4096)).to.equal(0);
    const fitsExactly = new OpenReports("p", true, ["s"], [["*"]]);
    expect(fitsExactly.add(outgoing(1, "t", Buffer.alloc(3900)), 4096)).to.be.above(0);
    expect(decoded(fitsExactly).raw.length).to.be.at.most(4096);
  });

  test("malformed REPORTS headers are PROTOCOL_ERROR, never another error", () => {
    const ok: FrameHeader = { type: "REPORTS", pub: "p", to: ["s"], pats: [["*"]], n: 2, seq: 1, subj: "t", len: 1 };
    const two = Buffer.from([1, 2]);
    expect(publicationsOf(ok, two).seq).to.deep.equal([1, 2]);
    protocolError(() => reportsOf({ ...ok, to: "s" }));
    protocolError(() => reportsOf({ ...ok, pats: [["*"], ["*"]] }));
    protocolError(() => reportsOf({ ...ok, pats: [[1]] }));
    protocolError(() => reportsOf({ ...ok, pub: 3 }));
    for (const bad of [
      { n: 0 },
      { n: 1.5 },
      { n: 1e9, len: 0 },
      { seq: [1] },
      { seq: "1" },
      { subj: ["t", 2] },
      { len: -1 },
      { len: [1, 1.5] },
      { len: 2 },
    ])
      protocolError(() => publicationsOf({ ...ok, ...bad }, two));
    protocolError(() => publicationsOf(ok, undefined));
  });
});

// ---- on real links ----

describe("fan-out over a server mesh (S-38, S-39)", () => {
  test("a publication crosses each server link once and reaches each subscriber once, in order", async () => {
    const ab: Frame[] = [];
    const decoder = new FrameDecoder(1 << 30);
    const { a, b, c } = await threeServers("fo1", {
      tapAB: (fromA, chunk) => fromA && decoder.push(chunk, (f) => ab.push(f)),
    });
    const pubNode = clientWith("fo1-pub", a.port, [{ name: "feed" }]);
    const feed = pubNode.agents[0];
    const subs = [
      clientWith("fo1-qa", a.port, [{ name: "sa1" }, { name: "sa2" }]),
      clientWith("fo1-qb1", b.port, [{ name: "sb1" }, { name: "sb2" }]),
      clientWith("fo1-qb2", b.port, [{ name: "sb3" }]),
      clientWith("fo1-qc", c.port, [{ name: "sc1" }]),
    ].flatMap((q) => q.agents);
    await waitFor(() => subs.every((s) => s.node.registry.lookupByName("feed").length === 1), "feed visible");
    const got = subs.map(collect);
    for (const s of subs) s.subscribeReports("feed", "*");
    await waitFor(() => publisherEdges(pubNode.node).length === subs.length, "an edge per subscriber");
    const tapped = ab.length;

    const seqs = await publishBursts(feed, 1200, 150, (i) => ({ subject: `t.${i % 3}`, content: i }));
    await waitFor(() => got.every((g) => g.length === seqs.length), "every subscriber has every publication", 10000);
    subs.forEach((s, k) => {
      expect(
        got[k].map((r) => r.publicationSeq),
        s.serviceName,
      ).to.deep.equal(seqs);
      expect(got[k].map((r) => r.content)).to.deep.equal(seqs.map((_, i) => i));
      expect(got[k].every((r) => r.matchedPatterns.length === 1 && r.matchedPatterns[0] === "*")).to.equal(true);
    });

    const onAB = ab.slice(tapped).filter((f) => f.h.type === "REPORTS" || f.h.type === "REPORT");
    expect(onAB.every((f) => f.h.type === "REPORTS")).to.equal(true);
    const bIds = subs.filter((s) => s.node.name.startsWith("fo1-qb")).map((s) => s.agentId);
    for (const f of onAB) expect([...(f.h.to as string[])].sort()).to.deep.equal([...bIds].sort());
    const crossed = onAB.flatMap((f) => publicationsOf(f.h, f.payload).seq);
    expect(crossed, "each publication crossed A→B once").to.deep.equal(seqs);
    expect(onAB.length, "publications shared frames").to.be.below(seqs.length / 10);
  });

  test("targeted reports and cache replays interleaved with live publications keep FIFO per subscriber", async () => {
    const { a, b } = await threeServers("fo2");
    const pubNode = clientWith("fo2-pub", a.port, [{ name: "feed" }]);
    const feed = pubNode.agents[0];
    const q = clientWith("fo2-q", b.port, [{ name: "s1" }, { name: "s2" }]);
    await waitFor(() => q.node.registry.lookupByName("feed").length === 1, "feed visible");
    const [s1, s2] = q.agents;
    const got1 = collect(s1);
    const got2 = collect(s2);
    s1.subscribeReports("feed", "*");
    await waitFor(() => publisherEdges(pubNode.node).length === 1, "s1's edge");
    let late = false;
    await publishBursts(feed, 900, 100, (i) => {
      if (i % 7 === 0) feed.sendReport(s1.agentId, "direct", -i);
      if (i === 450 && !late) {
        late = true;
        s2.subscribeReports("feed", "k.*");
      }
      return i % 5 === 0 ? { subject: `k.${i % 4}`, content: i, lifetime: -1 } : { subject: "live", content: i };
    });
    for (let i = 0; i < 4; i++) feed.publishReport(`k.${i}`, "again");
    const last = feed.publishReport("k.0", "end");
    await waitFor(() => got1.some((r) => r.publicationSeq === last), "s1 has the last one");
    await waitFor(() => got2.some((r) => r.publicationSeq === last), "s2 has the last one");
    expectIncreasing(got1, "s1");
    expectIncreasing(got2, "s2");
    expect(got1.filter((r) => r.subject === "direct")).to.have.length(129);
    expect(got1.filter((r) => r.subject !== "direct")).to.have.length(905);
    expect(got2.every((r) => r.subject.startsWith("k."))).to.equal(true);
    expect(got2.filter((r) => r.cached).length, "s2 got cached values first").to.be.within(1, 4);
    expect(got2.findIndex((r) => !r.cached)).to.equal(got2.filter((r) => r.cached).length);
    for (const [node, agent] of [
      ["fo2-q", s1.agentId],
      ["fo2-q", s2.agentId],
    ]) {
      const keys = reportEvents(node, agent).map((e) => `${e.publisher}#${e.publicationSeq}`);
      expect(new Set(keys).size, "no duplicate report event").to.equal(keys.length);
    }
  });

  test("a server link dropped mid fan-out: no duplicate, no reordering; losses only behind it, while withdrawn", async () => {
    const { a, b, c, ac } = await threeServers("fo3");
    const pubNode = clientWith("fo3-pub", a.port, [{ name: "feed" }]);
    const feed = pubNode.agents[0];
    const qa = clientWith("fo3-qa", a.port, [{ name: "sa" }]);
    const qb = clientWith("fo3-qb", b.port, [{ name: "sb1" }, { name: "sb2" }]);
    const qc = clientWith("fo3-qc", c.port, [{ name: "sc1" }, { name: "sc2" }]);
    const qc2 = clientWith("fo3-qc2", c.port, [{ name: "sc3" }]);
    const subs = [...qa.agents, ...qb.agents, ...qc.agents, ...qc2.agents];
    const behindC = new Set([...qc.agents, ...qc2.agents]);
    await waitFor(() => subs.every((s) => s.node.registry.lookupByName("feed").length === 1), "feed visible");
    const got = subs.map(collect);
    const publisherNotices = subs.map(notices);
    for (const s of subs) s.subscribeReports("feed", "*");
    await waitFor(() => publisherEdges(pubNode.node).length === subs.length, "an edge per subscriber");

    let cutAt = 0;
    qc.agents[0].onReport((r) => {
      if (cutAt === 0 && r.publicationSeq >= 700) {
        cutAt = r.publicationSeq;
        ac.cut();
      }
    });
    const seqs = await publishBursts(feed, 3000, 200, (i) => ({ subject: "t", content: i }));
    await waitFor(() => cutAt > 0, "the cut, from a delivery at C");
    expect(cutAt, "the cut happened while the burst was being fanned out").to.be.below(seqs[seqs.length - 1]);
    // Back means the publisher took each subscriber behind C again: a second REQUESTED edge at the publisher, which
    // follows its WITHDRAWN on the same link. The edge count alone can still be the stale one before the withdrawal.
    const takenAgain = (s: ServiceAgent) =>
      fleet.events
        .get(pubNode.node.name)!
        .filter(
          (e): e is SubscriptionEvent =>
            e.type === "subscription" &&
            e.side === "publisher" &&
            e.subscriber === s.agentId &&
            e.state === "REQUESTED",
        ).length >= 2;
    await waitFor(() => [...behindC].every(takenAgain), "the publisher has the subscribers behind C again", 15000);
    await waitFor(() => publisherEdges(pubNode.node).length === subs.length, "an edge per subscriber again", 10000);
    seqs.push(...(await publishBursts(feed, 300, 100, (i) => ({ subject: "t", content: 3000 + i }))));
    const last = seqs[seqs.length - 1];
    await waitFor(() => got.every((g) => g.some((r) => r.publicationSeq === last)), "everyone has the last one", 15000);

    subs.forEach((s, k) => {
      const who = s.serviceName;
      expectIncreasing(got[k], who);
      const keys = reportEvents(s.node.name, s.agentId).map((e) => e.publicationSeq);
      expect(new Set(keys).size, `${who}: one report event per publication`).to.equal(keys.length);
      const delivered = got[k].map((r) => r.publicationSeq);
      if (!behindC.has(s)) {
        expect(delivered, `${who} lost nothing`).to.deep.equal(seqs);
        expect(
          publisherNotices[k].filter((n) => n.state === "WITHDRAWN"),
          who,
        ).to.deep.equal([]);
        return;
      }
      // One gap at most, and it lies where the publisher was withdrawn at this subscriber's process.
      const events = fleet.events.get(s.node.name)!;
      const withdraw = events.find(
        (e): e is BindingEvent => e.type === "binding" && e.change === "WITHDRAW" && e.agentId === feed.agentId,
      );
      expect(withdraw, `${who} saw the publisher withdrawn`).to.not.equal(undefined);
      expect(
        publisherNotices[k].some((n) => n.state === "WITHDRAWN"),
        `${who}: onPublisher(WITHDRAWN)`,
      ).to.equal(true);
      const before = reportEvents(s.node.name, s.agentId).filter((e) => e.seq < withdraw!.seq);
      const after = reportEvents(s.node.name, s.agentId).filter((e) => e.seq > withdraw!.seq);
      const x = before.length;
      expect(
        before.map((e) => e.publicationSeq),
        `${who}: before the withdrawal, every publication up to the last`,
      ).to.deep.equal(seqs.slice(0, x));
      const y = seqs.indexOf(after[0].publicationSeq);
      expect(y, `${who}: after it, a contiguous tail`).to.be.above(x - 1);
      expect(after.map((e) => e.publicationSeq)).to.deep.equal(seqs.slice(y));
      const resubscribed = fleet.events
        .get(s.node.name)!
        .filter(
          (e): e is SubscriptionEvent =>
            e.type === "subscription" &&
            e.side === "subscriber" &&
            e.subscriber === s.agentId &&
            e.state === "REQUESTED",
        );
      expect(resubscribed, `${who} subscribed again`).to.have.length(2);
      expect(resubscribed[1].seq).to.be.above(withdraw!.seq);
      expect(resubscribed[1].seq, `${who}: no report between withdrawal and the new edge`).to.be.below(after[0].seq);
    });
  });

  test("audience: a subscriber the publisher must not see gets nothing from its process's shared frame", async () => {
    const { a, b, c } = await threeServers("fo4");
    const sent: Frame[] = [];
    const decoder = new FrameDecoder(1 << 30);
    const tap = new TcpRelay(a.port, (fromPub, chunk) => fromPub && decoder.push(chunk, (f) => sent.push(f)));
    relays.push(tap);
    const pubNode = clientWith("fo4-pub", await tap.start(), [{ name: "feed" }, { name: "secret", audience: "" }]);
    const [feed, secret] = pubNode.agents;
    const insider = pubNode.node.agent({ name: "insider" });
    const qb = clientWith("fo4-qb", b.port, [{ name: "x" }, { name: "y", audience: "" }]);
    const qc = clientWith("fo4-qc", c.port, [{ name: "z" }, { name: "w", audience: "othergroup" }]);
    const [x, y] = qb.agents;
    const [z, w] = qc.agents;
    await waitFor(() => [qb.node, qc.node].every((n) => n.registry.lookupByName("feed").length === 1), "feed visible");
    const got = [x, y, z, w, insider].map(collect);
    const refused = [y, w].map(notices);
    for (const s of [x, y, z, w, insider]) s.subscribeReports("feed", "*");
    for (const s of [x, z, insider]) s.subscribeReports("secret", "*");
    x.subscribeReports(secret.agentId, "*", { byAgent: true });
    await waitFor(() => refused.every((r) => r.some((n) => n.state === "REJECTED")), "y and w refused");
    await waitFor(() => publisherEdges(pubNode.node).length === 4, "edges of x, z and insider (2)");

    const seqs = await publishBursts(feed, 600, 100, (i) => ({ subject: "t", content: i }));
    const hidden = await publishBursts(secret, 50, 25, (i) => ({ subject: "s", content: i }));
    await waitFor(() => got[0].length === 600 && got[2].length === 600, "x and z have every feed report");
    await waitFor(() => got[4].length === 650, "insider has feed and secret");
    feed.publishReport("t", "last");
    await waitFor(() => got[0].length === 601 && got[2].length === 601, "x and z have the last one");
    expect(got[0].map((r) => r.publicationSeq)).to.deep.equal([...seqs, seqs[seqs.length - 1] + 1]);
    expect(got[4].filter((r) => r.publisher === secret.agentId).map((r) => r.publicationSeq)).to.deep.equal(hidden);
    const listed = new Set(sent.filter((f) => f.h.type === "REPORTS").flatMap((f) => f.h.to as string[]));
    expect([...listed].sort(), "the publisher's frames list x and z only").to.deep.equal([x.agentId, z.agentId].sort());
    expect(
      sent.some((f) => f.h.type === "REPORT"),
      "no REPORT for live publications",
    ).to.equal(false);
    expect(got[1], 'y (audience "") got nothing').to.deep.equal([]);
    expect(got[3], "w (audience of another group) got nothing").to.deep.equal([]);
    expect(
      got[0].concat(got[2]).some((r) => r.publisher === secret.agentId),
      "secret stays home",
    ).to.equal(false);
    for (const [node, agent] of [
      ["fo4-qb", y.agentId],
      ["fo4-qc", w.agentId],
    ])
      expect(reportEvents(node, agent)).to.deep.equal([]);
  });

  test("overlapping patterns, subscribers sharing a process: one delivery per publication, exactly what matched", async () => {
    const { a, b, c } = await threeServers("fo5");
    const pubNode = clientWith("fo5-pub", a.port, [{ name: "feed" }]);
    const feed = pubNode.agents[0];
    const qa = clientWith("fo5-qa", a.port, [{ name: "s1" }]);
    const qb = clientWith("fo5-qb", b.port, [{ name: "s2" }, { name: "s3" }]);
    const qc = clientWith("fo5-qc", c.port, [{ name: "s4" }]);
    const [s1, s2, s3, s4] = [...qa.agents, ...qb.agents, ...qc.agents];
    await waitFor(() => [s1, s2, s3, s4].every((s) => s.node.registry.lookupByName("feed").length === 1), "visible");
    const patterns = new Map<ServiceAgent, string[]>([
      [s1, ["a.*", "*.b"]],
      [s2, ["a.b", "?.?", "*"]],
      [s3, ["x.*", "a.b"]],
      [s4, ["*.b", "a.b"]],
    ]);
    const got = [s1, s2, s3, s4].map(collect);
    for (const [s, ps] of patterns) for (const p of ps) s.subscribeReports("feed", p);
    s3.subscribeReports(feed.agentId, "x.*", { byAgent: true });
    s3.subscribeReports("feed", "a.b");
    await waitFor(() => publisherEdges(pubNode.node).length === 9, "nine edges at the publisher");

    const subjects = ["a.b", "a.c", "x.b", "yy.y", "a.bb", "x.y", "q"];
    const seqs = await publishBursts(feed, 1400, 120, (i) => ({
      subject: subjects[(i * 5 + (i >> 3)) % 7],
      content: i,
    }));
    const match = (p: string, subj: string) =>
      new RegExp(`^${p.replace(/\./g, "\\.").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(subj);
    const expected = [s1, s2, s3, s4].map((s) =>
      seqs
        .map((seq, i) => ({ seq, subject: subjects[(i * 5 + (i >> 3)) % 7], content: i }))
        .map((p) => ({
          ...p,
          pats: patterns
            .get(s)!
            .filter((x) => match(x, p.subject))
            .sort(),
        }))
        .filter((p) => p.pats.length > 0),
    );
    await waitFor(() => got.every((g, k) => g.length === expected[k].length), "every matching publication", 10000);
    feed.publishReport("a.b", "last");
    await waitFor(() => got.every((g) => g.some((r) => r.content === "last")), "the last one everywhere");
    got.forEach((g, k) => {
      const mine = g.filter((r) => r.content !== "last");
      expect(
        mine.map((r) => ({
          seq: r.publicationSeq,
          subject: r.subject,
          content: r.content,
          pats: [...r.matchedPatterns].sort(),
        })),
        `s${k + 1}`,
      ).to.deep.equal(expected[k]);
    });
  });

  test("across a bridge between groups: audience per group, and a relay's own subscriber gets its own bytes", async () => {
    const s0 = await fleet.server("fo7-s0", "", steady);
    const sx = await fleet.server("fo7-sx", "x", steady);
    const bridge = fleet.node("fo7-bridge", steady);
    bridge.exchange({ role: "client", group: "" }).connect("127.0.0.1", s0.port);
    bridge.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
    const pubNode = fleet.node("fo7-pub", steady);
    pubNode.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
    const feed = pubNode.agent({ name: "feed" });
    const xFeed = pubNode.agent({ name: "x-feed", audience: "x" });
    const inX = fleet.node("fo7-inx", steady);
    inX.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
    const far = clientWith("fo7-far", s0.port, [{ name: "far1" }, { name: "far2" }, { name: "far-x", audience: "x" }]);
    const local = bridge.agent({ name: "on-bridge" });
    const x1 = inX.agent({ name: "x1" });
    const [far1, far2, farX] = far.agents;
    const everyone = [far1, far2, farX, local, x1];
    await waitFor(() => everyone.every((a) => a.node.registry.lookupByName("feed").length === 1), "feed everywhere");
    await waitFor(() => [local, x1].every((a) => a.node.registry.lookupByName("x-feed").length === 1), "x-feed in x");
    const got = everyone.map(collect);
    local.onReport((r) => Buffer.isBuffer(r.content) && r.content.fill(0));
    const refused = notices(farX);
    for (const a of everyone) for (const name of ["feed", "x-feed"]) a.subscribeReports(name, "*");
    await waitFor(() => refused.some((n) => n.state === "REJECTED"), "far-x is not visible to the publisher");
    await waitFor(() => publisherEdges(pubNode).length === 6, "feed: far1, far2, on-bridge, x1; x-feed: on-bridge, x1");

    const seqs = await publishBursts(feed, 500, 100, (i) => ({ subject: "t", content: Buffer.from([1, i % 256]) }));
    const xSeqs = await publishBursts(xFeed, 100, 50, (i) => ({ subject: "x", content: i }));
    const fromFeed = (g: DeliveredReport[]) => g.filter((r) => r.publisher === feed.agentId);
    await waitFor(() => [0, 1, 3, 4].every((k) => fromFeed(got[k]).length === 500), "feed everywhere it may go");
    await waitFor(() => [3, 4].every((k) => got[k].length === 600), "x-feed in group x");
    for (const k of [0, 1, 3, 4]) expect(fromFeed(got[k]).map((r) => r.publicationSeq)).to.deep.equal(seqs);
    for (const k of [0, 1, 4])
      fromFeed(got[k]).forEach((r, i) => expect([...(r.content as Buffer)]).to.deep.equal([1, i % 256]));
    for (const k of [3, 4])
      expect(got[k].filter((r) => r.publisher === xFeed.agentId).map((r) => r.publicationSeq)).to.deep.equal(xSeqs);
    expect(
      got[0].concat(got[1]).some((r) => r.publisher === xFeed.agentId),
      "x-feed stays in x",
    ).to.equal(false);
    expect(got[2]).to.deep.equal([]);
  });

  test("the recipients a publisher remembers for a subject follow every edge change at once", async () => {
    const { a, b } = await threeServers("fo8");
    const pubNode = clientWith("fo8-pub", a.port, [{ name: "feed" }]);
    const feed = pubNode.agents[0];
    const q = clientWith("fo8-q", b.port, [{ name: "s1" }, { name: "s2" }]);
    const [s1, s2] = q.agents;
    await waitFor(() => q.node.registry.lookupByName("feed").length === 1, "feed visible");
    const got = [s1, s2].map(collect);
    const edges = () => publisherEdges(pubNode.node).length;
    const step = async (n: number, what: string) => {
      await waitFor(() => edges() === n, what);
      return feed.publishReport("t", what);
    };
    const sub1 = s1.subscribeReports("feed", "t");
    const one = await step(1, "s1");
    s2.subscribeReports("feed", "*");
    const both = await step(2, "s1 and s2");
    await waitFor(() => got[0].some((r) => r.publicationSeq === both), "s1 has what it was sent");
    sub1.cancel();
    const two = await step(1, "s2 alone");
    s1.subscribeReports("feed", "u");
    const stillTwo = await step(2, "s2, s1 on u");
    await waitFor(() => got[1].some((r) => r.publicationSeq === stillTwo), "s2 has what it was sent");
    s2.withdraw();
    const none = await step(1, "nobody on t");
    const u = feed.publishReport("u", "u");
    await waitFor(() => got[0].some((r) => r.publicationSeq === u), "u");
    expect(got[0].map((r) => r.publicationSeq)).to.deep.equal([one, both, u]);
    expect(got[1].map((r) => r.publicationSeq)).to.deep.equal([both, two, stillTwo]);
    expect(none).to.be.above(stillTwo);
  });

  test("a malformed REPORTS frame closes the link that sent it with PROTOCOL_ERROR", async () => {
    const s = await fleet.server("fo6-s");
    const raw = await new RawPeer().connect(s.port);
    relays.push({ close: () => raw.destroy() });

    await raw.handshake("fo6-raw");
    raw.send(encodeFrame({ type: "REPORTS", pub: "p", to: ["x"], pats: [] }));
    await waitFor(() => raw.closed, "link closed");
    const closed = fleet.linkEvents("fo6-s").filter((e) => e.state === "CLOSED");
    expect(closed.map((e) => e.reason)).to.deep.equal(["PROTOCOL_ERROR"]);
  });
});
