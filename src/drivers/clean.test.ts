import { after, describe, test } from "node:test";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanAll, describeImageClean, removeRunLogs } from "./clean";
import { isAlive } from "../runs";
import { RunState } from "../runs";

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
      groups: { "alpha#1": dead },
    }).save();
    new RunState(stateDir, {
      runId: "cleantest-live",
      runnerPid: process.pid,
      startedAt: "",
      driver: "processes",
      topology: "t",
      groups: { "alpha#1": live },
    }).save();
    const report = await cleanAll({ stateDir, runsDir });
    expect(report.cleaned).to.deep.equal(["cleantest-dead"]);
    expect(report.groupsKilled).to.equal(1);
    expect(await gone(dead)).to.equal(true);
    expect(isAlive(live)).to.equal(true);
    expect(RunState.list(stateDir).map((r) => r.runId)).to.deep.equal(["cleantest-live"]);
  });

  test("a stray process of a run nobody recorded is killed once its runner is gone", async (t) => {
    const stray = sleeper("cleantest-stray", 2 ** 22 + 778);
    t.after(() => {
      if (isAlive(stray)) process.kill(-stray, "SIGKILL");
    });
    const report = await cleanAll({ stateDir, runsDir });
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
    groups: {},
  }).save();
  try {
    const report = await cleanAll({ stateDir, runsDir, now: () => now });
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
