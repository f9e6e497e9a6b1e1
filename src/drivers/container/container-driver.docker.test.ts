import { after, before, describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadTopologyTextOrThrow } from "../../topology";
import { MachineClient, type MachineSpec } from "../../machine";
import { MachineStartError } from "../errors";
import { silentLogger } from "../../runs";
import { Lab } from "../../lab";
import type { StartedLab } from "../../lab";
import { notYet, ok } from "../../lab";
import { noLongerSeesService, seesService, shareExactlyOneLink } from "../../lab";
import { removeRun } from "./cleanup";
import { ContainerDriver } from "./container-driver";
import { testId } from "./docker-test-kit";
import { type Engine, getEngine } from "./engine";
import { LABEL_RUN } from "./labels";

const TOPOLOGY = `
name: driver-test
timing: { heartbeat: 100ms, missedBeats: 3, retryDelay: 200ms, handshakeTimeout: 1s }
mesh: full
machines:
  alpha:
    servers: [{ port: 11111 }]
    processes: { billing: { services: [{ name: billing }] } }
  beta:
    servers: [{ port: 11111 }]
    processes: { web: { services: [{ name: web }] } }
  gamma:
    servers: [{ port: 11111 }]
    processes: { reporter: {} }
`;

async function leftovers(engine: Engine, runId: string): Promise<{ containers: string[]; networks: string[] }> {
  const filters = { label: [`${LABEL_RUN}=${runId}`] };
  const containers = await engine.docker.listContainers({ all: true, filters });
  const networks = await engine.docker.listNetworks({ filters });
  return { containers: containers.map((c) => c.Names[0]), networks: networks.map((n) => n.Name) };
}

/** `docker port`'s view of a container's published ports, through the engine API: every HostIp. */
async function publishedHostIps(engine: Engine, runId: string): Promise<string[]> {
  const list = await engine.docker.listContainers({ filters: { label: [`${LABEL_RUN}=${runId}`] } });
  return list.flatMap((c) => c.Ports.filter((p) => p.PublicPort !== undefined).map((p) => p.IP ?? ""));
}

