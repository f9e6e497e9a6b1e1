import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";

const root = path.join(__dirname, "..", "..");
const exlab = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), ...args], { cwd: root, encoding: "utf8" });

describe("exlab", () => {
  test("with no command prints its help, every command listed, and exits 0", () => {
    const r = exlab();
    expect(r.status, r.stderr).to.equal(0);
    for (const command of ["run", "up", "validate", "proxy", "clean", "doctor"]) {
      expect(r.stdout).to.match(new RegExp(`^  ${command} `, "m"));
    }
  });

  test("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    const r = exlab("--version");
    expect(r.status).to.equal(0);
    expect(r.stdout.trim()).to.equal(version);
  });

  test("doctor says, per driver, what this machine has and what to run for what is missing", () => {
    const r = spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), "doctor", "--json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock", TOXIPROXY_URL: "" },
    });
    const checks = JSON.parse(r.stdout) as { driver: string; what: string; ok: boolean; detail: string }[];
    const byWhat = new Map(checks.map((c) => [c.what, c]));
    expect(byWhat.get("Node.js")?.ok).to.equal(true);
    expect(byWhat.get("loopback addresses")?.driver).to.equal("processes");
    expect(byWhat.get("free loopback subnets")?.detail).to.match(/^\d+ of 231 free/);
    const engine = byWhat.get("Docker engine");
    expect(engine?.ok).to.equal(false);
    expect(engine?.detail).to.contain("/nonexistent/docker.sock");
    expect(engine?.detail).to.contain("DOCKER_HOST");
    expect(r.status, "a missing engine does not fail the default driver").to.equal(0);
  });
});
