import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { CHECKOUT, InstalledKit, output } from "./installed-test-kit";

// The package as a user meets it: packed, installed from the tarball into a fresh project (npm's cache first, as
// a user's CI would), scaffolded with `npx exlab init`, then run with `npx exlab` and imported from node:test.
const fixtures = path.join(CHECKOUT, "src", "project", "fixtures");
const kit = new InstalledKit();
const { sh, runs, expectNothingLeft } = kit;

after(() => kit.remove());

/** A fresh project with the tarball installed, `exlab init` run in it, and the fixtures' features and steps. */
function project(name: string, pkg: Record<string, unknown>): string {
  const dir = kit.project(name, pkg);
  copyFileSync(path.join(fixtures, "inline.feature"), path.join(dir, "features", "inline.feature"));
  copyFileSync(path.join(fixtures, "typed.feature"), path.join(dir, "features", "typed.feature"));
  copyFileSync(path.join(fixtures, "typed.steps.ts"), path.join(dir, "step_definitions", "typed.steps.ts"));
  return dir;
}

describe("the installed package", { timeout: 900_000 }, () => {
  before(() => kit.pack());

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
