import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { expect } from "chai";

// The checkers run after every scenario: a deliberately broken exchange (audience ignored) must fail a scenario
// that never mentions the leaked service, and the same scenario must pass on the real exchange.
const root = path.join(__dirname, "..", "..");
const feature = path.join(root, "src", "cucumber", "fixtures", "broken-exchange.feature");
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runFeature(env: NodeJS.ProcessEnv, args: string[] = [feature]) {
  const report = mkdtempSync(path.join(tmpdir(), "exlab-broken-"));
  const runs = mkdtempSync(path.join(tmpdir(), "exlab-broken-runs-"));
  dirs.push(report, runs);
  const r = spawnSync(process.execPath, [path.join(root, "bin", "exlab.js"), "run", ...args, "--report", report], {
    cwd: root,
    env: { ...process.env, EXLAB_RUNS_DIR: runs, EXLAB_KEEP_LOGS: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return {
    runs,
    status: r.status,
    output: `${r.stdout}${r.stderr}`,
    junit: readFileSync(path.join(report, "junit.xml"), "utf8"),
    html: readFileSync(path.join(report, "index.html"), "utf8"),
  };
}

describe("checkers against a deliberately broken exchange", () => {
  test('an audience-"" leak fails a scenario that never asserted on the leaked service', () => {
    const run = runFeature({ EXLAB_BROKEN_EXCHANGE: "audience-leak" });
    expect(run.status, run.output).to.equal(1);
    expect(run.junit).to.match(/<failure[^>]*>[^<]*I1 Audience safety: FAILED/);
    expect(run.junit).to.contain("service &quot;ledger&quot;");
    expect(run.html).to.contain("I1");
    expect(run.html).to.contain("ledger");
    const kept = readdirSync(run.runs);
    expect(kept, "the failing scenario's logs stay").to.have.length(1);
    const logs = path.join(run.runs, kept[0]);
    expect(run.output).to.contain(`logs: ${logs}`);
    expect(run.html).to.contain(logs);
    expect(existsSync(path.join(logs, "alpha", "events.ndjson"))).to.equal(true);
  });

  test("an exchange that loses one report in a thousand fails a bundled workload feature, naming the lost numbers", () => {
    const bundled = [path.join(root, "features", "rules-under-load.feature"), "--name", "overlapping patterns"];
    const run = runFeature({ EXLAB_BROKEN_EXCHANGE: "drop-reports" }, bundled);
    expect(run.status, run.output).to.equal(1);
    expect(run.output).to.match(/reports from "billing" to gamma\/reporter: w1: lost #200 \(received \d+\)/);
    expect(run.junit).to.contain("lost #200");
  });

  test("the same scenario passes on the real exchange", () => {
    const run = runFeature({ EXLAB_BROKEN_EXCHANGE: "" });
    expect(run.status, run.output).to.equal(0);
    expect(run.junit).not.to.contain("<failure");
    expect(readdirSync(run.runs), "a passing scenario removes its logs").to.deep.equal([]);
  });
});

// A bug only a silent fault reveals: the broken exchange keeps what it learned over a link that died by idle timeout.
// A blackhole (no byte, no reset) closes the link that way on the side whose heartbeats run out first; the other
// side then sees the proxy close its connection (PEER_CLOSED) and withdraws normally, so which side keeps the
// ghosts varies. A cut resets both ends: even the broken exchange withdraws, and the scenario passes. I3's
// timing-free clause (nothing learned over a link outlives its CLOSED) reports the ghost however short the
// blackhole; its timed clause would judge only one held past T_fail = (3 + 1) × 200 ms + 1 s = 1.8 s.
describe("checkers against an exchange that keeps bindings after an idle timeout", () => {
  const ghost = path.join(root, "src", "cucumber", "fixtures", "idle-timeout-ghost.feature");
  const broken = { EXLAB_BROKEN_EXCHANGE: "keep-bindings-on-idle-timeout" };
  const kept =
    /(alpha|beta)\/exchange kept service &quot;(billing|web)&quot; \(agent [^)]+\) from (alpha\/billing|beta\/web), learned over link L\d+ from (alpha|beta)\/exchange \(seq \d+\), after recording link L\d+ CLOSED \(IDLE_TIMEOUT\) at [\d.]+ s \(seq \d+\): no WITHDRAW of it followed the close before link L\d+ [A-Z]+ at seq \d+/;

  function failsOnlyOnI3(run: ReturnType<typeof runFeature>) {
    expect(run.status, run.output).to.equal(1);
    expect(run.junit).to.match(/<failure[^>]*>[^<]*I3 No ghost bindings: FAILED/);
    const failed = new Set([...run.junit.matchAll(/^(\S+) [^\n:]*: FAILED/gm)].map((m) => m[1]));
    expect([...failed], "only I3 fails").to.deep.equal(["I3"]);
    expect(run.junit).to.match(kept);
  }

  test("a blackhole held past the detection time fails on I3, naming the binding kept over the dead link", () => {
    failsOnlyOnI3(runFeature(broken, [ghost, "--name", "A blackhole held"]));
  });

  test("a blackhole shorter than I3's timing bound fails too: the link's CLOSED is enough", () => {
    const run = runFeature(broken, [ghost, "--name", "A short blackhole"]);
    expect(run.junit).to.contain("A short blackhole");
    failsOnlyOnI3(run);
  });

  test("a cut held as long passes on the same broken exchange: a reset link's bindings are still withdrawn", () => {
    const run = runFeature(broken, [ghost, "--name", "A cut held"]);
    expect(run.status, run.output).to.equal(0);
    expect(run.junit).to.contain("A cut held");
    expect(run.junit).not.to.contain("<failure");
  });

  test("both blackhole scenarios pass on the real exchange", () => {
    const run = runFeature({ EXLAB_BROKEN_EXCHANGE: "" }, [ghost, "--name", "blackhole"]);
    expect(run.status, run.output).to.equal(0);
    expect(run.junit).to.contain("A blackhole held").and.contain("A short blackhole");
    expect(run.junit).not.to.contain("<failure");
  });
});
