import { after, describe, test } from "node:test";
import { expect } from "chai";
import { Fleet, seen, waitFor } from "./exchange-test-utils";
import type { ExchangeNode } from "./node";
import type { RegistryNotice } from "./types";

const fleet = new Fleet();
after(() => fleet.closeAll());

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** n servers in a full mesh (each dials the later ones once), two clients per server. */
async function mesh(
  prefix: string,
  n: number,
): Promise<{ servers: ExchangeNode[]; clients: ExchangeNode[]; expected: string[] }> {
  const servers = await Promise.all(Array.from({ length: n }, (_, i) => fleet.server(`${prefix}s${i}`)));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) servers[i].ex.connect("127.0.0.1", servers[j].port);
  const clients: ExchangeNode[] = [];
  const expected: string[] = [];
  servers.forEach((s, i) => {
    s.node.agent({ name: `${prefix}local${i}` });
    s.node.agent({ name: `${prefix}private${i}`, audience: "" });
    expected.push(`${prefix}local${i}`);
    for (let k = 0; k < 2; k++) {
      const c = fleet.node(`${prefix}c${i}${k}`);
      c.exchange({ role: "client" }).connect("127.0.0.1", s.port);
      c.agent({ name: `${prefix}svc${i}${k}` });
      c.agent({ name: `${prefix}hidden${i}${k}`, audience: "" });
      c.agent({ name: `${prefix}other${i}${k}`, audience: "othergroup" });
      expected.push(`${prefix}svc${i}${k}`);
    }
    clients.push(...fleet.nodes.slice(-2));
  });
  return { servers: servers.map((s) => s.node), clients, expected };
}

function publicSeen(node: ExchangeNode): string[] {
  return seen(node).filter(
    (n) => !/(hidden|private|other)/.test(n) || node.registry.lookupByName(n).some((b) => b.location === "local"),
  );
}

describe("registry propagation in a server mesh (S-17..S-24)", () => {
  for (const n of [3, 5]) {
    test(`a ${n}-server full mesh converges: every process sees every "*" service, nothing else leaves its process`, async () => {
      const { servers, clients, expected } = await mesh(`m${n}`, n);
      const all = [...servers, ...clients];
      await waitFor(
        () => all.every((p) => expected.every((s) => seen(p).includes(s))),
        "every process sees every * service",
      );
      for (const p of all) {
        const remote = p.registry.all().filter((b) => b.location === "remote");
        expect(
          remote.every((b) => b.audience === "*"),
          `${p.name} holds only * bindings remotely`,
        ).to.equal(true);
        expect(new Set(p.registry.all().map((b) => b.agentId)).size).to.equal(p.registry.all().length);
        expect(p.dump().counters).to.deep.equal({
          dup_binding_paths: 0,
          orphan_replies: 0,
          late_replies: 0,
          topology_loops: 0,
        });
        expect(
          sameSet(
            publicSeen(p).filter((s) => expected.includes(s)),
            expected,
          ),
        ).to.equal(true);
      }
    });
  }

  test("services created, joined and withdrawn after link-up propagate (server-local too, fixing OSE Q2)", async () => {
    const { servers, clients } = await mesh("late", 3);
    await waitFor(() => clients.every((c) => seen(c).includes("latesvc00")), "initial convergence");
    const late = servers[1].agent({ name: "late-in-server" });
    const fromClient = clients[5].agent({ name: "late-in-client", groups: ["g1"] });
    await waitFor(
      () => clients.every((c) => seen(c).includes("late-in-server") && seen(c).includes("late-in-client")),
      "late services everywhere",
    );
    fromClient.joinGroup("g2");
    fromClient.leaveGroup("g1");
    await waitFor(
      () =>
        clients.every(
          (c) =>
            sameSet(
              c.registry.lookupGroup("g2").map((b) => b.serviceName),
              ["late-in-client"],
            ) && c.registry.lookupGroup("g1").length === 0,
        ),
      "group change everywhere",
    );
    expect(clients[0].registry.lookupByName("late-in-client")[0].version).to.equal(2);
    late.withdraw();
    fromClient.withdraw();
    await waitFor(
      () =>
        [...servers, ...clients].every(
          (c) => !seen(c).includes("late-in-server") && !seen(c).includes("late-in-client"),
        ),
      "withdrawn everywhere",
    );
  });

  test("binding events follow S-24 order and registry subscriptions replay then deliver deltas (S-25)", async () => {
    const s = await fleet.server("ord-s");
    const c = fleet.node("ord-c");
    c.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    const a = c.agent({ name: "ord", groups: ["x", "y"] });
    await waitFor(() => s.node.registry.lookupGroup("y").length === 1, "membership at server");
    const byName: RegistryNotice[] = [];
    const byGroup: RegistryNotice[] = [];
    s.node.registry.subscribeName("ord", (n) => byName.push(n));
    s.node.registry.subscribeGroup("x", (n) => byGroup.push(n));
    const watch = s.node.registry.subscribeAgent(a.agentId, () => undefined);
    expect(watch.status).to.equal("AVAILABLE");
    expect(byName.map((n) => `${n.change}:${n.serviceGroup ?? ""}:${n.replay}`)).to.deep.equal([
      "AVAIL::true",
      "JOIN:x:true",
      "JOIN:y:true",
    ]);
    expect(byGroup.map((n) => `${n.change}:${n.serviceGroup}`)).to.deep.equal(["JOIN:x"]);
    a.withdraw();
    await waitFor(() => byName.some((n) => n.change === "WITHDRAW"), "withdraw delivered");
    expect(byName.slice(3).map((n) => `${n.change}:${n.serviceGroup ?? ""}:${n.replay}`)).to.deep.equal([
      "LEAVE:x:false",
      "LEAVE:y:false",
      "WITHDRAW::false",
    ]);
    expect(byGroup.map((n) => `${n.change}:${n.serviceGroup}`)).to.deep.equal(["JOIN:x", "LEAVE:x"]);
    const events = fleet.events.get("ord-s")!.filter((e) => e.type === "binding" && e.agentId === a.agentId);
    expect(events.map((e) => (e.type === "binding" ? `${e.change}:${e.groups.join("+")}` : ""))).to.deep.equal([
      "AVAIL:",
      "JOIN:x",
      "JOIN:x+y",
      "LEAVE:y",
      "LEAVE:",
      "WITHDRAW:",
    ]);
  });

  test("S-26: resolve prefers a local binding, then the lowest agentId", async () => {
    const s = await fleet.server("res-s");
    const c = fleet.node("res-c");
    c.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    const r1 = c.agent({ name: "dup" });
    c.agent({ name: "dup" });
    await waitFor(() => s.node.registry.lookupByName("dup").length === 2, "both remote bindings");
    expect(s.node.resolve("dup")?.agentId).to.equal(r1.agentId);
    const mine = s.node.agent({ name: "dup" });
    expect(s.node.resolve("dup")?.agentId).to.equal(mine.agentId);
    const turns = [0, 1, 2, 3, 4, 5].map(() => s.node.resolve("dup", "round-robin")?.agentId);
    expect(new Set(turns.slice(0, 3)).size).to.equal(3);
    expect(turns.slice(3)).to.deep.equal(turns.slice(0, 3));
  });
});

