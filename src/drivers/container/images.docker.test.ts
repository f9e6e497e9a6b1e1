import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { GenericContainer, StartedTestContainer, Wait } from "testcontainers";
import { BaseImage, ensureBaseImage, PROJECT_ROOT } from "./base-image";
import { removeRun } from "./cleanup";
import { fakeProject, imageEventsSince, removeImages, testId } from "./docker-test-kit";
import { Engine, getEngine } from "./engine";
import { ensureFaultProxyImage, ensureMachineImage } from "./images";
import { LABEL_BASE, LABEL_KIND, runLabels } from "./labels";

async function getJson(container: StartedTestContainer, port: number): Promise<unknown> {
  const res = await fetch(`http://${container.getHost()}:${container.getMappedPort(port)}/`);
  return res.json();
}

describe("machine and fault-proxy images from a small fake dist", { timeout: 180_000 }, () => {
  const project = fakeProject(PROJECT_ROOT);
  const id = testId("img");
  const runId = id;
  const machineRepo = `exlab-test-machine-${id}`;
  const proxyRepo = `exlab-test-faultproxy-${id}`;
  const built: string[] = [];
  let engine: Engine;
  let base: BaseImage;
  const started = Date.now();
  before(async () => {
    engine = await getEngine();
    base = await ensureBaseImage();
  });
  after(async () => {
    if (engine) {
      await removeRun(runId);
      await removeImages(engine, built);
    }
    project.remove();
  });

  test("the machine image builds FROM the local base with only its runtime packages, and runs its entry", async () => {
    const image = await ensureMachineImage({ projectRoot: project.root, repository: machineRepo, base });
    built.push(image.ref);
    expect(image.source).to.equal("built");
    expect(image.ref).to.match(new RegExp(`^${machineRepo}:[0-9a-f]{16}$`));
    expect(image.packages).to.include("node_modules/yaml");
    expect(image.packages.filter((p) => /typescript|cucumber|testcontainers/.test(p))).to.deep.equal([]);
    const labels = (await engine.docker.getImage(image.ref).inspect()).Config.Labels;
    expect(labels).to.deep.include({ [LABEL_KIND]: "machine", [LABEL_BASE]: base.ref });
    const machine = await new GenericContainer(image.ref)
      .withEnvironment({ EXLAB_MACHINE_SPEC: JSON.stringify({ name: "alpha" }) })
      .withExposedPorts(7700)
      .withLabels(runLabels(runId))
      .withWaitStrategy(Wait.forLogMessage("control API on 7700"))
      .withStartupTimeout(20_000)
      .start();
    expect(await getJson(machine, 7700)).to.deep.equal({ greeting: "hello alpha", yaml: "name: alpha\n", uid: 1000 });
    const events = await imageEventsSince(engine, started);
    expect(events.map((e) => e.action)).to.include("tag");
    expect(events.filter((e) => e.action === "pull")).to.deep.equal([]);
  });

  test("unchanged code reuses the image; changed code gets a new tag", async () => {
    const first = await ensureMachineImage({ projectRoot: project.root, repository: machineRepo, base });
    expect(first.source).to.equal("local");
    expect(first.ref).to.equal(built[0]);
    project.write("dist/exchange/greet.js", `exports.greet = (name) => "hi " + name;`);
    const changed = await ensureMachineImage({ projectRoot: project.root, repository: machineRepo, base });
    built.push(changed.ref);
    expect(changed.source).to.equal("built");
    expect(changed.ref).not.to.equal(first.ref);
  });

  test("the fault-proxy image runs its entry with --host 0.0.0.0 --port 8474", async () => {
    const image = await ensureFaultProxyImage({ projectRoot: project.root, repository: proxyRepo, base });
    built.push(image.ref);
    expect(image.packages).to.deep.equal([]);
    expect((await engine.docker.getImage(image.ref).inspect()).Config.Labels).to.deep.include({
      [LABEL_KIND]: "faultproxy",
    });
    const proxy = await new GenericContainer(image.ref)
      .withExposedPorts(8474)
      .withLabels(runLabels(runId))
      .withWaitStrategy(Wait.forLogMessage("proxy API up"))
      .withStartupTimeout(20_000)
      .start();
    expect(await getJson(proxy, 8474)).to.deep.equal(["--host", "0.0.0.0", "--port", "8474"]);
  });

  test("two builds of the same new content at once: one builds, the other waits and reuses it", async () => {
    project.write("dist/machine/extra.js", "exports.x = 2;");
    const [a, b] = await Promise.all([
      ensureMachineImage({ projectRoot: project.root, repository: machineRepo, base }),
      ensureMachineImage({ projectRoot: project.root, repository: machineRepo, base }),
    ]);
    built.push(a.ref);
    expect([a.source, b.source].sort()).to.deep.equal(["built", "local"]);
    expect(a.id).to.equal(b.id);
  });
});