describe(
  "the container driver through the Lab API: three machines, a crash, a cut, a heal, a stop",
  { timeout: 240_000 },
  () => {
    const runId = testId("drv");
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-drv-"));
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-drv-state-"));
    let engine: Engine;
    let lab: StartedLab | undefined;

    before(async () => {
      engine = await getEngine();
      const plan = loadTopologyTextOrThrow(TOPOLOGY).plan;
      lab = await new Lab({
        plan,
        runId,
        runDir,
        stateDir,
        driver: new ContainerDriver({ stateDir }),
        handleSignals: false,
        readyTimeoutMs: 60_000,
      }).start();
    });
    after(async () => {
      await lab?.stop().catch(() => {});
      if (engine) await removeRun(runId).catch(() => {});
      fs.rmSync(runDir, { recursive: true, force: true });
      fs.rmSync(stateDir, { recursive: true, force: true });
    });

    test("machines are labelled containers on the run's network; control and proxy APIs are published on 127.0.0.1 only", async () => {
      const found = await leftovers(engine, runId);
      expect(found.containers.sort()).to.deep.equal([
        `/exlab-${runId}-alpha`,
        `/exlab-${runId}-beta`,
        `/exlab-${runId}-faultproxy`,
        `/exlab-${runId}-gamma`,
      ]);
      expect(found.networks).to.deep.equal([`exlab-${runId}`]);
      const ips = await publishedHostIps(engine, runId);
      expect(ips).to.have.length(4);
      expect(new Set(ips)).to.deep.equal(new Set(["127.0.0.1"]));
      const port = execFileSync("docker", ["port", `exlab-${runId}-alpha`, "7700"], { encoding: "utf8" }).trim();
      expect(port).to.match(/^127\.0\.0\.1:\d+$/);
      expect(lab!.machine("alpha").controlUrl).to.equal(`http://${port}`);
      expect(lab!.proxyServer.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(lab!.proxies().every((p) => /^[a-z]+:11111$/.test(p.upstream))).to.equal(true);
    });

    test("a machine's output goes to <runDir>/<machine>.log", () => {
      const text = fs.readFileSync(path.join(runDir, "beta.log"), "utf8");
      expect(text).to.include("EXLAB_READY");
    });

    test("a crashed machine is withdrawn, starts again in the same container under the same alias, and reconverges", async () => {
      await seesService(lab!, "gamma/reporter", "web", 10_000);
      const before = lab!.machine("beta");
      await lab!.crash("beta");
      const state = (await engine.docker.getContainer(before.id!).inspect()) as {
        State: { Status: string; ExitCode: number };
      };
      expect(state.State).to.include({ Status: "exited", ExitCode: 137 });
      await noLongerSeesService(lab!, "gamma/reporter", "web", 5_000);
      await lab!.startAgain("beta");
      expect(lab!.machine("beta").id).to.equal(before.id);
      await seesService(lab!, "gamma/reporter", "web", 15_000);
      await shareExactlyOneLink(lab!, "beta", "gamma", 10_000);
    });

    test("a cut link drops only that pair's link; heal restores it", async () => {
      await shareExactlyOneLink(lab!, "alpha", "gamma", 10_000);
      await lab!.faults.cut("alpha", "gamma");
      await lab!.waitFor("alpha ⇄ gamma never went down", 5_000, async () => {
        const links = (await lab!.view("alpha/exchange")).dump.links.filter(
          (l) => l.peer?.nodeName === "gamma/exchange" && (l.state === "ACTIVE" || l.state === "SYNCED"),
        );
        return links.length === 0 ? ok(undefined) : notYet(`${links.length} live link(s)`);
      });
      await shareExactlyOneLink(lab!, "alpha", "beta", 5_000);
      await lab!.faults.heal("alpha", "gamma");
      await shareExactlyOneLink(lab!, "alpha", "gamma", 10_000);
    });

    test("freeze pauses the container and thaw resumes it", async () => {
      const url = lab!.machine("alpha").controlUrl!;
      await lab!.freeze("alpha");
      const paused = (await engine.docker.getContainer(lab!.machine("alpha").id!).inspect()) as {
        State: { Paused: boolean };
      };
      expect(paused.State.Paused).to.equal(true);
      await lab!.thaw("alpha");
      expect((await new MachineClient(url, { timeoutMs: 5000 }).health()).processes.length).to.equal(2);
    });

    test("stop removes every container and the network of the run", async () => {
      await lab!.stop();
      expect(await leftovers(engine, runId)).to.deep.equal({ containers: [], networks: [] });
      expect(fs.existsSync(path.join(stateDir, "runs", `${runId}.json`))).to.equal(false);
    });

    test("the run's reaper exited with the run, having removed nothing itself", () => {
      const log = fs.readFileSync(path.join(runDir, "reaper.log"), "utf8");
      expect(log).to.not.include("removing run");
    });
  },
);

describe(
  "a machine that cannot start: the error carries its last lines, and nothing of it remains",
  { timeout: 120_000 },
  () => {
    const runId = testId("drvfail");
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-drvfail-"));
    let engine: Engine;
    after(async () => {
      if (engine) await removeRun(runId).catch(() => {});
      fs.rmSync(runDir, { recursive: true, force: true });
    });

    test("a spec the supervisor refuses fails start() with MachineStartError, fast", async () => {
      engine = await getEngine();
      const run = await new ContainerDriver({ reaper: false }).open({
        runId,
        runDir,
        machines: [{ name: "alpha", index: 1, ports: [] }],
        logger: silentLogger,
        env: process.env,
        projectDir: runDir,
        track: () => {},
      });
      try {
        const placement = run.placement("alpha");
        const bad = {
          machine: "alpha",
          bindHost: placement.bindHost,
          controlPort: placement.controlPort,
          runDir: path.join(runDir, "alpha"),
          timing: {},
          processes: [{ address: "alpha/x" }],
        };
        const t0 = Date.now();
        const err = await run.start(bad as unknown as MachineSpec).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(MachineStartError);
        expect((err as MachineStartError).message).to.match(
          /^machine "alpha" did not start: .*\(log: .*alpha\.log\)\n {2}last lines:\n/s,
        );
        expect((err as MachineStartError).lastLines.join("\n")).to.include("exlab machine:");
        expect(Date.now() - t0).to.be.below(20_000);
        expect((await leftovers(engine, runId)).containers).to.deep.equal([`/exlab-${runId}-faultproxy`]);
      } finally {
        await run.close();
      }
      expect(await leftovers(engine, runId)).to.deep.equal({ containers: [], networks: [] });
    });

    test("machines running programs of the project ask for the run's project image once, FROM the machine image", async () => {
      const made: string[] = [];
      const projectRun = `${runId}-p`;
      const run = await new ContainerDriver({
        reaper: false,
        projectImage: async (_e, machineImage) => {
          made.push(machineImage);
          return machineImage; // stands in for a project image: the point is who asks, and how often
        },
      }).open({
        runId: projectRun,
        runDir,
        machines: ["alpha", "beta"].map((name, i) => ({ name, index: i + 1, ports: [] })),
        logger: silentLogger,
        env: process.env,
        projectDir: runDir,
        track: () => {},
      });
      try {
        expect(run.placement("alpha").projectDir).to.equal("/app/project");
        const program = { argv: ["node", "services/hello.js"], cwd: "/app/project", env: {} };
        const spec = (machine: string, withProgram: boolean) =>
          ({
            machine,
            bindHost: "0.0.0.0",
            controlPort: 7700,
            runDir: path.join(runDir, machine),
            timing: {},
            processes: [{ address: `${machine}/x`, ...(withProgram ? { program } : {}) }], // refused either way
          }) as unknown as MachineSpec;
        const settled = await Promise.allSettled([run.start(spec("alpha", true)), run.start(spec("beta", true))]);
        expect(settled.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
        expect(made).to.have.length(1);
        expect(made[0]).to.match(/^exlab-machine:[0-9a-f]{16}$/);
        await run.start(spec("alpha", false)).catch(() => {});
        expect(made).to.have.length(1);
      } finally {
        await run.close();
        await removeRun(projectRun).catch(() => {});
      }
    });
  },
);
