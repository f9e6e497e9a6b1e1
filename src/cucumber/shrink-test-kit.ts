import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { expect } from "chai";

// The proof, as a user runs it: an exchange whose bug only a silent fault shows (bindings learned over a
// link kept when it dies by idle timeout) fails a bundled random feature with a fixed seed; `exlab shrink` reduces
// its schedule to at most two faults; the feature it writes fails on that build and passes on the real exchange.
const root = path.join(__dirname, "..", "..");
const bundled = path.join(root, "features", "random-faults.feature");
export const BROKEN = { EXLAB_BROKEN_EXCHANGE: "keep-bindings-on-idle-timeout" };
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function exlab(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  const r = spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), ...args], {
    cwd,
    env: { ...process.env, EXLAB_KEEP_LOGS: "", EXLAB_BROKEN_EXCHANGE: "", ...env },
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "exlab-shrink-"));
  dirs.push(d);
  return d;
}

/**
 * The proof on one driver: returns the failing run's report folder, for more tests on it. Tests are declared in the
 * caller's describe().
 */
export function shrinkProof(driver: string): { report: string } {
  const report = tempDir();
  const on = ["--driver", driver];
  const failing = exlab(["run", bundled, "--name", "seed 1\\)", "--report", report, ...on], BROKEN);

  test(`${driver}: a bundled random feature with a fixed seed fails on the broken exchange`, () => {
    expect(failing.status, failing.output).to.equal(1);
    expect(failing.output).to.match(/I3 No ghost bindings: FAILED/);
    expect(readFileSync(path.join(report, "junit.xml"), "utf8")).to.contain('<property name="seed" value="1"/>');
  });

  const minimal = path.join(tempDir(), "minimal.feature");
  const shrunk = exlab(["shrink", report, "--out", minimal, "--budget", "8m", ...on], BROKEN);

  test(`${driver}: shrinks its schedule to at most two faults, showing its progress`, () => {
    expect(shrunk.status, shrunk.output).to.equal(0);
    expect(shrunk.output).to.match(/shrink: run 1 · (\d+) of \1 fault\(s\) · fails the same way/);
    const m = /shrink: (\d+) → (\d+) fault\(s\) in (\d+) run\(s\)/.exec(shrunk.output);
    expect(m, shrunk.output).to.not.equal(null);
    expect(Number(m![2])).to.be.at.most(2).and.at.least(1);
    expect(Number(m![1])).to.be.greaterThan(Number(m![2]));
    expect(shrunk.output).to.contain(`written ${minimal}`);
    const text = readFileSync(minimal, "utf8");
    expect(text).to.match(new RegExp(`shrunk to ${m![2]} of ${m![1]} fault\\(s\\)`));
    expect(text).not.to.match(/^\s*(When|And) random faults strike/m);
  });

  test(`${driver}: the written feature fails on the broken exchange, the same way`, () => {
    const r = exlab(["run", minimal, "--report", tempDir(), ...on], BROKEN);
    expect(r.status, r.output).to.equal(1);
    expect(r.output).to.match(/I3 No ghost bindings: FAILED/);
  });

  test(`${driver}: and passes on the real exchange`, () => {
    const r = exlab(["run", minimal, "--report", tempDir(), ...on]);
    expect(r.status, r.output).to.equal(0);
  });
  return { report };
}
