// Helpers for the tests of the package as a user meets it (installed-*.test.ts): packed, installed from the tarball
// into a fresh project (npm's cache first, as a user's CI would), scaffolded with `npx exlab init`.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";

/** This checkout, seen from the compiled dist/project/. */
export const CHECKOUT = path.join(__dirname, "..", "..");

/** A scratch folder holding the tarball, the users' projects, and the lab's state and runs folders. */
export class InstalledKit {
  readonly scratch: string;
  readonly state: string;
  readonly runs: string;
  tarball = "";

  constructor(prefix = "exlab-installed-") {
    this.scratch = mkdtempSync(path.join(tmpdir(), prefix));
    this.state = path.join(this.scratch, "state");
    this.runs = path.join(this.scratch, "runs");
  }

  /** Runs `command` to its end in `cwd`, with the lab's state and runs in the scratch folder. */
  readonly sh = (cwd: string, command: string, args: string[], timeout = 240_000): SpawnSyncReturns<string> => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      EXLAB_STATE_DIR: this.state,
      EXLAB_RUNS_DIR: this.runs,
      CI: "true",
    };
    // Not a child of this test runner: a nested `node --test` reports as a user's would.
    delete env.NODE_TEST_CONTEXT;
    delete env.EXLAB_COUNTS_DIR;
    return spawnSync(command, args, { cwd, encoding: "utf8", timeout, env });
  };

  /** `npm pack` of this checkout (as built: no scripts run) into the scratch folder. */
  pack(): string {
    const pack = this.sh(CHECKOUT, "npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", this.scratch]);
    expect(pack.status, output(pack)).to.equal(0);
    this.tarball = path.join(this.scratch, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
    return this.tarball;
  }

  /** A fresh project `name` (package.json fields `pkg`) with the tarball installed and `exlab init` run in it. */
  project(name: string, pkg: Record<string, unknown> = {}): string {
    const dir = path.join(this.scratch, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true, ...pkg }));
    const install = this.sh(dir, "npm", ["install", "-D", "--prefer-offline", "--no-audit", "--no-fund", this.tarball]);
    expect(install.status, output(install)).to.equal(0);
    const init = this.sh(dir, "npx", ["exlab", "init"]);
    expect(init.status, output(init)).to.equal(0);
    expect(init.stdout).to.contain("created  features/shop.feature");
    return dir;
  }

  /** Nothing of a run is left in the lab's state: no run record, no subnet lease. */
  readonly expectNothingLeft = (): void => {
    for (const sub of ["runs", "subnets"]) {
      const dir = path.join(this.state, sub);
      expect(existsSync(dir) ? readdirSync(dir) : [], `${dir} is empty`).to.deep.equal([]);
    }
  };

  remove(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** A finished command's stdout then stderr, for assertion messages. */
export const output = (r: SpawnSyncReturns<string>): string => `${r.stdout}${r.stderr}`;
