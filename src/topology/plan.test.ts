import { describe, test } from "node:test";
import { expect } from "chai";
import { DEFAULT_TIMING, loadTopologyFile, loadTopologyText } from "./index";
import type { PlanDial } from "./index";
import { planOf, topologiesDir } from "./test-support";

const short = (d: PlanDial) =>
  `${d.from} -> ${d.to} [${d.group}] :${d.port}${d.crossMachine ? ` via ${d.proxy}` : ""}${d.fromMesh ? " (mesh)" : ""}`;

describe("the plan of the DESIGN §3 example", async () => {
  const { plan, topology } = planOf(await loadTopologyFile(`${topologiesDir}/three-machine-mesh.yaml`));

  test("machines in declaration order, each listing its servers first", () => {
    expect(plan.machines).to.deep.equal([
      { name: "alpha", index: 1, processes: ["alpha/exchange", "alpha/billing"] },
      { name: "beta", index: 2, processes: ["beta/exchange", "beta/exchange-admin", "beta/web", "beta/console"] },
      { name: "gamma", index: 3, processes: ["gamma/exchange", "gamma/reporter"] },
    ]);
    expect(plan.processes.map((p) => `${p.address}:${p.kind}`)).to.deep.equal([
      "alpha/exchange:server",
      "alpha/billing:process",
      "beta/exchange:server",
      "beta/exchange-admin:server",
      "beta/web:process",
      "beta/console:process",
      "gamma/exchange:server",
      "gamma/reporter:process",
    ]);
  });

  test("defaults: server names and groups, client groups, audiences, timing", () => {
    const admin = plan.processes.find((p) => p.address === "beta/exchange-admin")!;
    expect(admin.endpoints.map((e) => [e.group, e.role, e.listen])).to.deep.equal([["admin", "server", 11112]]);
    const web = plan.processes.find((p) => p.address === "beta/web")!;
    expect(web.endpoints.map((e) => [e.group, e.role, e.listen])).to.deep.equal([["", "client", undefined]]);
    const billing = plan.processes.find((p) => p.address === "alpha/billing")!;
    expect(billing.services).to.deep.equal([
      { name: "billing", audience: "*", groups: [] },
      { name: "ledger", audience: "", groups: [] },
    ]);
    expect(plan.processes.find((p) => p.address === "beta/console")!.endpoints[0].group).to.equal("admin");
    expect(plan.timing).to.deep.equal({
      heartbeatMs: 200,
      missedBeats: 3,
      retryDelayMs: 500,
      handshakeTimeoutMs: 1000,
      requestTimeoutMs: 5000,
    });
    expect(topology.mesh).to.equal("full");
    expect(plan).to.include({ name: "three-machine-mesh", source: `${topologiesDir}/three-machine-mesh.yaml` });
  });

  test("dials: clients join their machine's server; the mesh adds only missing pairs, later machine dialling earlier", () => {
    expect(plan.dials.map(short)).to.deep.equal([
      "alpha/billing -> alpha/exchange [] :11111",
      "beta/exchange -> alpha/exchange [] :11111 via beta-to-alpha.exchange (mesh)",
      "beta/web -> beta/exchange [] :11111",
      "beta/console -> beta/exchange-admin [admin] :11112",
      "gamma/exchange -> alpha/exchange [] :11111 via gamma-to-alpha.exchange",
      "gamma/exchange -> beta/exchange [] :11111 via gamma-to-beta.exchange (mesh)",
      "gamma/reporter -> gamma/exchange [] :11111",
    ]);
    const gamma = plan.processes.find((p) => p.address === "gamma/exchange")!;
    expect(gamma.endpoints[0].dials.map((d) => d.to)).to.deep.equal(["alpha/exchange", "beta/exchange"]);
    expect(gamma.endpoints[0].dials[0]).to.equal(plan.dials[4]);
  });

  test("one proxy per cross-machine (source machine, target endpoint) pair", () => {
    expect(plan.proxies).to.deep.equal([
      {
        name: "beta-to-alpha.exchange",
        fromMachine: "beta",
        to: "alpha/exchange",
        toMachine: "alpha",
        group: "",
        port: 11111,
      },
      {
        name: "gamma-to-alpha.exchange",
        fromMachine: "gamma",
        to: "alpha/exchange",
        toMachine: "alpha",
        group: "",
        port: 11111,
      },
      {
        name: "gamma-to-beta.exchange",
        fromMachine: "gamma",
        to: "beta/exchange",
        toMachine: "beta",
        group: "",
        port: 11111,
      },
    ]);
    for (const p of plan.proxies) expect(p.name).to.match(/^[a-z0-9][a-z0-9._-]*$/);
  });
});