describe("peer gossip (S-16)", () => {
  test("with gossip on, servers that only dial a seed end in a full mesh with one link per pair; off by default", async () => {
    const seed = fleet.node("gs-seed");
    const seedEx = seed.exchange({ role: "server", gossip: true });
    const seedPort = await seedEx.listen(0);
    const others = await Promise.all(
      ["gs-a", "gs-b", "gs-c"].map(async (name) => {
        const n = fleet.node(name);
        const ex = n.exchange({ role: "server", gossip: true });
        await ex.listen(0);
        ex.connect("127.0.0.1", seedPort);
        n.agent({ name: `${name}-svc` });
        return n;
      }),
    );
    const all = [seed, ...others];
    const names = all.map((n) => n.name);
    await waitFor(
      () =>
        all.every((n) =>
          names.every(
            (p) =>
              p === n.name ||
              n.dump().links.filter((l) => (l.state === "ACTIVE" || l.state === "SYNCED") && l.peer?.nodeName === p)
                .length === 1,
          ),
        ),
      "full mesh",
    );
    await waitFor(
      () => others.every((n) => ["gs-a-svc", "gs-b-svc", "gs-c-svc"].every((s) => seen(n).includes(s))),
      "services everywhere",
    );

    const plain = await fleet.server("ng-seed");
    const x = await fleet.server("ng-x");
    const y = await fleet.server("ng-y");
    x.ex.connect("127.0.0.1", plain.port);
    y.ex.connect("127.0.0.1", plain.port);
    x.node.agent({ name: "ng-x-svc" });
    await waitFor(() => seen(plain.node).includes("ng-x-svc"), "seed sees x");
    expect(y.node.dump().links.filter((l) => l.peer?.nodeName === "ng-x")).to.deep.equal([]);
    expect(seen(y.node)).to.not.include("ng-x-svc");
  });
});

