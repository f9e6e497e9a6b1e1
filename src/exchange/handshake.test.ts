import { after, describe, test } from "node:test";
import { expect } from "chai";
import { ExchangeError } from "./errors";
import type { LinkEvent } from "./events";
import { activeLinksTo, Fleet, RawPeer, seen, TcpRelay, waitFor } from "./exchange-test-utils";
import type { ExchangeNode } from "./node";

const fleet = new Fleet();
after(() => fleet.closeAll());

const closedWith = (events: LinkEvent[], reason: string) =>
  events.filter((e) => e.state === "CLOSED" && e.reason === reason);

/** Fails if a node ever holds two ACTIVE links to the same peer (I4). */
function watchUniqueLinks(node: ExchangeNode): () => string[] {
  const active = new Map<string, Set<string>>();
  const violations: string[] = [];
  node.on("link", (e) => {
    const peer = e.peer?.nodeName ?? "?";
    const set = active.get(peer) ?? new Set<string>();
    active.set(peer, set);
    if (e.state === "ACTIVE") set.add(e.linkId);
    if (e.state === "CLOSED") set.delete(e.linkId);
    if (set.size > 1) violations.push(`${node.name}: ${[...set].join(",")} to ${peer}`);
  });
  return () => violations;
}

describe("handshake and refusals (S-9)", () => {
  test("a group-mismatched client is refused with GROUP_MISMATCH on both sides, keeps retrying and learns nothing", async () => {
    const s = await fleet.server("gm-server", "billing");
    s.node.agent({ name: "ledger" });
    const c = fleet.node("gm-client");
    c.exchange({ role: "client", group: "admin" }).connect("127.0.0.1", s.port, { delayMs: 50 });
    c.agent({ name: "console" });
    await waitFor(
      () => closedWith(fleet.linkEvents("gm-client"), "GROUP_MISMATCH").length >= 3,
      "three refused attempts",
    );
    const clientSide = closedWith(fleet.linkEvents("gm-client"), "GROUP_MISMATCH");
    const serverSide = closedWith(fleet.linkEvents("gm-server"), "GROUP_MISMATCH");
    expect(clientSide[0].rejectSent).to.equal(false);
    expect(clientSide[0].peer?.nodeName).to.equal("gm-server");
    expect(serverSide.length).to.be.greaterThan(0);
    expect(serverSide[0].rejectSent).to.equal(true);
    expect(serverSide[0].detail).to.match(/admin/);
    expect(fleet.linkEvents("gm-client").some((e) => e.state === "ACTIVE")).to.equal(false);
    expect(seen(c)).to.deep.equal(["console"]);
    expect(seen(s.node)).to.deep.equal(["ledger"]);
  });

  test("a process dialling itself is refused with SELF", async () => {
    const s = await fleet.server("self");
    s.ex.connect("127.0.0.1", s.port, { delayMs: -1 });
    await waitFor(() => closedWith(fleet.linkEvents("self"), "SELF").length === 2, "SELF on both ends");
    expect(fleet.linkEvents("self").some((e) => e.state === "ACTIVE")).to.equal(false);
  });

  test("a client exchange refuses connections with ROLE", async () => {
    const c1 = fleet.node("role-a");
    const port = await c1.exchange({ role: "client" }).listen(0);
    const c2 = fleet.node("role-b");
    c2.exchange({ role: "client" }).connect("127.0.0.1", port, { delayMs: -1 });
    await waitFor(() => closedWith(fleet.linkEvents("role-b"), "ROLE").length === 1, "ROLE at the dialler");
  });

  test("a second live process with the same name is refused with NAME_CONFLICT", async () => {
    const s = await fleet.server("nc-server");
    const first = fleet.node("twin");
    first.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    await waitFor(() => activeLinksTo(s.node, "twin") === 1, "first twin linked");
    const second = fleet.node("twin");
    const refused: LinkEvent[] = [];
    second.on("link", (e) => e.state === "CLOSED" && refused.push(e));
    second.exchange({ role: "client" }).connect("127.0.0.1", s.port, { delayMs: -1 });
    await waitFor(() => refused.length === 1, "second twin refused");
    expect(refused[0].reason).to.equal("NAME_CONFLICT");
    expect(activeLinksTo(s.node, "twin")).to.equal(1);
  });

  test("a restarted peer replaces its half-open old link (PEER_RESTARTED)", async () => {
    const s = await fleet.server("pr-server", "", { timing: { heartbeatMs: 5000, probeTimeoutMs: 150 } });
    const relay = new TcpRelay(s.port);
    after(() => relay.close());
    const old = fleet.node("phoenix", { timing: { heartbeatMs: 5000 } });
    old.exchange({ role: "client" }).connect("127.0.0.1", await relay.start());
    old.agent({ name: "old-service" });
    await waitFor(() => seen(s.node).includes("old-service"), "old incarnation's service");
    relay.blackhole();
    old.destroy();
    const reborn = fleet.node("phoenix");
    reborn.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    reborn.agent({ name: "new-service" });
    await waitFor(() => seen(s.node).includes("new-service"), "new incarnation's service");
    expect(seen(s.node)).to.not.include("old-service");
    expect(closedWith(fleet.linkEvents("pr-server"), "PEER_RESTARTED")).to.have.length(1);
    expect(activeLinksTo(s.node, "phoenix")).to.equal(1);
  });

  test("one exchange per group per process (S-6)", () => {
    const n = fleet.node("two-exchanges");
    n.exchange({ role: "server", group: "g" });
    expect(() => n.exchange({ role: "client", group: "g" }))
      .to.throw(ExchangeError)
      .with.property("code", "DUPLICATE_EXCHANGE");
    expect(() => n.exchange({ role: "client", group: "h" })).to.not.throw();
  });
});

