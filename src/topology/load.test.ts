import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";
import {
  DIAGNOSTIC_CODES,
  TopologyError,
  allAddresses,
  expectedLinks,
  findProcess,
  formatDiagnostics,
  linksBetween,
  loadTopologyFile,
  loadTopologyOrThrow,
  loadTopologyText,
  loadTopologyTextOrThrow,
  resolveTopologyRef,
  serverOf,
} from "./index";
import type { Diagnostic } from "./index";
import { brief, fixture, fixturesDir, planOf, topologiesDir } from "./test-support";

describe("references, throwing loaders and the formatter", () => {
  test("resolveTopologyRef: a bare name is a file in the topologies folder; a path stays a path", () => {
    expect(resolveTopologyRef("three-machine-mesh", topologiesDir)).to.equal(
      path.join(topologiesDir, "three-machine-mesh.yaml"),
    );
    expect(resolveTopologyRef("missing", topologiesDir)).to.equal(path.join(topologiesDir, "missing.yaml"));
    expect(resolveTopologyRef("./x/y.yaml", topologiesDir)).to.equal("./x/y.yaml");
    expect(resolveTopologyRef("local.yml", topologiesDir)).to.equal("local.yml");
    expect(resolveTopologyRef("/abs/t", topologiesDir)).to.equal("/abs/t");
  });

  test("loadTopologyOrThrow loads by name and returns the plan with its warnings", async () => {
    const loaded = await loadTopologyOrThrow("frontend-bridge", { topologiesDir });
    expect(loaded.plan.name).to.equal("frontend-bridge");
    expect(loaded.warnings).to.deep.equal([]);
  });

  test("loadTopologyOrThrow throws a TopologyError carrying every diagnostic", async () => {
    let caught: unknown;
    try {
      await loadTopologyOrThrow(fixture("port-clash.yaml"));
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(TopologyError);
    const err = caught as TopologyError;
    expect(err.code).to.equal("TOPOLOGY_INVALID");
    expect(err.diagnostics.map((d) => d.code)).to.deep.equal(["PORT_CLASH", "PORT_CLASH", "RESERVED_PORT"]);
    expect(err.message)
      .to.contain("is invalid (3 errors)")
      .and.contain(`${fixture("port-clash.yaml")}:6:17  error`);
    expect(() => loadTopologyTextOrThrow("machines: 3\n", "inline")).to.throw(
      TopologyError,
      /inline:1:11 {2}error {2}machines {2}expected/,
    );
  });

  test("formatDiagnostics prints file:line:column  severity  path  message, then the hint", () => {
    const d: Diagnostic = {
      severity: "error",
      code: "PORT_CLASH",
      file: "t.yaml",
      line: 3,
      column: 7,
      path: "machines.a.servers[1].port",
      message: "port 1 is taken",
      hint: "pick another",
    };
    expect(formatDiagnostics([d, { ...d, severity: "warning", line: 0, column: 0, path: "" }])).to.equal(
      "t.yaml:3:7  error  machines.a.servers[1].port  port 1 is taken\n    hint: pick another\n" +
        "t.yaml  warning  (document)  port 1 is taken\n    hint: pick another",
    );
  });

  test("diagnostics never carry a stack trace, whatever the input", async () => {
    for (const name of [
      "bad-yaml",
      "unknown-keys",
      "wrong-types",
      "bad-names",
      "unknown-target",
      "no-server",
      "empty",
    ]) {
      const r = await loadTopologyFile(path.join(fixturesDir, `${name}.yaml`));
      expect(r.ok, name).to.equal(false);
      const text = formatDiagnostics(r.ok ? [] : r.errors);
      expect(text, name).to.not.match(/\n\s+at /);
      if (!r.ok) for (const e of r.errors) expect(e.hint, `${name} ${e.code}`).to.not.equal("");
    }
  });
});

describe("catalogue and documentation", () => {
  test("every diagnostic the fixtures produce is in DIAGNOSTIC_CODES with its severity", async () => {
    const seen = new Set<string>();
    for (const f of [...readdirSync(fixturesDir), "no-such-file.yaml", "."]) {
      const r = await loadTopologyFile(path.join(fixturesDir, f));
      for (const d of [...(r.ok ? [] : r.errors), ...r.warnings]) {
        expect(DIAGNOSTIC_CODES, d.code).to.have.property(d.code, d.severity);
        seen.add(d.code);
      }
    }
    const unreachable = ["SCHEMA"]; // the fallback for a schema keyword the translator does not know
    expect([...seen].sort()).to.deep.equal(
      Object.keys(DIAGNOSTIC_CODES)
        .filter((c) => !unreachable.includes(c))
        .sort(),
    );
  });

  test("the example in topologies/README.md is a valid topology", () => {
    const readme = readFileSync(path.join(topologiesDir, "README.md"), "utf8");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)![1];
    const r = planOf(loadTopologyText(yaml, "README.md"));
    expect(r.warnings).to.deep.equal([]);
    expect(r.plan.processes.map((p) => p.address)).to.include.members([
      "beta/exchange-admin",
      "beta/front",
      "beta/store",
    ]);
  });
});

