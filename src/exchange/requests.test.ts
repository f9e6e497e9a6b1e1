import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { RequestError, ServiceFailure } from "./errors";
import type { RequestEvent, RequestSentEvent } from "./events";
import { Fleet, RawPeer, seen, waitFor } from "./exchange-test-utils";
import type { ExchangeNode } from "./node";

const fleet = new Fleet();
after(() => fleet.closeAll());

/** requester client → s1 → s2 → service client: the longest path inside one group. */
let s1: Awaited<ReturnType<Fleet["server"]>>;
let requester: ExchangeNode;
let provider: ExchangeNode;

before(async () => {
  s1 = await fleet.server("rq-s1");
  const s2 = await fleet.server("rq-s2");
  s1.ex.connect("127.0.0.1", s2.port);
  requester = fleet.node("rq-requester");
  requester.exchange({ role: "client" }).connect("127.0.0.1", s1.port);
  provider = fleet.node("rq-provider");
  provider.exchange({ role: "client" }).connect("127.0.0.1", s2.port);
  provider.agent({ name: "calc" }).onRequest(async (method, args) => {
    if (method === "add") return (args as number[]).reduce((a, b) => a + b, 0);
    if (method === "refuse") throw new ServiceFailure(51, "refused", { why: "policy" });
    if (method === "kind") return Buffer.isBuffer(args) ? [...args].reverse() : typeof args;
    if (method === "echo") return args;
    if (method === "refuse-bytes") throw new ServiceFailure(52, "refused", Buffer.from("why"));
    if (method === "crash") throw new Error("boom");
    if (method === "slow") return new Promise((r) => setTimeout(() => r("late"), 300));
    return undefined;
  });
  provider.agent({ name: "mute" });
  await waitFor(() => seen(requester).includes("calc") && seen(requester).includes("mute"), "requester sees calc");
});

const requestEvents = (name: string): RequestEvent[] =>
  fleet.events.get(name)!.filter((e): e is RequestEvent => e.type === "request");

/** The request-sent and request (outcome) events of one conversation, as a node's listener got them. */
function conversation(name: string, conversationId: string): { sent: RequestSentEvent[]; settled: RequestEvent[] } {
  const events = fleet.events
    .get(name)!
    .filter((e) => (e.type === "request-sent" || e.type === "request") && e.conversationId === conversationId);
  return {
    sent: events.filter((e): e is RequestSentEvent => e.type === "request-sent"),
    settled: events.filter((e): e is RequestEvent => e.type === "request"),
  };
}

