import { after, describe, test } from "node:test";
import { expect } from "chai";
import type { BindingEvent, LinkEvent } from "./events";
import { Fleet, RawPeer, seen, TcpRelay, waitFor } from "./exchange-test-utils";
import type { ExchangeNode } from "./node";

const fleet = new Fleet();
after(() => fleet.closeAll());

const closes = (name: string, reason: string): LinkEvent[] =>
  fleet.linkEvents(name).filter((e) => e.state === "CLOSED" && e.reason === reason);

describe("failures (S-13..S-15, S-22, I3, I17, I20)", () => {
  test("killing a server withdraws exactly its own and its clients' services elsewhere; the rest never flaps and keeps talking", async () => {
    const servers = await Promise.all([0, 1, 2].map((i) => fleet.server(`k-s${i}`)));
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) servers[i].ex.connect("127.0.0.1", servers[j].port);
    const clients: ExchangeNode[][] = servers.map((s, i) =>
      [0, 1].map((k) => {
        const c = fleet.node(`k-c${i}${k}`);
        c.exchange({ role: "client" }).connect("127.0.0.1", s.port);
        c.agent({ name: `svc${i}${k}` }).onRequest((m, args) => ({ m, args }));
        return c;
      }),
    );
    servers.forEach((s, i) => s.node.agent({ name: `local${i}` }));
    const everyone = [...servers.map((s) => s.node), ...clients.flat()];
    const all = ["local0", "local1", "local2", "svc00", "svc01", "svc10", "svc11", "svc20", "svc21"];
    await waitFor(() => everyone.every((p) => all.every((n) => seen(p).includes(n))), "full convergence");
    const mark = new Map(everyone.map((p) => [p.name, fleet.events.get(p.name)!.length]));

    servers[1].node.destroy();
    const survivors = [servers[0].node, servers[2].node, ...clients[0], ...clients[2]];
    const gone = ["local1", "svc10", "svc11"];
    await waitFor(
      () => survivors.every((p) => gone.every((n) => !seen(p).includes(n))),
      "the dead server's services withdrawn",
    );
    for (const p of survivors) {
      expect(seen(p)).to.deep.equal(all.filter((n) => !gone.includes(n)));
      const withdrawn = fleet.events
        .get(p.name)!
        .slice(mark.get(p.name))
        .filter((e): e is BindingEvent => e.type === "binding" && e.change === "WITHDRAW");
      expect(withdrawn.map((e) => e.serviceName).sort(), `${p.name} withdrew only what was behind k-s1`).to.deep.equal(
        gone,
      );
      expect(withdrawn.every((e) => e.reason === "LINK_LOST")).to.equal(true);
    }
    const caller = clients[0][0].agent({ name: "" });
    expect(await caller.call("svc21", "ping", 1)).to.deep.equal({ m: "ping", args: 1 });
  });

  test("a blackholed link (no FIN, no RST) is closed by the idle timeout on both sides and its services withdrawn", async () => {
    const s = await fleet.server("bh-server");
    const relay = new TcpRelay(s.port);
    after(() => relay.close());
    const c = fleet.node("bh-client");
    c.exchange({ role: "client" }).connect("127.0.0.1", await relay.start(), { delayMs: 5000 });
    c.agent({ name: "behind-the-hole" });
    await waitFor(() => seen(s.node).includes("behind-the-hole"), "service visible");
    relay.blackhole();
    await waitFor(
      () => closes("bh-server", "IDLE_TIMEOUT").length === 1 && closes("bh-client", "IDLE_TIMEOUT").length === 1,
      "IDLE_TIMEOUT on both sides",
    );
    expect(seen(s.node)).to.not.include("behind-the-hole");
    expect(closes("bh-server", "IDLE_TIMEOUT")[0].detail).to.match(/nothing received/);
  });

  test("withdrawOnClose (a broken build's hook) keeps what an IDLE_TIMEOUT link taught, and only that", async () => {
    const keep = { withdrawOnClose: (reason: string) => reason !== "IDLE_TIMEOUT" };
    const s = await fleet.server("keep-server", "", keep);
    const relays = [new TcpRelay(s.port), new TcpRelay(s.port)];
    after(() => Promise.all(relays.map((r) => r.close())));
    await Promise.all(
      ["silent", "reset"].map(async (name, i) => {
        const c = fleet.node(`keep-${name}`);
        c.exchange({ role: "client" }).connect("127.0.0.1", await relays[i].start(), { delayMs: 5000 });
        c.agent({ name: `behind-${name}` });
      }),
    );
    await waitFor(() => seen(s.node).includes("behind-silent") && seen(s.node).includes("behind-reset"), "visible");
    relays[0].blackhole();
    relays[1].cut();
    await waitFor(() => closes("keep-server", "IDLE_TIMEOUT").length === 1, "IDLE_TIMEOUT on the blackholed link");
    expect(closes("keep-server", "PEER_CLOSED")).to.have.length(1);
    expect(seen(s.node), "kept after the idle timeout, withdrawn after the reset").to.deep.equal(["behind-silent"]);
  });

  test("an idle link kept alive by PING/PONG is never closed by the idle timer", async () => {
    const s = await fleet.server("hb-server");
    const c = fleet.node("hb-client");
    c.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    await waitFor(() => fleet.linkEvents("hb-client").some((e) => e.state === "SYNCED"), "linked");
    const idleMs = c.timing.heartbeatMs * c.timing.missedBeats;
    await new Promise((r) => setTimeout(r, 3 * idleMs));
    expect(fleet.linkEvents("hb-client").filter((e) => e.state === "CLOSED")).to.deep.equal([]);
    expect(fleet.linkEvents("hb-server").filter((e) => e.state === "CLOSED")).to.deep.equal([]);
  });

  test("a peer that stops reading is cut with SLOW_CONSUMER; the server keeps serving others", async () => {
    const s = await fleet.server("sc-server", "", {
      timing: { highWaterBytes: 64 * 1024, writeStallMs: 150, maxFrameBytes: 4 << 20 },
    });
    const publisher = s.node.agent({ name: "firehose" });
    const slow = await new RawPeer().connect(s.port);
    after(() => slow.destroy());
    await slow.handshake("slowpoke");
    const me = "slowpoke/0123456789abcdef/1";
    slow.send({
      type: "AVAIL",
      b: {
        agentId: me,
        serviceName: "sink",
        audience: "*",
        groups: [],
        origin: { nodeName: "slowpoke", incarnation: "0123456789abcdef" },
        version: 0,
      },
    });
    slow.send({ type: "SUB", from: me, to: publisher.agentId, pattern: "*", path: [] });
    await waitFor(() => slow.find("SUB_OK"), "SUB_OK");
    slow.socket.pause();
    const chunk = "x".repeat(256 * 1024);
    const pump = setInterval(() => {
      for (let i = 0; i < 8 && !publisher.withdrawn; i++) publisher.publishReport("bulk", chunk);
    }, 20);
    try {
      await waitFor(() => closes("sc-server", "SLOW_CONSUMER").length === 1, "SLOW_CONSUMER", 15000);
    } finally {
      clearInterval(pump);
    }
    expect(seen(s.node)).to.not.include("sink");
    const c = fleet.node("sc-client");
    c.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    await waitFor(() => seen(c).includes("firehose"), "another client still served");
  });
});