describe("exchange groups, audience and bridging (S-17, S-27, S-28)", () => {
  test("audience X crosses only group-X links; a bridge re-exports across groups; audience '' stays home", async () => {
    const s0 = await fleet.server("br-s0", "");
    const sx = await fleet.server("br-sx", "x");
    const c0 = fleet.node("br-c0");
    c0.exchange({ role: "client" }).connect("127.0.0.1", s0.port);
    c0.agent({ name: "default-svc" });
    const cx = fleet.node("br-cx");
    cx.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
    cx.agent({ name: "x-only", audience: "x" });
    cx.agent({ name: "x-everywhere" });
    cx.agent({ name: "x-home", audience: "" });
    const bridge = fleet.node("br-bridge");
    bridge.exchange({ role: "client", group: "" }).connect("127.0.0.1", s0.port);
    bridge.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
    const cx2 = fleet.node("br-cx2");
    cx2.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
    await waitFor(
      () =>
        seen(c0).includes("x-everywhere") &&
        seen(cx2).includes("default-svc") &&
        seen(cx2).includes("x-only") &&
        seen(bridge).includes("x-only"),
      "bridged convergence",
    );
    bridge.agent({ name: "marker" });
    await waitFor(() => seen(c0).includes("marker"), "marker sent after x-only arrived reaches c0 (links are FIFO)");
    expect(seen(c0)).to.deep.equal(["default-svc", "marker", "x-everywhere"]);
    expect(seen(s0.node)).to.deep.equal(["default-svc", "marker", "x-everywhere"]);
    expect(seen(bridge)).to.deep.equal(["default-svc", "marker", "x-everywhere", "x-only"]);
    await waitFor(() => seen(cx2).includes("marker"), "marker at cx2");
    expect(seen(cx2)).to.deep.equal(["default-svc", "marker", "x-everywhere", "x-only"]);
    expect(bridge.registry.lookupByName("x-only")[0].via?.group).to.equal("x");
    expect(c0.registry.lookupByName("x-everywhere")[0].via?.peer).to.equal("br-s0");
    expect(cx2.registry.lookupByName("default-svc")[0].via?.group).to.equal("x");
  });

  test("the OSE manual's front end: a 'database' service is seen by the front end only; back ends see '*' services", async () => {
    const s = await fleet.server("fe-server");
    const webClient = fleet.node("fe-web");
    webClient.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    webClient.agent({ name: "web" });
    const frontend = fleet.node("fe-frontend");
    frontend.exchange({ role: "client", group: "" }).connect("127.0.0.1", s.port);
    const dbPort = await frontend.exchange({ role: "server", group: "database" }).listen(0);
    frontend.agent({ name: "frontend" });
    const store = fleet.node("fe-store");
    store.exchange({ role: "client", group: "database" }).connect("127.0.0.1", dbPort);
    store.agent({ name: "orders", audience: "database" });
    await waitFor(
      () => seen(frontend).includes("orders") && seen(store).includes("web"),
      "front end sees orders, store sees web",
    );
    expect(seen(store)).to.deep.equal(["frontend", "orders", "web"]);
    frontend.agent({ name: "marker" });
    await waitFor(
      () => seen(webClient).includes("marker"),
      "marker sent after orders arrived reaches web (links are FIFO)",
    );
    for (const other of [s.node, webClient]) expect(seen(other)).to.not.include("orders");
    expect(seen(webClient)).to.deep.equal(["frontend", "marker", "web"]);
  });

  test("two bridges between the same groups form a loop: TOPOLOGY_LOOP is reported and the first entry kept (S-28)", async () => {
    const s0 = await fleet.server("lp-s0", "");
    const sx = await fleet.server("lp-sx", "x");
    const bridges = ["lp-b1", "lp-b2"].map((name) => {
      const b = fleet.node(name);
      b.exchange({ role: "client", group: "" }).connect("127.0.0.1", s0.port);
      b.exchange({ role: "client", group: "x" }).connect("127.0.0.1", sx.port);
      return b;
    });
    const origin = fleet.node("lp-origin");
    origin.exchange({ role: "client" }).connect("127.0.0.1", s0.port);
    origin.agent({ name: "looped" });
    await waitFor(() => bridges.some((b) => b.dump().counters.topology_loops > 0), "a loop reported");
    for (const b of [...bridges, sx.node]) {
      const held = b.registry.lookupByName("looped");
      expect(held.length, `${b.name} holds one entry`).to.be.at.most(1);
    }
    const loops = [...fleet.events.get("lp-b1")!, ...fleet.events.get("lp-b2")!].filter(
      (e) => e.type === "anomaly" && e.kind === "TOPOLOGY_LOOP",
    );
    expect(loops.length).to.be.greaterThan(0);
  });
});
