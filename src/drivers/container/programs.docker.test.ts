import { after, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadTopologyTextOrThrow } from "../../topology";
import { silentLogger } from "../../runs";
import { Lab, seesService, type StartedLab } from "../../lab";
import { removeRun } from "./cleanup";
import { ContainerDriver } from "./container-driver";
import { removeImages, testId } from "./docker-test-kit";
import { getEngine } from "./engine";
import { LABEL_RUN, labelFilter } from "./labels";

const TOPOLOGY = `
name: programs-in-containers
timing: { heartbeat: 200ms, missedBeats: 3, retryDelay: 200ms, handshakeTimeout: 1s, requestTimeout: 2s }
machines:
  store:
    servers: [{ port: 12100 }]
    processes:
      orders: { run: node services/orders.js, env: { STORE: main }, services: [{ name: orders }] }
  web:
    servers: [{ port: 12100, connect: store }]
    processes:
      buyer: {}
`;

describe("a topology's program runs in its machine's container, from the project image", { timeout: 300_000 }, () => {
  const runId = testId("prog");
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-programs-project-"));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-programs-state-"));
  const infos: string[] = [];
  let lab: StartedLab | undefined;
  after(async () => {
    await lab?.stop();
    const engine = await getEngine();
    await removeRun(runId).catch(() => {});
    const built = infos.map((l) => /^Built project image (\S+)/.exec(l)?.[1]).filter((r) => r !== undefined);
    await removeImages(engine, built);
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  test("a project without package.json reaches exchange-lab/exchange from /app/project, as uid 1000", async () => {
    fs.mkdirSync(path.join(project, "services"));
    fs.writeFileSync(
      path.join(project, "services", "orders.js"),
      `// ${runId}: a project of this test's own (its image is removed afterwards)
const { startExchangeNode } = require("exchange-lab/exchange");
startExchangeNode({ endpoints: [{ group: "", connect: [] }] }).then((node) => {
  node.agent({ name: "orders" }).onRequest(() =>
    ({ store: process.env.STORE, cwd: process.cwd(), file: __filename, uid: process.getuid() }));
});
`,
    );
    lab = await new Lab({
      plan: loadTopologyTextOrThrow(TOPOLOGY).plan,
      runId,
      stateDir,
      projectDir: project,
      driver: new ContainerDriver({ stateDir, reaper: false, keepImages: "all" }),
      logger: { ...silentLogger, info: (m: string) => infos.push(m) },
      readyTimeoutMs: 60_000,
    }).start();
    expect(infos.filter((l) => /^Built project image exlab-project:[0-9a-f]{16} in /.test(l))).to.have.length(1);
    await seesService(lab, "web/buyer", "orders", 10_000);
    const answer = await lab.call("web/buyer", "orders", { method: "who" });
    expect(answer.outcome).to.deep.include({ kind: "RESPONSE" });
    expect((answer.outcome as { result: unknown }).result).to.deep.equal({
      store: "main",
      cwd: "/app/project",
      file: "/app/project/services/orders.js",
      uid: 1000,
    });
  });

  test("a program that throws fails the lab's start with its exit code and last stderr lines, leaving no container", async () => {
    await lab?.stop();
    lab = undefined;
    fs.writeFileSync(
      path.join(project, "services", "orders.js"),
      `// ${runId}\nthrow new Error("orders: cannot read config/orders.yml");\n`,
    );
    const failedRun = `${runId}-bad`;
    const err = await new Lab({
      plan: loadTopologyTextOrThrow(TOPOLOGY.replace("services: [{ name: orders }]", "readyTimeout: 30s")).plan,
      runId: failedRun,
      stateDir,
      projectDir: project,
      driver: new ContainerDriver({ stateDir, reaper: false, keepImages: "all" }),
      logger: { ...silentLogger, info: (m: string) => infos.push(m) },
      readyTimeoutMs: 60_000,
    })
      .start()
      .then(
        () => expect.fail("the lab should not start"),
        (e: unknown) => e as Error & { code?: string },
      );
    expect(err.code).to.equal("LAB_PROCESS_START_FAILED");
    expect(err.message).to.match(
      /process "store\/orders" did not start: it exited before it was ready \(exit code 1\)/,
    );
    expect(err.message).to.contain("cannot read config/orders.yml");
    const engine = await getEngine();
    const left = await engine.docker.listContainers({ all: true, filters: labelFilter({ [LABEL_RUN]: failedRun }) });
    expect(
      left.map((c) => c.Names[0]),
      "no container of the failed run is left",
    ).to.deep.equal([]);
  });
});
