import { after, describe, test } from "node:test";
import { expect } from "chai";
import type { ServiceAgent } from "./agent";
import type { ReportEvent, SubscriptionEvent } from "./events";
import { Fleet, seen, TcpRelay, waitFor } from "./exchange-test-utils";
import type { ExchangeNode } from "./node";
import type { DeliveredReport, EdgeNotice } from "./types";

const fleet = new Fleet();
after(() => fleet.closeAll());

async function pair(
  prefix: string,
  pubOpts = {},
): Promise<{ pubNode: ExchangeNode; subNode: ExchangeNode; port: number }> {
  const s = await fleet.server(`${prefix}-s`);
  const pubNode = fleet.node(`${prefix}-pub`, pubOpts);
  pubNode.exchange({ role: "client" }).connect("127.0.0.1", s.port);
  const subNode = fleet.node(`${prefix}-sub`);
  subNode.exchange({ role: "client" }).connect("127.0.0.1", s.port);
  return { pubNode, subNode, port: s.port };
}

function collect(agent: ServiceAgent): DeliveredReport[] {
  const got: DeliveredReport[] = [];
  agent.onReport((r) => got.push(r));
  return got;
}

describe("reports (S-36..S-40)", () => {
  test("a late subscriber gets unexpired cached subjects (lifetime -1 and N, not 0, not expired) before live reports", async () => {
    let offset = 0;
    const clock = { now: () => 1_700_000_000_000 + offset };
    const { pubNode, subNode } = await pair("cache", { clock });
    const pub = pubNode.agent({ name: "ticker" });
    pub.publishReport("k.forever", "F", { lifetime: -1 });
    pub.publishReport("k.short", "S", { lifetime: 10 });
    pub.publishReport("k.expired", "E", { lifetime: 5 });
    pub.publishReport("k.none", "N");
    pub.publishReport("k.replaced", "R1", { lifetime: -1 });
    pub.publishReport("k.replaced", "R2", { lifetime: 0 });
    pub.publishReport("k.forever", "F2", { lifetime: -1 });
    offset = 6000;
    pub.onSubscription((e) => e.state === "REQUESTED" && pub.publishReport("k.live", "L"));
    await waitFor(() => seen(subNode).includes("ticker"), "publisher visible");
    const sub = subNode.agent({ name: "late" });
    const got = collect(sub);
    sub.subscribeReports("ticker", "k.*");
    await waitFor(() => got.some((r) => r.subject === "k.live"), "live report");
    expect(got.map((r) => `${r.subject}=${String(r.content)}:${r.cached}`)).to.deep.equal([
      "k.forever=F2:true",
      "k.short=S:true",
      "k.live=L:false",
    ]);
    offset = 11000;
    const later = subNode.agent({ name: "later" });
    const got2 = collect(later);
    later.subscribeReports(pub.agentId, "k.*");
    await waitFor(() => got2.some((r) => r.subject === "k.live"), "second live report");
    expect(got2.map((r) => r.subject)).to.deep.equal(["k.forever", "k.live"]);
    const events = fleet.events
      .get("cache-sub")!
      .filter((e): e is ReportEvent => e.type === "report" && e.subscriber === later.agentId);
    expect(events.map((e) => e.cached)).to.deep.equal([true, false]);
  });

  test("report contents that are bytes arrive as Buffers, live and from the cache; JSON contents stay JSON", async () => {
    const { pubNode, subNode } = await pair("bytes");
    const pub = pubNode.agent({ name: "raw" });
    pub.publishReport("b.cached", Buffer.from([9, 8, 7]), { lifetime: -1 });
    pub.onSubscription((e) => {
      if (e.state !== "REQUESTED") return;
      pub.publishReport("b.live", new Uint8Array([1]));
      pub.publishReport("b.json", [1]);
    });
    await waitFor(() => seen(subNode).includes("raw"), "publisher visible");
    const sub = subNode.agent({ name: "bytes-sub" });
    const got = collect(sub);
    sub.subscribeReports("raw", "b.*");
    await waitFor(() => got.length === 3, "three reports");
    expect(
      got.map((r) => [r.subject, Buffer.isBuffer(r.content) ? [...(r.content as Buffer)] : r.content, r.cached]),
    ).to.deep.equal([
      ["b.cached", [9, 8, 7], true],
      ["b.live", [1], false],
      ["b.json", [1], false],
    ]);
    expect(Buffer.isBuffer(got[2].content)).to.equal(false);
  });

  test("overlapping patterns: one delivery per publication with exactly the matching patterns, in FIFO order", async () => {
    const { pubNode, subNode } = await pair("fifo");
    const pub = pubNode.agent({ name: "fifo-pub" });
    await waitFor(() => seen(subNode).includes("fifo-pub"), "publisher visible");
    const sub = subNode.agent({ name: "fifo-sub" });
    const got = collect(sub);
    const patterns = ["a.*", "*.b", "a.b", "?.?"];
    for (const p of patterns) sub.subscribeReports("fifo-pub", p);
    await waitFor(
      () => pubNode.dump().edges.filter((e) => e.side === "publisher").length === 4,
      "four edges at the publisher",
    );
    const subjects = ["a.b", "a.c", "x.b", "yy.y", "a.bb"];
    const expectMatch: Record<string, string[]> = {
      "a.b": ["a.*", "*.b", "a.b", "?.?"],
      "a.c": ["a.*", "?.?"],
      "x.b": ["*.b", "?.?"],
      "yy.y": [],
      "a.bb": ["a.*"],
    };
    for (let i = 0; i < 500; i++) pub.publishReport(subjects[i % 5], i);
    await waitFor(() => got.length === 400, "400 deliveries");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).to.have.length(400);
    for (let i = 1; i < got.length; i++) expect(got[i].publicationSeq).to.be.greaterThan(got[i - 1].publicationSeq);
    for (const r of got) {
      expect(r.matchedPatterns.slice().sort()).to.deep.equal(expectMatch[r.subject].slice().sort());
      expect(r.content).to.equal(r.publicationSeq - 1);
    }
  });

  test("a publisher may replace the subject matcher (S-37)", async () => {
    const { pubNode, subNode } = await pair("matcher");
    const pub = pubNode.agent({ name: "prefix-pub", matchSubject: (p, subj) => subj.startsWith(p) });
    await waitFor(() => seen(subNode).includes("prefix-pub"), "publisher visible");
    const sub = subNode.agent({ name: "prefix-sub" });
    const got = collect(sub);
    sub.subscribeReports("prefix-pub", "ab");
    await waitFor(() => pubNode.dump().edges.length === 1, "edge");
    for (const subject of ["xab", "abc", "a*", "ab"]) pub.publishReport(subject, subject);
    await waitFor(() => got.length === 2, "two prefix matches");
    expect(got.map((r) => r.subject)).to.deep.equal(["abc", "ab"]);
  });

  test("a name subscription keeps an edge to every publisher of that name as they come and go", async () => {
    const s = await fleet.server("name-s");
    const nodes = [0, 1, 2].map((i) => {
      const n = fleet.node(`name-p${i}`);
      n.exchange({ role: "client" }).connect("127.0.0.1", s.port);
      return n;
    });
    const p0 = nodes[0].agent({ name: "weather" });
    const p1 = nodes[1].agent({ name: "weather" });
    const subNode = fleet.node("name-sub");
    subNode.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    await waitFor(() => subNode.registry.lookupByName("weather").length === 2, "two publishers");
    const sub = subNode.agent({ name: "watcher" });
    const notices: EdgeNotice[] = [];
    sub.onPublisher((e) => notices.push(e));
    const got = collect(sub);
    sub.subscribeReports("weather", "*");
    await waitFor(() => notices.filter((n) => n.state === "REQUESTED").length === 2, "two edges");
    const p2 = nodes[2].agent({ name: "weather" });
    await waitFor(() => notices.filter((n) => n.state === "REQUESTED").length === 3, "edge to the newcomer");
    for (const p of [p0, p1, p2]) p.publishReport("rain", p.agentId);
    await waitFor(() => got.length === 3, "one report from each");
    expect(new Set(got.map((r) => r.publisher))).to.deep.equal(new Set([p0.agentId, p1.agentId, p2.agentId]));
    p1.withdraw();
    await waitFor(
      () => notices.some((n) => n.state === "WITHDRAWN" && n.publisher === p1.agentId),
      "WITHDRAWN for the gone publisher",
    );
  });

  test("after a reconnect the subscriber re-subscribes and gets what was cached meanwhile, without duplicates (S-39)", async () => {
    const s = await fleet.server("re-s");
    const relay = new TcpRelay(s.port);
    after(() => relay.close());
    const pubNode = fleet.node("re-pub");
    pubNode.exchange({ role: "client" }).connect("127.0.0.1", await relay.start(), { delayMs: 50 });
    const pub = pubNode.agent({ name: "re-pub" });
    const subNode = fleet.node("re-sub");
    subNode.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    await waitFor(() => seen(subNode).includes("re-pub"), "publisher visible");
    const sub = subNode.agent({ name: "re-sub" });
    const got = collect(sub);
    sub.subscribeReports("re-pub", "*");
    let edges = 0;
    pub.onSubscription(
      (e) => e.state === "REQUESTED" && ++edges === 1 && pub.publishReport("state", "v1", { lifetime: -1 }),
    );
    await waitFor(() => got.length === 1, "v1");
    relay.cut();
    await waitFor(() => !seen(subNode).includes("re-pub"), "publisher withdrawn at subscriber");
    pub.publishReport("state", "v2", { lifetime: -1 });
    await waitFor(() => got.length === 2, "v2 from the cache after reconnect");
    expect(got.map((r) => `${String(r.content)}:${r.cached}`)).to.deep.equal(["v1:false", "v2:true"]);
    expect(edges).to.equal(2);
    const keys = fleet.events
      .get("re-sub")!
      .filter((e): e is ReportEvent => e.type === "report")
      .map((e) => `${e.publisher}#${e.publicationSeq}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  test("an invisible subscriber is refused (SUB_REJECT NOT_VISIBLE); cancel and withdrawal drop edges at the publisher (I13)", async () => {
    const { pubNode, subNode } = await pair("edge");
    const pub = pubNode.agent({ name: "edge-pub" });
    await waitFor(() => seen(subNode).includes("edge-pub"), "publisher visible");
    const invisible = subNode.agent({ name: "shy", audience: "" });
    const refused: EdgeNotice[] = [];
    invisible.onPublisher((e) => refused.push(e));
    invisible.subscribeReports("edge-pub", "*");
    await waitFor(() => refused.some((e) => e.state === "REJECTED"), "REJECTED");
    const sub = subNode.agent({ name: "edge-sub" });
    await waitFor(() => seen(pubNode).includes("edge-sub"), "subscriber visible at the publisher");
    const got = collect(sub);
    const h = sub.subscribeReports("edge-pub", "x.*");
    const h2 = sub.subscribeReports("edge-pub", "y");
    await waitFor(() => pubNode.dump().edges.filter((e) => e.side === "publisher").length === 2, "edges at publisher");
    h.cancel();
    await waitFor(
      () => pubNode.dump().edges.filter((e) => e.side === "publisher").length === 1,
      "cancelled edge dropped",
    );
    pub.publishReport("x.1", 1);
    pub.publishReport("y", 2);
    await waitFor(() => got.length === 1, "only the remaining edge delivers");
    expect(got[0].subject).to.equal("y");
    expect(pub.sendReport(sub.agentId, "direct", 3)).to.equal(true);
    await waitFor(() => got.length === 2, "targeted report");
    expect(got[1]).to.include({ subject: "direct", content: 3 });
    sub.withdraw();
    await waitFor(() => pubNode.dump().edges.length === 0, "no edges after the subscriber is withdrawn");
    const pubSide = fleet.events
      .get("edge-pub")!
      .filter((e): e is SubscriptionEvent => e.type === "subscription" && e.side === "publisher");
    expect(pubSide.map((e) => `${e.state}:${e.pattern}`)).to.deep.equal([
      "REQUESTED:x.*",
      "REQUESTED:y",
      "WITHDRAWN:x.*",
      "WITHDRAWN:y",
    ]);
    void h2;
  });
});
