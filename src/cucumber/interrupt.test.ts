import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { expect } from "chai";
import { pollUntil, ok, notYet } from "../common";

const root = path.join(__dirname, "..", "..");
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("Ctrl-C ends a run with its summary and report: the running scenario interrupted, the rest skipped", async () => {
  const report = mkdtempSync(path.join(tmpdir(), "exlab-interrupt-"));
  const state = mkdtempSync(path.join(tmpdir(), "exlab-interrupt-state-"));
  dirs.push(report, state);
  const feature = path.join(root, "src", "cucumber", "fixtures", "interrupted.feature");
  const child = spawn(process.execPath, [path.join(root, "bin", "exlab.js"), "run", feature, "--report", report], {
    cwd: root,
    env: { ...process.env, EXLAB_STATE_DIR: state, EXLAB_COUNTS_DIR: "" },
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await pollUntil(() => (out.includes("✓ Given the topology") ? ok(true) : notYet(out.slice(-300))), {
    describe: "the first scenario's lab running",
    deadlineMs: 60_000,
    intervalMs: 50,
  });
  const signalled = Date.now();
  child.kill("SIGINT");
  const code = await exited;
  expect(Date.now() - signalled, "the 60 s wait does not outlive Ctrl-C").to.be.below(20_000);
  expect(code, out).to.equal(130);
  expect(out).to.contain("2 scenarios (");
  expect(out).to.contain("interrupted by SIGINT");
  const junit = readFileSync(path.join(report, "junit.xml"), "utf8");
  expect(junit).to.contain("interrupted by SIGINT");
  expect(existsSync(path.join(report, "index.html"))).to.equal(true);
  expect(readFileSync(path.join(report, "index.html"), "utf8")).to.contain("interrupted by SIGINT");
  expect(existsSync(path.join(state, "runs")) ? readdirSync(path.join(state, "runs")) : []).to.deep.equal([]);
});
