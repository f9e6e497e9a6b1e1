import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { expect } from "chai";

// The package as a user meets it: packed, installed from the tarball into a fresh project (npm's cache first, as
// a user's CI would), scaffolded with `npx exlab init`, then run with `npx exlab` and imported from node:test.
const root = path.join(__dirname, "..", "..");
const fixtures = path.join(root, "src", "project", "fixtures");
const scratch = mkdtempSync(path.join(tmpdir(), "exlab-installed-"));
const state = path.join(scratch, "state");
const runs = path.join(scratch, "runs");
let tarball = "";

after(() => rmSync(scratch, { recursive: true, force: true }));

function sh(cwd: string, command: string, args: string[], timeout = 240_000): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, EXLAB_STATE_DIR: state, EXLAB_RUNS_DIR: runs, CI: "true" };
  // Not a child of this test runner: a nested `node --test` reports as a user's would.
  delete env.NODE_TEST_CONTEXT;
  delete env.EXLAB_COUNTS_DIR;
  return spawnSync(command, args, { cwd, encoding: "utf8", timeout, env });
}
const output = (r: SpawnSyncReturns<string>) => `${r.stdout}${r.stderr}`;

/** A fresh project with the tarball installed and `exlab init` run in it. */
function project(name: string, pkg: Record<string, unknown>): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true, ...pkg }));
  const install = sh(dir, "npm", ["install", "-D", "--prefer-offline", "--no-audit", "--no-fund", tarball]);
  expect(install.status, output(install)).to.equal(0);
  const init = sh(dir, "npx", ["exlab", "init"]);
  expect(init.status, output(init)).to.equal(0);
  expect(init.stdout).to.contain("created  features/shop.feature");
  copyFileSync(path.join(fixtures, "inline.feature"), path.join(dir, "features", "inline.feature"));
  copyFileSync(path.join(fixtures, "typed.feature"), path.join(dir, "features", "typed.feature"));
  copyFileSync(path.join(fixtures, "typed.steps.ts"), path.join(dir, "step_definitions", "typed.steps.ts"));
  return dir;
}

/** Nothing of a run is left: no run record, no subnet lease. */
function expectNothingLeft(): void {
  for (const sub of ["runs", "subnets"]) {
    const dir = path.join(state, sub);
    expect(existsSync(dir) ? readdirSync(dir) : [], `${dir} is empty`).to.deep.equal([]);
  }
}

describe("the installed package", { timeout: 900_000 }, () => {
  before(() => {
    const pack = sh(root, "npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch]);
    expect(pack.status, output(pack)).to.equal(0);
    tarball = path.join(scratch, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
  });

  for (const kind of ["commonjs", "module"] as const) {
    test(`${kind} project: exlab init, then exlab run passes the scaffolded, inline and TypeScript-step features`, () => {
      const dir = project(`user-${kind}`, { type: kind });
      const step = readFileSync(path.join(dir, "step_definitions", "lab.steps.js"), "utf8");
      expect(step).to.contain(kind === "module" ? "import { Then }" : 'require("@cucumber/cucumber")');
      const run = sh(dir, "npx", ["exlab", "run"]);
      expect(run.status, output(run)).to.equal(0);
      expect(run.stdout).to.match(/exlab run \(processes\): 5 passed, 0 failed/);
      const latest = path.join(dir, "reports", "latest");
      expect(readFileSync(path.join(latest, "junit.xml"), "utf8")).to.contain('tests="5" failures="0"');
      expectNothingLeft();

      if (kind === "commonjs") {
        const shard = (i: number) => sh(dir, "npx", ["exlab", "run", "--shard", `${i}/2`, "--report", `reports/s${i}`]);
        for (const i of [1, 2]) expect(shard(i).status).to.equal(0);
        const merge = sh(dir, "npx", ["exlab", "merge-reports", "reports/s1", "reports/s2", "--out", "reports/all"]);
        expect(merge.status, output(merge)).to.equal(0);
        const junit = readFileSync(path.join(dir, "reports", "all", "junit.xml"), "utf8");
        const names = [...junit.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]);
        expect(names).to.have.length(5);
        expect(new Set(names).size, "every scenario once").to.equal(5);

        copyFileSync(path.join(fixtures, "typo.feature"), path.join(dir, "features", "typo.feature"));
        rmSync(runs, { recursive: true, force: true });
        const dry = sh(dir, "npx", ["exlab", "run", "--dry-run"]);
        expect(dry.status, output(dry)).to.not.equal(0);
        expect(dry.stderr).to.contain(
          'features/typo.feature:4: undefined step "the link betwen "alpha" and "beta" is cut"',
        );
        expect(dry.stderr).to.contain("the link between {string} and {string} is cut");
        expect(existsSync(runs), "no machine was started (no run directory)").to.equal(false);
        expectNothingLeft();
      } else {
        mkdirSync(path.join(dir, "test"));
        copyFileSync(path.join(fixtures, "api.test.mjs"), path.join(dir, "test", "api.test.mjs"));
        const api = sh(dir, process.execPath, ["--test", "--test-reporter=tap", "test/api.test.mjs"]);
        expect(api.status, output(api)).to.equal(0);
        expect(api.stdout).to.match(/# pass 1/);
        expectNothingLeft();
      }
    });
  }
});
