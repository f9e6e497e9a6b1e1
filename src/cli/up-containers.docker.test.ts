import { after, describe, test } from "node:test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { until } from "../drivers/container/docker-test-kit";
import { type Engine, getEngine, LABEL_RUN, PROJECT_ROOT, removeRun } from "../drivers/container";

const TOPOLOGY = `
name: up-addresses
timing: { heartbeat: 100ms, missedBeats: 3, retryDelay: 200ms }
mesh: full
machines:
  alpha: { servers: [{ port: 11111 }] }
  beta: { servers: [{ port: 11111 }] }
`;

/** The container's IP on the run's network, as the engine reports it. */
async function ipOf(engine: Engine, runId: string, machine: string): Promise<string> {
  const info = (await engine.docker.getContainer(`exlab-${runId}-${machine}`).inspect()) as {
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  };
  return info.NetworkSettings.Networks[`exlab-${runId}`].IPAddress;
}

const MACHINE_LINE = /^ {2}machine (\w+) \[(\w+)\] at ([^\s,]+)/gm;

/** The machines of the last `describeLab` output in `text`: name → [state, address]. */
function lastDescription(text: string): Map<string, [string, string]> {
  const from = text.lastIndexOf('lab "up-addresses"');
  return new Map([...text.slice(from).matchAll(MACHINE_LINE)].map((m) => [m[1], [m[2], m[3]]]));
}

describe(
  "`exlab up --driver containers` prints each machine's address on the run's network",
  { timeout: 180_000 },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-up-addresses-"));
    let runner: ChildProcess | undefined;
    let runId: string | undefined;
    let engine: Engine | undefined;
    after(async () => {
      runner?.kill("SIGKILL");
      if (engine && runId) await removeRun(runId).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("the containers' IPs, not 0.0.0.0; the alias while a machine is down; a new IP once it is back", async () => {
      engine = await getEngine();
      fs.writeFileSync(path.join(dir, "up-addresses.yaml"), TOPOLOGY);
      runner = spawn(
        process.execPath,
        [
          path.join(PROJECT_ROOT, "bin", "exlab.js"),
          "up",
          path.join(dir, "up-addresses.yaml"),
          "--driver",
          "containers",
          "--report",
          path.join(dir, "report"),
        ],
        {
          env: { ...process.env, EXLAB_STATE_DIR: path.join(dir, "state"), EXLAB_RUNS_DIR: path.join(dir, "runs") },
          stdio: ["pipe", "pipe", "pipe"],
        },
      );
      let output = "";
      runner.stdout!.on("data", (c) => (output += c));
      runner.stderr!.on("data", (c) => (output += c));
      const exited = new Promise<number | null>((r) => runner!.once("exit", r));
      const id = await until("the lab never came up", 90_000, () => {
        if (runner!.exitCode !== null) throw new Error(`exlab up exited early: ${output}`);
        return output.includes('type "help"') ? /\(run ([a-z0-9-]+), driver containers\)/.exec(output)?.[1] : undefined;
      });
      runId = id;
      const first = lastDescription(output);
      expect([...first.keys()]).to.deep.equal(["alpha", "beta"]);
      for (const [machine, [state, address]] of first) {
        expect(state).to.equal("running");
        expect(address)
          .to.match(/^\d+\.\d+\.\d+\.\d+$/)
          .and.not.equal("0.0.0.0");
        expect(address, machine).to.equal(await ipOf(engine, id, machine));
      }

      const said = (marker: string) =>
        until(`no "${marker}" from exlab up`, 60_000, () => (output.includes(marker) ? true : undefined));
      const status = async () => {
        const mark = output.length;
        runner!.stdin!.write("status\n");
        const done = /lab "up-addresses"[\s\S]*\n {2}proxies:/;
        await until("no status", 10_000, () => (done.test(output.slice(mark)) ? true : undefined));
        return lastDescription(output.slice(mark));
      };

      runner.stdin!.write("crash beta\n");
      await said("beta crashed");
      expect((await status()).get("beta")).to.deep.equal(["crashed", "beta"]);

      runner.stdin!.write("start beta\n");
      await said("beta started again");
      const [state, address] = (await status()).get("beta")!;
      expect(state).to.equal("running");
      expect(address).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      expect(address).to.equal(await ipOf(engine, id, "beta"));

      runner.stdin!.end();
      expect(await exited, output).to.equal(0);
      const filters = { label: [`${LABEL_RUN}=${id}`] };
      expect(await engine.docker.listContainers({ all: true, filters })).to.deep.equal([]);
      expect(await engine.docker.listNetworks({ filters })).to.deep.equal([]);
    });
  },
);
