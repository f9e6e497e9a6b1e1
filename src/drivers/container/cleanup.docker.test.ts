import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { BaseImage, ensureBaseImage } from "./base-image";
import { removeRun, sweepAll } from "./cleanup";
import { testId } from "./docker-test-kit";
import { Engine, getEngine } from "./engine";
import { InvalidRunIdError } from "./errors";
import { runLabels } from "./labels";
import { createRunNetwork } from "./network";

const TEST_LABEL = "org.exchange-lab.test";

describe("removeRun and sweepAll", { timeout: 120_000 }, () => {
  const scope = testId("cleanup");
  const runA = `${scope}-a`;
  const runB = `${scope}-b`;
  let engine: Engine;
  let base: BaseImage;

  async function machine(runId: string, name: string, network: string): Promise<void> {
    const c = await engine.docker.createContainer({
      name: `${runId}-${name}`,
      Image: base.ref,
      Cmd: ["node", "-e", "setInterval(() => {}, 1 << 30)"],
      Labels: runLabels(runId, { [TEST_LABEL]: scope }),
      HostConfig: { NetworkMode: network },
    });
    await c.start();
  }

  async function remaining(): Promise<{ containers: string[]; networks: string[] }> {
    const filters = { label: [`${TEST_LABEL}=${scope}`] };
    const containers = await engine.docker.listContainers({ all: true, filters });
    const networks = await engine.docker.listNetworks({ filters });
    return {
      containers: containers.map((c) => c.Names[0].slice(1)).sort(),
      networks: networks.map((n) => n.Name).sort(),
    };
  }

  before(async () => {
    engine = await getEngine();
    base = await ensureBaseImage();
    const labels = { [TEST_LABEL]: scope };
    const netA = await createRunNetwork(runA, { labels });
    const netB = await createRunNetwork(runB, { labels });
    await machine(runA, "alpha", netA.name);
    await machine(runA, "beta", netA.name);
    await machine(runB, "gamma", netB.name);
  });
  after(async () => {
    if (engine) await sweepAll({ alsoLabelled: { [TEST_LABEL]: scope } });
  });

  test("removeRun removes that run's running containers and its network, and says so", async () => {
    const report = await removeRun(runA);
    expect(report.containers.map((c) => c.name)).to.deep.equal([`${runA}-alpha`, `${runA}-beta`]);
    expect(report.containers.every((c) => c.runId === runA)).to.equal(true);
    expect(report.networks.map((n) => n.name)).to.deep.equal([`exlab-${runA}`]);
    expect(await remaining()).to.deep.equal({ containers: [`${runB}-gamma`], networks: [`exlab-${runB}`] });
  });

  test("removeRun of a run with nothing left reports nothing; a bad run id is refused", async () => {
    expect(await removeRun(runA)).to.deep.equal({ containers: [], networks: [] });
    await removeRun("no such=run").then(
      () => expect.fail("resolved"),
      (err: unknown) => expect(err).to.be.instanceOf(InvalidRunIdError),
    );
  });

  test("sweepAll leaves the runs in keepRuns alone (live runs)", async () => {
    const report = await sweepAll({ alsoLabelled: { [TEST_LABEL]: scope }, keepRuns: [runB] });
    expect(report).to.deep.equal({ containers: [], networks: [] });
    expect(await remaining()).to.deep.equal({ containers: [`${runB}-gamma`], networks: [`exlab-${runB}`] });
  });

  test("sweepAll removes every managed container and network (scoped here to this test's label)", async () => {
    const report = await sweepAll({ alsoLabelled: { [TEST_LABEL]: scope } });
    expect(report.containers.map((c) => c.name)).to.deep.equal([`${runB}-gamma`]);
    expect(report.networks.map((n) => n.name)).to.deep.equal([`exlab-${runB}`]);
    expect(await remaining()).to.deep.equal({ containers: [], networks: [] });
  });
});