describe("request/reply (S-31..S-35)", () => {
  test("RESPONSE and FAILURE travel client → server → server → service and back", async () => {
    const me = requester.agent({ name: "" });
    const ok = await me.request("calc", "add", [1, 2, 3]);
    expect(ok).to.include({ kind: "RESPONSE", result: 6, from: provider.registry.lookupByName("calc")[0].agentId });
    const refused = await me.request("calc", "refuse");
    expect(refused).to.deep.include({
      kind: "FAILURE",
      code: 51,
      description: "refused",
      origin: "service",
      details: { why: "policy" },
    });
    const crashed = await me.request("calc", "crash");
    expect(crashed).to.include({ kind: "FAILURE", code: 57, description: "boom" });
    const mute = await me.request("mute", "anything");
    expect(mute).to.include({ kind: "FAILURE", code: 55 });
    expect(await me.call("calc", "add", [2, 2])).to.equal(4);
    const err = await me.call("calc", "refuse").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RequestError).with.property("code", "FAILURE");
  });

  test("bytes travel as bytes (a Buffer or Uint8Array arrives as a Buffer), JSON values as JSON, over two relays", async () => {
    const me = requester.agent({ name: "" });
    expect(await me.call("calc", "kind", Buffer.from([1, 2, 255]))).to.deep.equal([255, 2, 1]);
    expect(await me.call("calc", "kind", new Uint8Array([7, 0]))).to.deep.equal([0, 7]);
    expect(await me.call("calc", "kind", "not bytes")).to.equal("string");
    expect(await me.call("calc", "kind", { type: "Buffer", data: [1] })).to.equal("object");
    const big = Buffer.alloc(64 * 1024, 0xab);
    big[0] = 0;
    const echoed = await me.call("calc", "echo", big);
    expect(Buffer.isBuffer(echoed) && (echoed as Buffer).equals(big)).to.equal(true);
    const empty = await me.call("calc", "echo", Buffer.alloc(0));
    expect(Buffer.isBuffer(empty) && (empty as Buffer).length === 0).to.equal(true);
    const refused = await me.request("calc", "refuse-bytes");
    expect(refused.kind === "FAILURE" && Buffer.isBuffer(refused.details) && refused.details.toString()).to.equal(
      "why",
    );
    const sent = Buffer.from("abc");
    const local = requester.agent({ name: "local-bytes", audience: "" }).onRequest((_m, a) => a);
    const pending = me.call(local.agentId, "echo", sent);
    sent.fill(0);
    expect(((await pending) as Buffer).toString(), "a local call gets the bytes as they were when sent").to.equal(
      "abc",
    );
  });

  test("an audience-'' requester is invisible yet gets its replies (return path), and local requests work", async () => {
    const hidden = requester.agent({ name: "hidden-requester", audience: "" });
    expect(seen(s1.node)).to.not.include("hidden-requester");
    expect(await hidden.call("calc", "add", [5, 5])).to.equal(10);
    const local = requester.agent({ name: "local-echo" }).onRequest((_m, a) => a);
    expect(await hidden.call(local.agentId, "echo", { a: [1] })).to.deep.equal({ a: [1] });
  });

  test("no binding: SERVICE_UNAVAILABLE (46) at once", async () => {
    const o = await requester.agent({ name: "" }).request("nobody", "x");
    expect(o).to.include({ kind: "SERVICE_UNAVAILABLE", code: 46 });
  });

  test("a relay that cannot route answers NACK SERVICE_UNAVAILABLE along the return path; a routable REQ comes back RES", async () => {
    const raw = await new RawPeer().connect(s1.port);
    after(() => raw.destroy());
    await raw.handshake("rq-raw");
    raw.send({
      type: "REQ",
      id: "rq-raw/0123456789abcdef/c1",
      from: "rq-raw/0123456789abcdef/1",
      to: "ghost/0123456789abcdef/9",
      m: "x",
      path: [],
    });
    const nack = await waitFor(() => raw.find("NACK"), "NACK");
    expect(nack.h).to.include({ id: "rq-raw/0123456789abcdef/c1", code: 46, reason: "NO_ROUTE" });
    expect(nack.h.path).to.deep.equal([]);
    const calc = s1.node.registry.lookupByName("calc")[0].agentId;
    raw.send(
      {
        type: "REQ",
        id: "rq-raw/0123456789abcdef/c2",
        from: "rq-raw/0123456789abcdef/1",
        to: calc,
        m: "add",
        path: [],
      },
      Buffer.from("[40,2]"),
    );
    const res = await waitFor(() => raw.find("RES"), "RES");
    expect(res.h).to.include({ id: "rq-raw/0123456789abcdef/c2", from: calc });
    expect(JSON.parse(res.payload!.toString())).to.equal(42);
  });

  test("a pending request settles SERVICE_WITHDRAWN in the same turn as its target's WITHDRAW", async () => {
    const target = provider.agent({ name: "doomed" }).onRequest(() => new Promise(() => undefined));
    await waitFor(() => seen(requester).includes("doomed"), "doomed visible");
    const me = requester.agent({ name: "" });
    let settledInTurn = -1;
    const onWithdraw = (e: { type: string; change?: string; agentId?: string }) => {
      if (e.type === "binding" && e.change === "WITHDRAW" && e.agentId === target.agentId)
        queueMicrotask(
          () => (settledInTurn = requestEvents("rq-requester").filter((r) => r.toAgent === target.agentId).length),
        );
    };
    requester.on("binding", onWithdraw);
    const pending = me.request("doomed", "wait");
    await waitFor(() => provider.dump().counters && requester.dump().pending.length === 1, "request pending");
    target.withdraw();
    const o = await pending;
    requester.off("binding", onWithdraw);
    expect(o).to.include({
      kind: "SERVICE_WITHDRAWN",
      code: 57,
      origin: "exchange",
      reason: "WITHDRAWN",
      from: target.agentId,
    });
    expect(settledInTurn).to.equal(1);
  });

  test("a pending request settles SERVICE_WITHDRAWN (LINK_LOST) when the target's process dies", async () => {
    const s3 = await fleet.server("rq-s3");
    s3.ex.connect("127.0.0.1", s1.port);
    const victim = fleet.node("rq-victim");
    victim.exchange({ role: "client" }).connect("127.0.0.1", s3.port);
    victim.agent({ name: "victim" }).onRequest(() => new Promise(() => undefined));
    await waitFor(() => seen(requester).includes("victim"), "victim visible");
    const pending = requester.agent({ name: "" }).request("victim", "wait");
    await waitFor(() => requester.dump().pending.length === 1, "pending");
    victim.destroy();
    expect(await pending).to.include({ kind: "SERVICE_WITHDRAWN", reason: "LINK_LOST" });
  });

  test("REQUEST_TIMEOUT (47); the reply that comes later is counted as late", async () => {
    const before = requester.dump().counters.late_replies;
    const o = await requester.agent({ name: "" }).request("calc", "slow", undefined, { timeoutMs: 100 });
    expect(o).to.include({ kind: "REQUEST_TIMEOUT", code: 47 });
    await waitFor(() => requester.dump().counters.late_replies === before + 1, "late reply counted");
    expect(fleet.events.get("rq-requester")!.some((e) => e.type === "anomaly" && e.kind === "LATE_REPLY")).to.equal(
      true,
    );
  });

  test("CANCELLED (48) through an AbortSignal", async () => {
    const ac = new AbortController();
    const pending = requester.agent({ name: "" }).request("calc", "slow", undefined, { signal: ac.signal });
    ac.abort();
    expect(await pending).to.include({ kind: "CANCELLED", code: 48 });
  });

  test("request-sent: once per request, before its outcome, with toAgent and the deadline on the requester's clock (remote, local, refused at once)", async () => {
    let wall = 1_000_000;
    const clocked = fleet.node("rq-clocked", { clock: { now: () => wall }, timing: { maxFrameBytes: 16 * 1024 } });
    clocked.exchange({ role: "client" }).connect("127.0.0.1", s1.port);
    await waitFor(() => seen(clocked).includes("calc"), "rq-clocked sees calc");
    const me = clocked.agent({ name: "" });
    const local = clocked.agent({ name: "local-calc", audience: "" }).onRequest(() => "here");
    const calc = clocked.registry.lookupByName("calc")[0].agentId;
    const start = (target: string, args: unknown, opts: { timeoutMs?: number; signal?: AbortSignal }) => {
      const promise = me.request(target, "add", args, opts);
      const sentNow = fleet.events
        .get("rq-clocked")!
        .filter((e): e is RequestSentEvent => e.type === "request-sent")
        .at(-1)!;
      wall += 1000; // the clock moves while the request is pending: the deadline was read when it began
      return { promise, sentNow };
    };
    const cases = [
      {
        what: "remote",
        target: "calc",
        args: [1, 2],
        opts: { timeoutMs: 2000 },
        kind: "RESPONSE",
        toAgent: calc,
        timeout: 2000,
      },
      {
        what: "remote, default timeout",
        target: "calc",
        args: [1],
        opts: {},
        kind: "RESPONSE",
        toAgent: calc,
        timeout: 5000,
      },
      {
        what: "remote, no timeout",
        target: calc,
        args: [2],
        opts: { timeoutMs: 0 },
        kind: "RESPONSE",
        toAgent: calc,
        timeout: undefined,
      },
      {
        what: "local",
        target: local.agentId,
        args: null,
        opts: { timeoutMs: 300 },
        kind: "RESPONSE",
        toAgent: local.agentId,
        timeout: 300,
      },
      {
        what: "no binding",
        target: "nobody",
        args: null,
        opts: { timeoutMs: 700 },
        kind: "SERVICE_UNAVAILABLE",
        toAgent: undefined,
        timeout: 700,
      },
      {
        what: "aborted before sending",
        target: "calc",
        args: null,
        opts: { signal: AbortSignal.abort() },
        kind: "CANCELLED",
        toAgent: calc,
        timeout: 5000,
      },
      {
        what: "arguments not JSON",
        target: "calc",
        args: { n: 1n },
        opts: {},
        kind: "FAILURE",
        toAgent: calc,
        timeout: 5000,
      },
      {
        what: "frame over maxFrameBytes",
        target: "calc",
        args: "x".repeat(32 * 1024),
        opts: {},
        kind: "FAILURE",
        toAgent: calc,
        timeout: 5000,
      },
    ];
    for (const c of cases) {
      const began = wall;
      const { promise, sentNow } = start(c.target, c.args, c.opts);
      const o = await promise;
      expect(o.kind, c.what).to.equal(c.kind);
      const { sent, settled } = conversation("rq-clocked", o.conversationId);
      expect(sent, c.what).to.have.length(1);
      expect(settled, c.what).to.have.length(1);
      expect(sentNow, `${c.what}: emitted by request() itself`).to.equal(sent[0]);
      expect(sent[0].seq, `${c.what}: sent before settled`).to.be.below(settled[0].seq);
      expect(sent[0], c.what).to.include({
        conversationId: o.conversationId,
        fromAgent: me.agentId,
        target: c.target,
        method: "add",
        time: began,
        node: "rq-clocked",
      });
      expect(sent[0].toAgent, c.what).to.equal(c.toAgent);
      expect(sent[0].deadline, c.what).to.equal(c.timeout === undefined ? undefined : began + c.timeout);
      expect(
        "deadline" in JSON.parse(JSON.stringify(sent[0])),
        `${c.what}: deadline on the wire only when there is one`,
      ).to.equal(c.timeout !== undefined);
    }
  });

  test("every request settles exactly once, also when its target is withdrawn mid-flight (I8)", async () => {
    const flaky = provider
      .agent({ name: "flaky" })
      .onRequest((_m, n) => new Promise((r) => setTimeout(() => r(n), (n as number) % 7)));
    await waitFor(() => seen(requester).includes("flaky"), "flaky visible");
    const me = requester.agent({ name: "" });
    const outcomes = Array.from({ length: 300 }, (_, i) => me.request("flaky", "n", i));
    setTimeout(() => flaky.withdraw(), 3);
    const settled = await Promise.all(outcomes);
    const kinds = new Set(settled.map((o) => o.kind));
    expect(
      [...kinds].every((k) => k === "RESPONSE" || k === "SERVICE_WITHDRAWN" || k === "SERVICE_UNAVAILABLE"),
    ).to.equal(true);
    const ids = settled.map((o) => o.conversationId);
    const events = requestEvents("rq-requester").filter((e) => ids.includes(e.conversationId));
    expect(events).to.have.length(300);
    expect(new Set(events.map((e) => e.conversationId)).size).to.equal(300);
    const sent = fleet.events
      .get("rq-requester")!
      .filter((e): e is RequestSentEvent => e.type === "request-sent" && ids.includes(e.conversationId));
    expect(sent, "one request-sent per conversation").to.have.length(300);
    expect(new Set(sent.map((e) => e.conversationId)).size).to.equal(300);
    expect(requester.dump().pending).to.deep.equal([]);
  });
});