describe("mesh: full", () => {
  test("four servers get six dials, each from the later machine to the earlier, none mutual", () => {
    const text =
      "mesh: full\nmachines:\n" + ["a", "b", "c", "d"].map((m) => `  ${m}: { servers: [{ port: 5000 }] }\n`).join("");
    const { plan } = planOf(loadTopologyText(text, "four.yaml"));
    expect(plan.dials.map((d) => `${d.from}>${d.to}`)).to.deep.equal([
      "b/exchange>a/exchange",
      "c/exchange>a/exchange",
      "c/exchange>b/exchange",
      "d/exchange>a/exchange",
      "d/exchange>b/exchange",
      "d/exchange>c/exchange",
    ]);
    expect(plan.dials.every((d) => d.fromMesh && d.crossMachine)).to.equal(true);
    expect(plan.proxies).to.have.length(6);
  });

  test("an explicit dial in the other direction is kept and the mesh does not add the reverse one", () => {
    const text =
      "mesh: full\nmachines:\n  a: { servers: [{ port: 5000, connect: b }] }\n  b: { servers: [{ port: 5000 }] }\n";
    const r = planOf(loadTopologyText(text, "t.yaml"));
    expect(r.plan.dials.map(short)).to.deep.equal(["a/exchange -> b/exchange [] :5000 via a-to-b.exchange"]);
    expect(r.warnings).to.deep.equal([]);
  });

  test("meshes are per group, bridge listeners included", () => {
    const text = [
      "mesh: full",
      "machines:",
      "  a:",
      "    servers: [{ port: 1 }, { port: 2, group: admin }]",
      "  b:",
      "    servers: [{ port: 1 }]",
      "    processes:",
      "      bridge: { exchanges: [{ group: '' }, { group: admin, listen: 2 }] }",
    ].join("\n");
    const { plan } = planOf(loadTopologyText(text, "t.yaml"));
    expect(plan.dials.map(short)).to.deep.equal([
      "b/exchange -> a/exchange [] :1 via b-to-a.exchange (mesh)",
      "b/bridge -> b/exchange [] :1",
      "b/bridge -> a/exchange-admin [admin] :2 via b-to-a.exchange-admin (mesh)",
    ]);
  });

  test("without `mesh` and `timing`: no mesh dials, timing defaults, name from the file", () => {
    const r = loadTopologyText("machines:\n  a: { servers: [{ port: 1 }] }\n", "dir/lonely.yml");
    const { plan, topology } = planOf(r);
    expect(topology.mesh).to.equal("none");
    expect(plan.name).to.equal("lonely");
    expect(plan.timing).to.deep.equal(DEFAULT_TIMING);
    expect(plan.dials).to.deep.equal([]);
    expect(planOf(loadTopologyText("machines:\n  a: { servers: [{ port: 1 }] }\n")).plan.name).to.equal("topology");
  });
});

describe("bridges", async () => {
  const { plan } = planOf(await loadTopologyFile(`${topologiesDir}/frontend-bridge.yaml`));

  test("the front end is a client of the default group and the server of group database", () => {
    const frontend = plan.processes.find((p) => p.address === "beta/frontend")!;
    expect(frontend.kind).to.equal("process");
    expect(
      frontend.endpoints.map((e) => ({
        group: e.group,
        role: e.role,
        listen: e.listen,
        dials: e.dials.map((d) => d.to),
      })),
    ).to.deep.equal([
      { group: "", role: "client", listen: undefined, dials: ["beta/exchange"] },
      { group: "database", role: "server", listen: 12000, dials: [] },
    ]);
  });

  test("stores dial the front end's database endpoint: directly on its machine, through a proxy from another", () => {
    expect(plan.dials.filter((d) => d.group === "database").map(short)).to.deep.equal([
      "beta/store -> beta/frontend [database] :12000",
      "gamma/archive -> beta/frontend [database] :12000 via gamma-to-beta.frontend",
    ]);
    expect(plan.processes.find((p) => p.address === "beta/store")!.services).to.deep.equal([
      { name: "orders", audience: "database", groups: [] },
    ]);
  });

  test("a target that listens in several groups gets one proxy per group, named after the group", () => {
    const text = [
      "machines:",
      "  a:",
      "    processes:",
      "      hub: { exchanges: [{ group: '', listen: 1 }, { group: db, listen: 2 }] }",
      "  b:",
      "    processes:",
      "      x: { connect: a/hub }",
      "      y: { connect: a/hub }",
      "      z: { group: db, connect: a }",
    ].join("\n");
    const { plan } = planOf(loadTopologyText(text, "t.yaml"));
    expect(plan.proxies.map((p) => `${p.name} ${p.to} [${p.group}] :${p.port}`)).to.deep.equal([
      "b-to-a.hub.default a/hub [] :1",
      "b-to-a.hub.db a/hub [db] :2",
    ]);
    expect(plan.dials.map((d) => d.proxy)).to.deep.equal(["b-to-a.hub.default", "b-to-a.hub.default", "b-to-a.hub.db"]);
  });
});
