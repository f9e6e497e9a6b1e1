import { after, describe, test } from "node:test";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanAll } from "./clean";
import { isAlive } from "./proc";
import { RunState } from "./run-state";

const stateDir = mkdtempSync(join(tmpdir(), "exlab-clean-"));
after(() => rmSync(stateDir, { recursive: true, force: true }));

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
    new RunState(stateDir, { runId: "cleantest-dead", runnerPid: deadRunner, startedAt: "", driver: "processes", topology: "t", groups: { "alpha#1": dead } }).save();
    new RunState(stateDir, { runId: "cleantest-live", runnerPid: process.pid, startedAt: "", driver: "processes", topology: "t", groups: { "alpha#1": live } }).save();
    const report = await cleanAll({ stateDir });
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
    const report = await cleanAll({ stateDir });
    expect(report.orphansKilled).to.be.greaterThanOrEqual(1);
    expect(await gone(stray)).to.equal(true);
  });
});
