import { before, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wait } from "testcontainers";
import { loadTopologyTextOrThrow } from "../../topology";
import { Lab } from "../../lab";
import { shareExactlyOneLink } from "../../lab";
import { ContainerDriver } from "./container-driver";
import { containerOutput, imageEventsSince, useRunNetwork } from "./docker-test-kit";
import { type Engine, getEngine } from "./engine";
import { chooseFaultProxyImage, TOXIPROXY_REPOSITORY } from "./faultproxy-container";
import { ensureFaultProxyImage } from "./images";
import { runLabels } from "./labels";
import { LabContainer } from "./lab-container";

const LOOKUPS = `const dns = require("dns");
const look = (n) => new Promise((r) => dns.lookup(n, (e, a) => r(e ? "error " + e.code : "address " + a)));
(async () => { console.log("peer: " + await look("peer")); const t = Date.now(); console.log("absent: " + await look("no-such-machine")); console.log("ms " + (Date.now() - t)); })();`; // one stream: stdout and stderr interleave in any order in the log

describe("LabContainer: no pull, no foreign DNS", { timeout: 120_000 }, () => {
  const fx = useRunNetwork("labc");
  const { runId } = fx;

  test("an image that is not local is refused before testcontainers could pull it", async () => {
    const since = Date.now();
    const err = await new LabContainer(`exlab-absent-${runId}:nope`)
      .withLabels(runLabels(runId))
      .start()
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err?.message).to.equal(
      `the image exlab-absent-${runId}:nope is not present locally; not starting it, to avoid a pull`,
    );
    expect((await imageEventsSince(fx.engine, since)).filter((e) => e.action === "pull")).to.deep.equal([]);
  });

  test("aliases on the run's network resolve; an unknown alias fails at once, answered inside the run (never forwarded)", async (t) => {
    await new LabContainer(fx.base.ref)
      .withNetworkMode(fx.network.name)
      .withNetworkAliases("peer")
      .withLabels(runLabels(runId))
      .withCommand(["node", "-e", `setInterval(() => {}, 1 << 30); console.log("up")`])
      .withWaitStrategy(Wait.forLogMessage("up"))
      .start();
    const client = await new LabContainer(fx.base.ref)
      .withNetworkMode(fx.network.name)
      .withLabels(runLabels(runId))
      .withCommand(["node", "-e", LOOKUPS])
      .withWaitStrategy(Wait.forOneShotStartup())
      .withStartupTimeout(30_000)
      .start();
    const out = await containerOutput(fx.engine, client.getId());
    t.diagnostic(out.replace(/\n/g, " | "));
    expect(out).to.match(/^peer: address \d+\.\d+\.\d+\.\d+\nabsent: error (ENOTFOUND|EAI_AGAIN)\nms \d+\n$/);
    const info = (await fx.engine.docker.getContainer(client.getId()).inspect()) as { HostConfig: { Dns: string[] } };
    expect(info.HostConfig.Dns).to.deep.equal(["127.0.0.1"]);
  });
});

describe("the fault-proxy image choice", { timeout: 120_000 }, () => {
  let engine: Engine;
  let ours: string;
  before(async () => {
    engine = await getEngine();
    ours = (await ensureFaultProxyImage({ engine })).ref;
  });

  test("TOXIPROXY_IMAGE names the image: used as is when local, pulled only when absent", async () => {
    const local = await chooseFaultProxyImage(engine, { TOXIPROXY_IMAGE: ours }, async () => "unused");
    expect(local).to.include({ ref: ours, kind: "toxiproxy", mayPull: false });
    const absent = await chooseFaultProxyImage(engine, { TOXIPROXY_IMAGE: "exlab-absent:nope" }, async () => "unused");
    expect(absent).to.include({ ref: "exlab-absent:nope", kind: "toxiproxy", mayPull: true });
  });

  test("without TOXIPROXY_IMAGE: a local ghcr.io/shopify/toxiproxy, else ours", async () => {
    const images = await engine.docker.listImages({ filters: { reference: [TOXIPROXY_REPOSITORY] } });
    const choice = await chooseFaultProxyImage(engine, {}, async () => ours);
    if (images.length === 0) expect(choice).to.include({ ref: ours, kind: "exlab", mayPull: false });
    else expect(choice).to.include({ kind: "toxiproxy", mayPull: false });
  });

  test("a lab on a Toxiproxy-style image (started with -host=/-port= flags) takes a cut and a heal", async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-toxi-"));
    const plan = loadTopologyTextOrThrow(`
name: toxi
timing: { heartbeat: 100ms, missedBeats: 3, retryDelay: 200ms }
mesh: full
machines: { alpha: { servers: [{ port: 11111 }] }, beta: { servers: [{ port: 11111 }] } }
`).plan;
    const lab = await new Lab({
      plan,
      runDir,
      stateDir: runDir,
      driver: new ContainerDriver({ stateDir: runDir }),
      env: { ...process.env, TOXIPROXY_IMAGE: ours },
      handleSignals: false,
    }).start();
    try {
      expect(lab.proxyServer.kind).to.equal("toxiproxy-container");
      await lab.faults.cut("alpha", "beta");
      await lab.faults.heal("alpha", "beta");
      await shareExactlyOneLink(lab, "alpha", "beta", 10_000);
    } finally {
      await lab.stop();
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
});
