import { describe, test } from "node:test";
import { expect } from "chai";
import { loadTopologyText } from "./index";
import { brief, errorsOf, loadFixture, planOf } from "./test-support";

const load = (text: string) => loadTopologyText(text, "t.yaml");

describe("semantic errors", () => {
  test("names: invalid machine, process and group names, duplicate names, groups and services, all at once", async () => {
    const errors = errorsOf(await loadFixture("bad-names.yaml"));
    expect(brief(errors)).to.deep.equal([
      "2:3 error INVALID_NAME machines.Alpha",
      "7:9 error DUPLICATE_NAME machines.beta.servers[1]",
      "8:31 error INVALID_GROUP machines.beta.servers[2].group",
      "10:7 error INVALID_NAME machines.beta.processes.web_1",
      "11:7 error DUPLICATE_NAME machines.beta.processes.exchange",
      "13:45 error DUPLICATE_GROUP machines.beta.processes.shop.exchanges[1].group",
      "14:44 error DUPLICATE_SERVICE machines.beta.processes.shop.services[1].name",
    ]);
    expect(errors[1].message).to.equal(
      'machine "beta" already has a process named "exchange" (machines.beta.servers[0])',
    );
    expect(errors[1].hint).to.contain("give this one a `name:`");
    expect(errors[0].hint).to.contain("lowercase letters, digits and '-'");
  });

  test("connect targets: unknown machine, unknown process, and a process without a server endpoint of the group", async () => {
    const errors = errorsOf(await loadFixture("unknown-target.yaml"));
    expect(brief(errors)).to.deep.equal([
      "3:40 error UNKNOWN_MACHINE machines.alpha.servers[0].connect[0]",
      "3:47 error UNKNOWN_PROCESS machines.alpha.servers[0].connect[1]",
      "5:27 error UNKNOWN_MACHINE machines.alpha.processes.billing.connect",
      "6:23 error NO_SERVER_ENDPOINT machines.alpha.processes.web.connect",
    ]);
    expect(errors[0].message).to.equal('connect target "delta": there is no machine "delta"');
    expect(errors[0].hint).to.equal('machines: "alpha" and "beta"');
    expect(errors[1].hint).to.equal('processes on beta: "beta/exchange" and "beta/web"');
    expect(errors[2].hint).to.equal('did you mean "beta"? machines: "alpha" and "beta"');
    expect(errors[3].message).to.equal(
      'connect target "beta/web" has no server endpoint of the default group "" (it has: client of the default group "")',
    );
  });

  test("port clashes between servers and bridge listeners of one machine, and the control API's port", async () => {
    const errors = errorsOf(await loadFixture("port-clash.yaml"));
    expect(brief(errors)).to.deep.equal([
      "6:17 error PORT_CLASH machines.alpha.servers[1].port",
      "11:40 error PORT_CLASH machines.alpha.processes.frontend.exchanges[1].listen",
      "13:40 error RESERVED_PORT machines.beta.servers[1].port",
    ]);
    expect(errors[1].message).to.equal(
      'port 11111 is already used on machine "alpha" by alpha/exchange (machines.alpha.servers[0].port)',
    );
  });

  test("the same port on two machines is fine: each machine has its own address", () => {
    const r = planOf(
      load("mesh: full\nmachines:\n  a: { servers: [{ port: 11111 }] }\n  b: { servers: [{ port: 11111 }] }\n"),
    );
    expect(r.warnings).to.deep.equal([]);
  });

  test("a process whose group has no server on its machine, at the process name", async () => {
    const errors = errorsOf(await loadFixture("no-server.yaml"));
    expect(brief(errors)).to.deep.equal([
      "5:7 error NO_SERVER_TO_JOIN machines.alpha.processes.console",
      "8:7 error NO_SERVER_TO_JOIN machines.beta.processes.reporter",
    ]);
    expect(errors[0].hint).to.contain("add `{ port: <port>, group: admin }` to machines.alpha.servers");
    expect(errors[1].hint).to.contain('servers of the default group "": "alpha/exchange"');
  });

  test("a process with both exchanges and group is refused", () => {
    const errors = errorsOf(
      load(
        'machines:\n  a:\n    servers: [{ port: 1 }]\n    processes:\n      p: { group: "", exchanges: [{ group: "" }] }\n',
      ),
    );
    expect(brief(errors)).to.deep.equal(["5:12 error CONFLICTING_KEYS machines.a.processes.p.group"]);
  });

  test("a server that dials itself, a target with two servers of the group, and a malformed target", () => {
    const text = [
      "machines:",
      "  a:",
      "    servers: [{ port: 1 }, { port: 2, name: second, connect: a }]",
      "    processes:",
      "      p: {}",
      "      q: { connect: a/b/c }",
      "  b:",
      "    servers: [{ port: 1, connect: [b, b/exchange] }]",
    ].join("\n");
    const errors = errorsOf(load(text));
    expect(brief(errors)).to.deep.equal([
      "5:7 error AMBIGUOUS_TARGET machines.a.processes.p",
      "6:21 error BAD_TARGET machines.a.processes.q.connect",
      "8:36 error SELF_DIAL machines.b.servers[0].connect[0]",
      "8:39 error SELF_DIAL machines.b.servers[0].connect[1]",
    ]);
    expect(errors[0].hint).to.equal("name one of them, e.g. `connect: a/exchange`");
  });

  test("zero durations and bad audiences are refused", () => {
    const text =
      "timing: { heartbeat: 0ms }\nmachines:\n  a:\n    servers: [{ port: 1 }]\n    processes:\n      p: { services: [{ name: s, audience: 'Not A Group' }] }\n";
    const errors = errorsOf(load(text));
    expect(brief(errors)).to.deep.equal([
      "1:22 error BAD_TIMING timing.heartbeat",
      "6:44 error INVALID_GROUP machines.a.processes.p.services[0].audience",
    ]);
    expect(errors[0].message).to.equal("timing.heartbeat must be longer than 0, got 0ms");
  });
});

