import { after, describe, test } from "node:test";
import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { cleanAll, describeImageClean, removeRunLogs } from "./clean";
import { isAlive } from "../runs";
import { RunState } from "../runs";
import * as fake from "./fake-driver-test-kit";
import { registerDriver } from "./registry";

const stateDir = mkdtempSync(join(tmpdir(), "exlab-clean-"));
const runsDir = mkdtempSync(join(tmpdir(), "exlab-clean-runs-"));
after(() => {
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(runsDir, { recursive: true, force: true });
});

function sleeper(runId: string, runnerPid: number): number {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, EXLAB_RUN_ID: runId, EXLAB_RUNNER_PID: String(runnerPid) },
  });
  child.unref();
  return child.pid!;
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(pid);
}

describe("exlab clean", () => {
  test("kills the process groups of a run whose runner died and forgets the run; leaves live runs alone", async (t) => {
    const deadRunner = 2 ** 22 + 777;
    const dead = sleeper("cleantest-dead", deadRunner);
    const live = sleeper("cleantest-live", process.pid);
    t.after(() => {
      for (const pid of [dead, live]) if (isAlive(pid)) process.kill(-pid, "SIGKILL");
    });
    new RunState(stateDir, {
      runId: "cleantest-dead",
      runnerPid: deadRunner,
      startedAt: "",
      driver: "processes",
      topology: "t",
      resources: { group: { "alpha#1": dead } },
    }).save();
    new RunState(stateDir, {
      runId: "cleantest-live",
      runnerPid: process.pid,
      startedAt: "",
      driver: "processes",
      topology: "t",
      resources: { group: { "alpha#1": live } },
    }).save();
    const report = await cleanAll({ stateDir, runsDir, drivers: ["processes"] });
    expect(report.cleaned).to.deep.equal(["cleantest-dead"]);
    expect(report.groupsKilled).to.equal(1);
    expect(await gone(dead)).to.equal(true);
    expect(isAlive(live)).to.equal(true);
    expect(RunState.list(stateDir).map((r) => r.runId)).to.deep.equal(["cleantest-live"]);
  });

  test("a fault-proxy server that died with its run is said to be gone, not reported as a failed removal", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    new RunState(stateDir, {
      runId: "cleantest-proxygone",
      runnerPid: 2 ** 22 + 779,
      startedAt: "",
      driver: "processes",
      topology: "t",
      resources: { group: { faultproxy: 2 ** 22 + 780 } },
      proxyServer: { url: `http://127.0.0.1:${closed}`, prefix: "exlab-cleantest-proxygone-" },
    }).save();
    const report = await cleanAll({ stateDir, runsDir, drivers: ["processes"] });
    expect(report.problems).to.deep.equal([]);
    expect(report.cleaned).to.include("cleantest-proxygone");
    const lines = report.swept.flatMap((s) => s.lines);
    expect(lines).to.include(
      `run cleantest-proxygone: its fault-proxy server (http://127.0.0.1:${closed}) is gone with it, and its proxies`,
    );
  });

  test("a stray process of a run nobody recorded is killed once its runner is gone", async (t) => {
    const stray = sleeper("cleantest-stray", 2 ** 22 + 778);
    t.after(() => {
      if (isAlive(stray)) process.kill(-stray, "SIGKILL");
    });
    const report = await cleanAll({ stateDir, runsDir, drivers: ["processes"] });
    expect(report.orphansKilled).to.be.greaterThanOrEqual(1);
    expect(await gone(stray)).to.equal(true);
  });
});

test("removes the logs of runs that are over; keeps a live run's, a fresh one's (unless --force) and files", async () => {
  const now = Date.now();
  const make = (name: string, ageMs: number) => {
    mkdirSync(join(runsDir, name, "alpha"), { recursive: true });
    writeFileSync(join(runsDir, name, "alpha", "events.ndjson"), "{}\n");
    const when = new Date(now - ageMs);
    utimesSync(join(runsDir, name), when, when);
  };
  make("logs-over", 3_600_000);
  make("logs-live", 3_600_000);
  make("logs-fresh", 1000);
  writeFileSync(join(runsDir, "a-file"), "not a run");
  new RunState(stateDir, {
    runId: "logs-live",
    runnerPid: process.pid,
    startedAt: "",
    driver: "processes",
    topology: "t",
    resources: {},
  }).save();
  try {
    const report = await cleanAll({ stateDir, runsDir, now: () => now, drivers: ["processes"] });
    expect(report.logsRemoved).to.equal(1);
    expect(readdirSync(runsDir).sort()).to.deep.equal(["a-file", "logs-fresh", "logs-live"]);
    const forced = { logsRemoved: 0, problems: [] };
    removeRunLogs(runsDir, new Set(["logs-live"]), Infinity, forced); // --force: any age
    expect(forced).to.deep.equal({ logsRemoved: 1, problems: [] });
    expect(readdirSync(runsDir).sort()).to.deep.equal(["a-file", "logs-live"]);
  } finally {
    RunState.removeRecord(stateDir, "logs-live");
  }
});

