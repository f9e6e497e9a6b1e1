import { after, describe, test } from "node:test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { until } from "./docker-test-kit";
import { PROJECT_ROOT } from "./base-image";
import { removeRun } from "./cleanup";
import { type Engine, getEngine } from "./engine";
import { LABEL_RUN } from "./labels";

const TOPOLOGY = `
name: reaper-test
timing: { heartbeat: 100ms, missedBeats: 3, retryDelay: 200ms }
mesh: full
machines:
  alpha: { servers: [{ port: 11111 }] }
  beta: { servers: [{ port: 11111 }] }
`;

async function resources(engine: Engine, runId: string): Promise<number> {
  const filters = { label: [`${LABEL_RUN}=${runId}`] };
  return (
    (await engine.docker.listContainers({ all: true, filters })).length +
    (await engine.docker.listNetworks({ filters })).length
  );
}

describe(
  "a runner killed with SIGKILL: the run's reaper removes its containers, network and record",
  { timeout: 120_000 },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-reaper-"));
    const stateDir = path.join(dir, "state");
    let runner: ChildProcess | undefined;
    let runId: string | undefined;
    let engine: Engine | undefined;
    after(async () => {
      runner?.kill("SIGKILL");
      if (engine && runId) await removeRun(runId).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("`exlab up --driver containers`, SIGKILL, then nothing of the run remains", async () => {
      engine = await getEngine();
      fs.writeFileSync(path.join(dir, "reaper-test.yaml"), TOPOLOGY);
      runner = spawn(
        process.execPath,
        [
          path.join(PROJECT_ROOT, "bin", "exlab.js"),
          "up",
          path.join(dir, "reaper-test.yaml"),
          "--driver",
          "containers",
        ],
        {
          env: {
            ...process.env,
            EXLAB_STATE_DIR: stateDir,
            EXLAB_RUNS_DIR: path.join(dir, "runs"),
            EXLAB_CONTAINER_REAPER: "1",
          },
          stdio: ["pipe", "pipe", "pipe"],
        },
      );
      let output = "";
      runner.stdout!.on("data", (c) => (output += c));
      runner.stderr!.on("data", (c) => (output += c));
      runId = await until("the lab never came up", 90_000, () => {
        if (runner!.exitCode !== null) throw new Error(`exlab up exited early: ${output}`);
        return output.includes('type "help"') ? /\(run ([a-z0-9-]+), driver containers\)/.exec(output)?.[1] : undefined;
      });
      expect(await resources(engine, runId)).to.equal(4);
      expect(fs.existsSync(path.join(stateDir, "runs", `${runId}.json`))).to.equal(true);
      const exited = new Promise((r) => runner!.once("exit", r));
      runner.kill("SIGKILL");
      await exited;
      const id = runId;
      await until("the run's containers and network were not removed", 20_000, async () =>
        (await resources(engine!, id)) === 0 ? true : undefined,
      );
      await until("the run's record was not removed", 5_000, () =>
        fs.existsSync(path.join(stateDir, "runs", `${id}.json`)) ? undefined : true,
      );
    });
  },
);