describe("warnings", () => {
  test("mutual dials, partial meshes, clients with two servers, group loops and unreachable audiences", async () => {
    const r = planOf(await loadFixture("warnings.yaml"));
    expect(brief(r.warnings)).to.deep.equal([
      "7:26 warning CLIENT_MULTIPLE_SERVERS machines.alpha.processes.shop.connect[1]",
      "8:44 warning AUDIENCE_UNREACHABLE machines.alpha.processes.shop.services[0].audience",
      "12:40 warning MUTUAL_DIAL machines.beta.servers[0].connect[0]",
      "14:7 warning GROUP_LOOP machines.beta.processes.front-b",
      "17:15 warning PARTIAL_MESH machines.gamma.servers[0]",
    ]);
    const by = (code: string) => r.warnings.find((w) => w.code === code)!;
    expect(by("MUTUAL_DIAL").message).to.contain("beta/exchange dials alpha/exchange, which already dials it back");
    expect(by("MUTUAL_DIAL").hint).to.contain("machines.alpha.servers[0].connect[0]");
    expect(by("PARTIAL_MESH").message).to.contain(
      '"alpha/exchange–gamma/exchange" and "beta/exchange–gamma/exchange" have no connection',
    );
    expect(by("PARTIAL_MESH").hint).to.contain("add `mesh: full`");
    expect(by("GROUP_LOOP").message).to.contain('already connected through "alpha/front-a"');
    expect(by("CLIENT_MULTIPLE_SERVERS").message).to.contain(
      'connects to 2 servers ("alpha/exchange" and "beta/exchange")',
    );
  });

  test("a repeated connect target is dropped with a warning", () => {
    const r = planOf(
      load("machines:\n  a:\n    servers: [{ port: 1 }]\n    processes:\n      p: { connect: [a, a/exchange] }\n"),
    );
    expect(brief(r.warnings)).to.deep.equal(["5:25 warning DUPLICATE_DIAL machines.a.processes.p.connect[1]"]);
    expect(r.plan.dials.filter((d) => d.from === "a/p")).to.have.length(1);
  });

  test("a loop through three groups is found; a hierarchy is not a loop", () => {
    const bridges = (third: string) =>
      [
        "machines:",
        "  m:",
        "    processes:",
        "      ab: { exchanges: [{ group: a, listen: 1 }, { group: b, listen: 2 }] }",
        "      bc: { exchanges: [{ group: b, connect: m/ab }, { group: c, listen: 3 }] }",
        `      ca: { exchanges: [{ group: c, connect: m/bc }, { group: ${third}, connect: m/ab }] }`,
      ].join("\n");
    const loop = planOf(load(bridges("a")));
    expect(brief(loop.warnings)).to.deep.equal(["6:7 warning GROUP_LOOP machines.m.processes.ca"]);
    expect(loop.warnings[0].message).to.contain('"m/ab" and "m/bc"');
    const tree = planOf(load(bridges("d").replace("{ group: d, connect: m/ab }", "{ group: d, listen: 4 }")));
    expect(tree.warnings).to.deep.equal([]);
  });

  test("two bridges into separate islands of one group are no loop until a mesh joins the islands", () => {
    const text = (mesh: string) =>
      [
        `mesh: ${mesh}`,
        "machines:",
        "  a:",
        "    servers: [{ port: 1 }]",
        "    processes:",
        "      front: { exchanges: [{ group: '' }, { group: db, listen: 2 }] }",
        "  b:",
        "    servers: [{ port: 1, connect: a }]",
        "    processes:",
        "      front: { exchanges: [{ group: '' }, { group: db, listen: 2 }] }",
      ].join("\n");
    expect(planOf(load(text("none"))).warnings.map((w) => w.code)).to.deep.equal(["PARTIAL_MESH"]);
    expect(planOf(load(text("full"))).warnings.map((w) => w.code)).to.deep.equal(["GROUP_LOOP"]);
  });

  test("the shipped topologies have no warnings", async () => {
    for (const name of ["three-machine-mesh", "frontend-bridge"]) {
      const { loadTopologyFile } = await import("./index");
      const { topologiesDir } = await import("./test-support");
      const r = planOf(await loadTopologyFile(`${topologiesDir}/${name}.yaml`));
      expect(r.warnings, name).to.deep.equal([]);
    }
  });
});
