import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";
import { repoRoot } from "./test-support";

const bin = path.join(repoRoot, "bin", "exlab.js");
const rel = (f: string) => path.join("src", "topology", "fixtures", f);

/** Runs the built `exlab` as a child process in the repository root. */
function exlab(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("exlab validate (child process)", () => {
  test("valid topologies by name and by path: ok lines, exit code 0", async () => {
    const r = await exlab("validate", "three-machine-mesh", "topologies/frontend-bridge.yaml");
    expect(r.stdout).to.equal(
      "topologies/three-machine-mesh.yaml: ok: 3 machines, 8 processes, 3 proxies\n" +
        "topologies/frontend-bridge.yaml: ok: 3 machines, 6 processes, 2 proxies\n",
    );
    expect(r.stderr).to.equal("");
    expect(r.code).to.equal(0);
  });

  test("an invalid file prints every error with file:line:column and hint, exit code 1", async () => {
    const r = await exlab("validate", rel("unknown-target.yaml"));
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).to.equal(
      `${rel("unknown-target.yaml")}:3:40  error  machines.alpha.servers[0].connect[0]  connect target "delta": there is no machine "delta"`,
    );
    expect(lines[1]).to.equal('    hint: machines: "alpha" and "beta"');
    expect(lines.filter((l) => l.includes("  error  "))).to.have.length(4);
    expect(lines[lines.length - 1]).to.equal(`${rel("unknown-target.yaml")}: 4 errors`);
    expect(r.code).to.equal(1);
  });

  test("warnings alone keep exit code 0, unless --strict", async () => {
    const r = await exlab("validate", rel("warnings.yaml"));
    expect(r.stdout).to.contain("  warning  machines.beta.servers[0].connect[0]  ");
    expect(r.stdout.trimEnd().split("\n").pop()).to.equal(
      `${rel("warnings.yaml")}: ok: 3 machines, 6 processes, 3 proxies (5 warnings)`,
    );
    expect(r.code).to.equal(0);
    expect((await exlab("validate", "--strict", rel("warnings.yaml"))).code).to.equal(1);
  });

  test("one bad file among good ones fails the run; a missing file is a clear error, not a stack trace", async () => {
    const r = await exlab("validate", "three-machine-mesh", "no-such-topology", rel("bad-yaml.yaml"));
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain("topologies/three-machine-mesh.yaml: ok:");
    expect(r.stdout).to.contain(
      "topologies/no-such-topology.yaml  error  (document)  no such topology file\n    hint: topologies in topologies: ",
    );
    expect(r.stdout).to.contain(`${rel("bad-yaml.yaml")}:5:5  error  machines.alpha.processes  YAML syntax error`);
    expect(r.stdout + r.stderr).to.not.match(/\n\s+at /);
  });

  test("--json prints machine-readable results", async () => {
    const r = await exlab("validate", "--json", "frontend-bridge", rel("port-clash.yaml"));
    const results = JSON.parse(r.stdout);
    expect(results.map((x: { ok: boolean }) => x.ok)).to.deep.equal([true, false]);
    expect(results[0]).to.include({ machines: 3, processes: 6, proxies: 2 });
    expect(results[1].errors[2]).to.include({
      code: "RESERVED_PORT",
      line: 13,
      column: 40,
      path: "machines.beta.servers[1].port",
    });
    expect(r.code).to.equal(1);
  });

  test("processes that run programs of their own are listed with their command lines", async () => {
    const r = await exlab("validate", rel("programs.yaml"));
    expect(r.stdout).to.equal(
      `${rel("programs.yaml")}: ok: 1 machine, 6 processes, 0 proxies\n` +
        "  shop/orders runs: node services/orders.js (cwd: services; env: ORDERS_STORE, SLOTS, VERBOSE; readyTimeout: 10s)\n" +
        "  shop/web runs: node 'web app.js' --title '$HOME *'\n" +
        "  shop/cli runs: node tools/cli.js --name 'a b' 'c d' '--color=#fff'\n",
    );
    expect(r.code).to.equal(0);
    const json = JSON.parse((await exlab("validate", "--json", rel("programs.yaml"))).stdout);
    expect(json[0].programs[0]).to.deep.equal({
      address: "shop/orders",
      argv: ["node", "services/orders.js"],
      cwd: "services",
      env: { ORDERS_STORE: "memory", SLOTS: "3", VERBOSE: "true" },
      readyTimeoutMs: 10000,
    });
    expect(json[0].programs.map((p: { address: string }) => p.address)).to.deep.equal([
      "shop/orders",
      "shop/web",
      "shop/cli",
    ]);
  });

  test("--schema prints the JSON Schema; no topology at all is a usage error", async () => {
    const schema = await exlab("validate", "--schema");
    expect(JSON.parse(schema.stdout).properties.machines.type).to.equal("object");
    expect(schema.code).to.equal(0);
    const none = await exlab("validate");
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain("name at least one topology");
  });
});