describe("exlab clean --images: what it prints", () => {
  test("no engine or no driver: one line saying so, no problem", () => {
    expect(describeImageClean({ done: false, reason: "no Docker engine answers; nothing to remove" })).to.deep.equal({
      lines: ["images: no Docker engine answers; nothing to remove"],
      problems: [],
    });
  });

  test("each removed tag, the space freed, what stayed and why; a refusal other than use is a problem", () => {
    const out = describeImageClean({
      done: true,
      freed: "9.12 MB",
      report: {
        removed: [
          { ref: "exlab-machine:a", id: "sha256:a", deleted: true },
          { ref: "exlab-base:b", id: "sha256:b", deleted: false },
        ],
        kept: [
          { ref: "exlab-machine:c", reason: "used by a container" },
          { ref: "exlab-faultproxy:d", reason: "leased by a live run" },
          { ref: "exlab-base:e", reason: "base of a kept image" },
        ],
        failed: [
          { ref: "exlab-machine:f", error: "conflict: image is being used by stopped container 0123", inUse: true },
          { ref: "exlab-machine:g", error: "driver failed", inUse: false },
        ],
        freedBytes: 9_120_000,
      },
    });
    expect(out.lines).to.deep.equal([
      "images: removed 2 image(s), freed 9.12 MB:",
      "  exlab-machine:a",
      "  exlab-base:b (tag only: the image has other tags or children)",
      "images: kept 2 used by a container: exlab-machine:c, exlab-machine:f",
      "images: kept 1 used by a live run (--force removes them too): exlab-faultproxy:d",
      "images: kept 1 base image(s) of those: exlab-base:e",
    ]);
    expect(out.problems).to.deep.equal(["image exlab-machine:g not removed: driver failed"]);
  });

  test("nothing to remove, and an engine that does not say the space freed", () => {
    expect(describeImageClean({ done: true, report: { removed: [], kept: [], failed: [] } }).lines).to.deep.equal([
      "images: none removed",
    ]);
    const one = describeImageClean({
      done: true,
      report: { removed: [{ ref: "exlab-machine:a", id: "sha256:a", deleted: true }], kept: [], failed: [] },
    });
    expect(one.lines[0]).to.equal("images: removed 1 image(s), the engine did not say how much space that freed:");
  });
});