describe("duplicate links (S-10, S-11)", () => {
  test("100 rounds of two servers dialling each other at once leave exactly one shared link", async () => {
    const violations: (() => string[])[] = [];
    const round = async (i: number): Promise<void> => {
      const a = await fleet.server(`m${i}-a`);
      const b = await fleet.server(`m${i}-b`);
      violations.push(watchUniqueLinks(a.node), watchUniqueLinks(b.node));
      const skew = i % 3 === 0 ? 0 : (i * 7) % 20;
      a.ex.connect("127.0.0.1", b.port, { delayMs: 50 });
      if (skew) await new Promise((r) => setTimeout(r, skew));
      b.ex.connect("127.0.0.1", a.port, { delayMs: 50 });
      await waitFor(
        () => activeLinksTo(a.node, b.node.name) === 1 && activeLinksTo(b.node, a.node.name) === 1,
        `pair ${i} linked`,
      );
      const la = a.node.dump().links.find((l) => l.state === "SYNCED" || l.state === "ACTIVE")!;
      const lb = b.node.dump().links.find((l) => l.state === "SYNCED" || l.state === "ACTIVE")!;
      expect(la.local).to.equal(lb.remote);
      expect(la.dialer).to.not.equal(lb.dialer);
      await Promise.all([a.node.close(), b.node.close()]);
    };
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(Array.from({ length: 10 }, (_, j) => round(batch * 10 + j)));
    expect(violations.flatMap((v) => v())).to.deep.equal([]);
    const simultaneous = [...fleet.events.keys()]
      .filter((n) => /^m\d+-/.test(n))
      .flatMap((n) => closedWith(fleet.linkEvents(n), "SIMULTANEOUS"));
    expect(simultaneous.length, "rounds where both HELLOs crossed").to.be.greaterThan(10);
  });

  test("the standing-by dialler takes over when the surviving link goes", async () => {
    const a = await fleet.server("sb-a");
    const b = await fleet.server("sb-b");
    const da = a.ex.connect("127.0.0.1", b.port, { delayMs: 50 });
    const db = b.ex.connect("127.0.0.1", a.port, { delayMs: 50 });
    await waitFor(
      () => activeLinksTo(a.node, "sb-b") === 1 && (da.state === "STANDBY" || db.state === "STANDBY"),
      "one link, one standby",
    );
    const [winner, loser] = da.state === "ACTIVE" ? [da, db] : [db, da];
    winner.stop();
    await waitFor(
      () => loser.state === "ACTIVE" && activeLinksTo(a.node, "sb-b") === 1 && activeLinksTo(b.node, "sb-a") === 1,
      "standby dialler linked",
    );
  });

  test("a client given two servers keeps one link and fails over (S-7)", async () => {
    const s1 = await fleet.server("fo-s1");
    const s2 = await fleet.server("fo-s2");
    s1.ex.connect("127.0.0.1", s2.port);
    s2.node.agent({ name: "svc2" });
    const c = fleet.node("fo-client");
    const ex = c.exchange({ role: "client" });
    ex.connect("127.0.0.1", s1.port, { delayMs: 50 });
    ex.connect("127.0.0.1", s2.port, { delayMs: 50 });
    await waitFor(() => seen(c).includes("svc2"), "client sees svc2");
    expect(ex.activeLinks()).to.have.length(1);
    const first = ex.activeLinks()[0].peer!.nodeName;
    await (first === "fo-s1" ? s1 : s2).node.close();
    await waitFor(
      () => ex.activeLinks().length === 1 && ex.activeLinks()[0].peer!.nodeName !== first,
      "failed over to the other server",
    );
  });
});