test("more-errors.yaml: conflicting keys, self dials, ambiguous and malformed targets, zero timing, repeated targets", async () => {
  const r = await loadTopologyFile(fixture("more-errors.yaml"));
  expect(brief([...(r.ok ? [] : r.errors), ...r.warnings])).to.deep.equal([
    "1:22 error BAD_TIMING timing.heartbeat",
    "6:7 error AMBIGUOUS_TARGET machines.a.processes.p",
    "7:21 error BAD_TARGET machines.a.processes.q.connect",
    "8:12 error CONFLICTING_KEYS machines.a.processes.r.group",
    "11:35 error SELF_DIAL machines.b.servers[0].connect",
    "9:34 warning DUPLICATE_DIAL machines.a.processes.s.connect[1]",
  ]);
});

describe("plan queries", async () => {
  const { plan } = planOf(await loadTopologyFile(`${topologiesDir}/three-machine-mesh.yaml`));

  test("findProcess and serverOf", () => {
    expect(findProcess(plan, "beta/console")?.endpoints[0].group).to.equal("admin");
    expect(findProcess(plan, "beta/nope")).to.equal(undefined);
    expect(serverOf(plan, "beta")?.address).to.equal("beta/exchange");
    expect(serverOf(plan, "beta", "admin")?.address).to.equal("beta/exchange-admin");
    expect(serverOf(plan, "alpha", "admin")).to.equal(undefined);
  });

  test("serverOf falls back to a bridge that listens in the group", async () => {
    const bridge = planOf(await loadTopologyFile(`${topologiesDir}/frontend-bridge.yaml`)).plan;
    expect(serverOf(bridge, "beta", "database")?.address).to.equal("beta/frontend");
    expect(serverOf(bridge, "beta")?.address).to.equal("beta/exchange");
  });

  test("linksBetween returns the proxies of both directions", () => {
    expect(linksBetween(plan, "alpha", "gamma").map((p) => p.name)).to.deep.equal(["gamma-to-alpha.exchange"]);
    expect(linksBetween(plan, "gamma", "beta").map((p) => p.name)).to.deep.equal(["gamma-to-beta.exchange"]);
    expect(linksBetween(plan, "alpha", "alpha")).to.deep.equal([]);
  });

  test("expectedLinks: one per dialled pair, in plan order", () => {
    expect(expectedLinks(plan)).to.deep.equal([
      { a: "alpha/exchange", b: "alpha/billing", group: "" },
      { a: "alpha/exchange", b: "beta/exchange", group: "" },
      { a: "beta/exchange", b: "beta/web", group: "" },
      { a: "beta/exchange-admin", b: "beta/console", group: "admin" },
      { a: "alpha/exchange", b: "gamma/exchange", group: "" },
      { a: "beta/exchange", b: "gamma/exchange", group: "" },
      { a: "gamma/exchange", b: "gamma/reporter", group: "" },
    ]);
  });

  test("expectedLinks counts mutual dials once", async () => {
    const warned = planOf(await loadTopologyFile(fixture("warnings.yaml"))).plan;
    const servers = expectedLinks(warned).filter((l) => l.a === "alpha/exchange" && l.b === "beta/exchange");
    expect(warned.dials.filter((d) => d.from.endsWith("/exchange") && d.to.endsWith("/exchange"))).to.have.length(2);
    expect(servers).to.deep.equal([{ a: "alpha/exchange", b: "beta/exchange", group: "" }]);
  });

  test("allAddresses lists machines, then processes", () => {
    expect(allAddresses(plan)).to.deep.equal([
      "alpha",
      "beta",
      "gamma",
      "alpha/exchange",
      "alpha/billing",
      "beta/exchange",
      "beta/exchange-admin",
      "beta/web",
      "beta/console",
      "gamma/exchange",
      "gamma/reporter",
    ]);
  });
});
