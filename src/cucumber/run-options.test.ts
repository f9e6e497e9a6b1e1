import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { expect } from "chai";

// `exlab run`'s options in a project of its own (a temporary folder using this checkout's node_modules).
const root = path.join(__dirname, "..", "..");
const project = mkdtempSync(path.join(tmpdir(), "exlab-run-options-"));
after(() => rmSync(project, { recursive: true, force: true }));

const TOPOLOGY = `name: pair
timing: { heartbeat: 200ms, missedBeats: 3, retryDelay: 300ms, handshakeTimeout: 1s }
mesh: full
machines:
  left: { servers: [{ port: 11111 }], processes: { shop: { services: [{ name: shop }] } } }
  right: { servers: [{ port: 11111 }], processes: { buyer: {} } }
`;
const scenario = (name: string, then: string) =>
  `  Scenario: ${name}\n    Given the topology "pair" is running\n    Then ${then}\n`;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

function exlab(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), "run", ...args], {
    cwd: project,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, EXLAB_COUNTS_DIR: "" },
  });
  return { ...r, out: `${r.stdout}${r.stderr}` };
}

describe("exlab run's options", { timeout: 600_000 }, () => {
  write("package.json", JSON.stringify({ name: "options", private: true }));
  symlinkSync(path.join(root, "node_modules"), path.join(project, "node_modules"), "dir");
  write("topologies/pair.yaml", TOPOLOGY);
  const sees = 'within 5 seconds process "right/buyer" sees service "shop"';
  write(
    "features/a.feature",
    `Feature: A\n${scenario("first fails", 'within 1 second process "right/buyer" sees service "nothing"')}${scenario("second", sees)}`,
  );
  write("features/b.feature", `Feature: B\n${scenario("third", sees)}${scenario("fourth", sees)}`);

  test("--parallel 2 runs every scenario, one report for all; --format adds a formatter's file", () => {
    const r = exlab("--parallel", "2", "--report", "reports/par", "--format", "message:reports/par.ndjson");
    expect(r.status, r.out).to.equal(1);
    expect(r.stdout).to.match(/exlab run \(processes\): 3 passed, 1 failed/);
    const junit = readFileSync(path.join(project, "reports", "par", "junit.xml"), "utf8");
    expect(junit.match(/<testcase /g)).to.have.length(4);
    expect(readFileSync(path.join(project, "reports", "par.ndjson"), "utf8")).to.contain('"testRunFinished"');
  });

  test("--fail-fast skips what follows the first failure; --name picks scenarios", () => {
    const fast = exlab("--fail-fast", "features/a.feature", "--report", "reports/fast");
    expect(fast.stdout).to.match(/0 passed, 1 failed, 1 skipped/);
    const named = exlab("--name", "^third$", "--report", "reports/named");
    expect(named.status, named.out).to.equal(0);
    expect(named.stdout).to.match(/exlab run \(processes\): 1 passed, 0 failed/);
  });

  test("a step of the project that takes a bundled phrase is ambiguous: the run fails before anything starts", () => {
    write(
      "step_definitions/clash.steps.js",
      `const { When } = require("@cucumber/cucumber");\nWhen("the network heals", function () {});\n`,
    );
    write(
      "features/c.feature",
      'Feature: C\n  Scenario: clash\n    Given the topology "pair" is running\n    When the network heals\n',
    );
    try {
      const r = exlab("features/c.feature", "--report", "reports/clash");
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain('features/c.feature:4: ambiguous step "the network heals" matches 2 phrases');
      expect(r.stderr).to.contain("nothing was started");
      expect(existsSync(path.join(project, "reports", "clash"))).to.equal(false);
    } finally {
      rmSync(path.join(project, "step_definitions"), { recursive: true, force: true });
      rmSync(path.join(project, "features", "c.feature"));
    }
  });
});