describe("handshake edge cases with a hand-driven peer", () => {
  test("VERSION, UNAUTHORIZED, DUPLICATE and HANDSHAKE_TIMEOUT", async () => {
    const s = await fleet.server("edge-server");
    const hello = (nodeName: string, extra: object = {}) => ({
      type: "HELLO",
      proto: "osex",
      versions: [2, 2],
      role: "client",
      group: "",
      nodeName,
      incarnation: "00000000000000aa",
      heartbeatMs: 60000,
      features: [],
      ...extra,
    });
    const future = await new RawPeer().connect(s.port);
    await waitFor(() => future.find("IDENT"), "IDENT");
    future.send(hello("future", { versions: [3, 4] }));
    expect((await waitFor(() => future.find("REJECT"), "REJECT")).h).to.include({
      reason: "VERSION",
      nodeName: "edge-server",
    });

    const old = await new RawPeer().connect(s.port);
    await waitFor(() => old.find("IDENT"), "IDENT");
    old.send(hello("old", { versions: [1, 1] }));
    expect((await waitFor(() => old.find("REJECT"), "REJECT")).h).to.include({ reason: "VERSION" });
    old.destroy();

    const picky = fleet.node("edge-picky");
    const pickyPort = await picky.exchange({ role: "server", authorise: (host) => host !== "127.0.0.1" }).listen(0);
    const outsider = await new RawPeer().connect(pickyPort);
    await waitFor(() => outsider.find("IDENT"), "IDENT");
    outsider.send(hello("outsider"));
    expect((await waitFor(() => outsider.find("REJECT"), "REJECT")).h).to.include({ reason: "UNAUTHORIZED" });

    const first = await new RawPeer().connect(s.port);
    after(() => first.destroy());
    await first.handshake("edge-dup", { incarnation: "00000000000000bb" });
    const second = await new RawPeer().connect(s.port);
    await waitFor(() => second.find("IDENT"), "IDENT");
    second.send(hello("edge-dup", { incarnation: "00000000000000bb" }));
    expect((await waitFor(() => second.find("REJECT"), "REJECT")).h).to.include({ reason: "DUPLICATE" });

    const silent = await new RawPeer().connect(s.port);
    await waitFor(() => silent.closed, "silent peer dropped", 3000);
    const timeouts = fleet
      .linkEvents("edge-server")
      .filter((e) => e.state === "CLOSED" && e.reason === "HANDSHAKE_TIMEOUT");
    expect(timeouts).to.have.length(1);
    for (const p of [future, outsider, second, silent]) p.destroy();
  });
});
