import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { GenericContainer, StartedTestContainer, Wait } from "testcontainers";
import { BaseImage, ensureBaseImage } from "./base-image";
import { removeRun } from "./cleanup";
import { containerOutput, testId } from "./docker-test-kit";
import { Engine, getEngine } from "./engine";
import { LABEL_MACHINE, LABEL_RUN, runLabels } from "./labels";
import { createRunNetwork, RunNetwork } from "./network";

const SERVER = `require("net").createServer((s) => s.end("pong from " + require("os").hostname())).listen(9000, () => console.log("listening"))`;
const CLIENT = `const s = require("net").connect(9000, "alpha"); let d = ""; s.on("data", (c) => d += c); s.on("end", () => console.log("got: " + d)); s.on("error", (e) => { console.error(e.message); process.exit(1); })`;

describe("a run's network: containers of the base image talk TCP by alias", { timeout: 120_000 }, () => {
  const runId = testId("net");
  let engine: Engine;
  let base: BaseImage;
  let network: RunNetwork;
  let server: StartedTestContainer | undefined;
  before(async () => {
    engine = await getEngine();
    base = await ensureBaseImage();
    network = await createRunNetwork(runId);
  });
  after(async () => {
    if (engine) await removeRun(runId);
  });

  test("the network carries the run's labels", async () => {
    const info = (await engine.docker.getNetwork(network.id).inspect()) as { Labels: Record<string, string>; Name: string };
    expect(info.Name).to.equal(`exlab-${runId}`);
    expect(info.Labels).to.deep.include(runLabels(runId));
  });

  test("a client container reaches the server container as alpha:9000", async () => {
    server = await new GenericContainer(base.ref)
      .withNetworkMode(network.name)
      .withNetworkAliases("alpha")
      .withLabels(runLabels(runId, { [LABEL_MACHINE]: "alpha" }))
      .withCommand(["node", "-e", SERVER])
      .withWaitStrategy(Wait.forLogMessage("listening"))
      .withStartupTimeout(20_000)
      .start();
    const client = await new GenericContainer(base.ref)
      .withNetworkMode(network.name)
      .withLabels(runLabels(runId, { [LABEL_MACHINE]: "beta" }))
      .withCommand(["node", "-e", CLIENT])
      .withWaitStrategy(Wait.forOneShotStartup())
      .withStartupTimeout(20_000)
      .start();
    expect(await containerOutput(engine, client.getId())).to.equal(`got: pong from ${server.getHostname()}\n`);
    const ryuk = await engine.docker.listContainers({ all: true, filters: { label: ["org.testcontainers.ryuk=true"] } });
    if (process.env.TESTCONTAINERS_RYUK_DISABLED === "true") expect(ryuk).to.deep.equal([]);
    const ours = await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
    expect(ours).to.have.length(2);
  });
});