describe("exlab clean sweeps with every registered driver", () => {
  const state = () => mkdtempSync(join(tmpdir(), "exlab-clean-drivers-"));
  const record = (dir: string, runId: string, driver: string, runnerPid: number, resources = {}) =>
    new RunState(dir, { runId, runnerPid, startedAt: "", driver, topology: "t", resources }).save();
  const dead = 2 ** 22 + 779;

  test("a driver's sweep gets its runs that are over and the live ones; its lines are printed", async (t) => {
    const dir = state();
    const remove = registerDriver({ name: "fake", description: fake.description, load: () => fake });
    t.after(() => (remove(), rmSync(dir, { recursive: true, force: true })));
    record(dir, "fake-over", "fake", dead, { thing: { a: "x", b: "y" } });
    record(dir, "fake-live", "fake", process.pid);
    record(dir, "procs-over", "processes", dead);
    record(dir, "nobody-over", "nobody", dead);
    fake.sweeps.length = 0;
    const report = await cleanAll({ stateDir: dir, runsDir, drivers: ["processes", "fake"] });
    expect(fake.sweeps.map((s) => [s.runs.map((r) => r.runId), s.live, s.force])).to.deep.equal([
      [["fake-over"], ["fake-live"], false],
    ]);
    expect(report.swept).to.deep.equal([
      { driver: "processes", lines: [] },
      { driver: "fake", lines: ["swept 2 thing(s)"] },
    ]);
    expect(report.cleaned.sort()).to.deep.equal(["fake-over", "procs-over"]);
    expect(report.problems).to.deep.equal([
      'run nobody-over: no driver "nobody" is registered to sweep what it left (registered: processes, containers, ' +
        "fake; EXLAB_DRIVERS adds modules); its record stays",
    ]);
    expect(
      RunState.list(dir)
        .map((r) => r.runId)
        .sort(),
    ).to.deep.equal(["fake-live", "nobody-over"]);
  });

  test("a sweep that fails is reported as such; the records of its runs stay for the next clean", async (t) => {
    const dir = state();
    const remove = registerDriver({
      name: "failing",
      description: "d",
      load: () => ({ ...fake, sweep: () => Promise.reject(new Error("the cluster does not answer")) }),
    });
    t.after(() => (remove(), rmSync(dir, { recursive: true, force: true })));
    record(dir, "failing-over", "failing", dead);
    const report = await cleanAll({ stateDir: dir, runsDir, drivers: ["failing"] });
    expect(report.swept).to.deep.equal([{ driver: "failing", lines: ["sweep failed: the cluster does not answer"] }]);
    expect(report.cleaned).to.deep.equal([]);
    expect(RunState.list(dir).map((r) => r.runId)).to.deep.equal(["failing-over"]);
  });

  test("a record written before `resources` (groups, subnet at the top) is still swept", async (t) => {
    const dir = state();
    const pgid = sleeper("cleantest-legacy", dead);
    t.after(() => {
      if (isAlive(pgid)) process.kill(-pgid, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    });
    mkdirSync(join(dir, "runs"), { recursive: true });
    mkdirSync(join(dir, "subnets"), { recursive: true });
    writeFileSync(join(dir, "subnets", "213.lock"), "cleantest-legacy 1\n");
    const legacy = { runId: "cleantest-legacy", runnerPid: dead, startedAt: "", driver: "processes", topology: "t" };
    writeFileSync(
      join(dir, "runs", "cleantest-legacy.json"),
      JSON.stringify({ ...legacy, subnet: 213, groups: { "alpha#1": pgid } }),
    );
    const report = await cleanAll({ stateDir: dir, runsDir, drivers: ["processes"] });
    expect(report.cleaned).to.deep.equal(["cleantest-legacy"]);
    expect(report.groupsKilled).to.equal(1);
    expect(await gone(pgid)).to.equal(true);
    expect(existsSync(join(dir, "subnets", "213.lock"))).to.equal(false);
  });

  test(
    "`exlab clean` with a driver of EXLAB_DRIVERS: its sweep runs and says what it did",
    { timeout: 60_000 },
    async (t) => {
      const dir = state();
      const logs = mkdtempSync(join(tmpdir(), "exlab-clean-cli-runs-"));
      t.after(() => [dir, logs].forEach((d) => rmSync(d, { recursive: true, force: true })));
      record(dir, "fake-cli", "fake", dead, { thing: { a: 1 } });
      const log = join(dir, "sweeps.ndjson");
      const out = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(
          process.execPath,
          [join(__dirname, "..", "..", "bin", "exlab.js"), "clean"],
          {
            env: {
              ...process.env,
              EXLAB_DRIVERS: join(__dirname, "fake-driver-test-kit.js"),
              EXLAB_STATE_DIR: dir,
              EXLAB_RUNS_DIR: logs,
              FAKE_DRIVER_LOG: log,
              DOCKER_HOST: "unix:///nonexistent/docker.sock", // the container sweep must not touch a real engine
            },
            timeout: 30_000,
          },
          (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
        ),
      );
      expect(out.code).to.equal(0);
      const lines = out.stdout.trimEnd().split("\n");
      expect(lines[0]).to.equal("runs cleaned: fake-cli");
      expect(lines[1]).to.match(/^process groups killed: 0, stray processes killed: \d+, proxies removed: 0$/);
      expect(lines.slice(2)).to.deep.equal([
        "run logs removed: 0 directories",
        "containers: no Docker engine answers; nothing to sweep",
        "fake: swept 1 thing(s)",
      ]);
      expect(readFileSync(log, "utf8")).to.equal(JSON.stringify({ runs: ["fake-cli"], live: [] }) + "\n");
      expect(RunState.list(dir)).to.deep.equal([]);
    },
  );
});
