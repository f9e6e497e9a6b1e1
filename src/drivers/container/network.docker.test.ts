import { describe, test } from "node:test";
import { expect } from "chai";
import { GenericContainer, StartedTestContainer, Wait } from "testcontainers";
import { containerOutput, useRunNetwork } from "./docker-test-kit";
import { LABEL_MACHINE, LABEL_RUN, runLabels } from "./labels";

const SERVER = `require("net").createServer((s) => s.end("pong from " + require("os").hostname())).listen(9000, () => console.log("listening"))`;
const CLIENT = `const s = require("net").connect(9000, "alpha"); let d = ""; s.on("data", (c) => d += c); s.on("end", () => console.log("got: " + d)); s.on("error", (e) => { console.error(e.message); process.exit(1); })`;

describe("a run's network: containers of the base image talk TCP by alias", { timeout: 120_000 }, () => {
  const fx = useRunNetwork("net");
  const { runId } = fx;
  let server: StartedTestContainer | undefined;

  test("the network carries the run's labels", async () => {
    const info = (await fx.engine.docker.getNetwork(fx.network.id).inspect()) as {
      Labels: Record<string, string>;
      Name: string;
    };
    expect(info.Name).to.equal(`exlab-${runId}`);
    expect(info.Labels).to.deep.include(runLabels(runId));
  });

  test("a client container reaches the server container as alpha:9000", async () => {
    server = await new GenericContainer(fx.base.ref)
      .withNetworkMode(fx.network.name)
      .withNetworkAliases("alpha")
      .withLabels(runLabels(runId, { [LABEL_MACHINE]: "alpha" }))
      .withCommand(["node", "-e", SERVER])
      .withWaitStrategy(Wait.forLogMessage("listening"))
      .withStartupTimeout(20_000)
      .start();
    const client = await new GenericContainer(fx.base.ref)
      .withNetworkMode(fx.network.name)
      .withLabels(runLabels(runId, { [LABEL_MACHINE]: "beta" }))
      .withCommand(["node", "-e", CLIENT])
      .withWaitStrategy(Wait.forOneShotStartup())
      .withStartupTimeout(20_000)
      .start();
    expect(await containerOutput(fx.engine, client.getId())).to.equal(`got: pong from ${server.getHostname()}\n`);
    const ryuk = await fx.engine.docker.listContainers({
      all: true,
      filters: { label: ["org.testcontainers.ryuk=true"] },
    });
    if (process.env.TESTCONTAINERS_RYUK_DISABLED === "true") expect(ryuk).to.deep.equal([]);
    const ours = await fx.engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
    expect(ours).to.have.length(2);
  });
});
