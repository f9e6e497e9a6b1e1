import { after, before, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Logger } from "../../runs";
import { type BaseImage, ensureBaseImage } from "./base-image";
import { removeRun } from "./cleanup";
import { ContainerDriver } from "./container-driver";
import { labelledImage, localTags, removeImages, testId } from "./docker-test-kit";
import { type Engine, getEngine } from "./engine";
import { leaseDir } from "./image-leases";
import { holdImages, pruneImages } from "./image-prune";
import type { ImageRepositories } from "./image-selection";
import { LABEL_BASE, LABEL_HASH, LABEL_KIND, runLabels } from "./labels";

describe("pruning older lab images, against the engine", { timeout: 180_000 }, () => {
  const id = testId("prune");
  const repos: ImageRepositories = {
    base: `exlab-test-${id}-base`,
    machine: `exlab-test-${id}-machine`,
    faultproxy: `exlab-test-${id}-faultproxy`,
  };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-prune-state-"));
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-prune-run-"));
  const ref = (kind: keyof ImageRepositories, tag: string) => `${repos[kind]}:${tag}`;
  const made: string[] = [];
  let engine: Engine;
  let base: BaseImage;

  async function image(kind: keyof ImageRepositories, tag: string, baseTag?: string): Promise<void> {
    const labels = {
      [LABEL_KIND]: kind,
      [LABEL_HASH]: tag,
      ...(baseTag ? { [LABEL_BASE]: ref("base", baseTag) } : {}),
    };
    made.push(ref(kind, tag));
    await labelledImage(engine, base, ref(kind, tag), labels);
  }

  const remaining = async () => ({
    base: await localTags(engine, repos.base),
    machine: await localTags(engine, repos.machine),
    faultproxy: await localTags(engine, repos.faultproxy),
  });

  before(async () => {
    engine = await getEngine();
    base = await ensureBaseImage();
    // Built in this order, so created in this order: b0 oldest, m5 newest.
    for (const b of ["b0", "b1", "b2", "b3"]) await image("base", b);
    // Someone's own image FROM the lab's base, tagged into the machine repository: it carries the base's labels
    // (kind=base), not a machine's, so the lab did not build it.
    made.push(ref("machine", "hand-made"));
    await labelledImage(engine, base, ref("machine", "hand-made"), {});
    await image("machine", "m1", "b1");
    await image("faultproxy", "p1");
    await image("machine", "m2", "b2");
    await image("machine", "m3", "b0");
    await image("faultproxy", "p2");
    await image("machine", "m4", "b2");
    await image("faultproxy", "p3");
    await image("machine", "m5", "b2");
    // m1 is held by a stopped container (another run's, say); m2 is leased by a live lab process (our parent).
    const held = await engine.docker.createContainer({
      Image: ref("machine", "m1"),
      Cmd: ["node", "-e", "0"],
      Labels: runLabels(id),
      HostConfig: { NetworkMode: "none" },
    });
    await held.start();
    await held.wait();
    fs.mkdirSync(leaseDir(stateDir), { recursive: true });
    fs.writeFileSync(
      path.join(leaseDir(stateDir), `${process.ppid}.json`),
      JSON.stringify({ pid: process.ppid, refs: [ref("machine", "m2")] }),
    );
  });
  after(async () => {
    if (engine) {
      await removeRun(id);
      await removeImages(engine, made);
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  test("keep 1: what is in use, leased, held by a stopped container, the base of a kept image, and 1 more per repository stay", async () => {
    const report = await pruneImages({
      engine,
      keep: 1,
      inUse: [ref("machine", "m5"), ref("faultproxy", "p3")],
      repositories: repos,
      stateDir,
    });
    expect(report.removed).to.deep.equal([
      { ref: ref("machine", "m3"), id: report.removed[0]?.id, deleted: true },
      { ref: ref("faultproxy", "p1"), id: report.removed[1]?.id, deleted: true },
      { ref: ref("base", "b0"), id: report.removed[2]?.id, deleted: true },
    ]);
    expect(report.failed).to.deep.equal([]);
    expect(report.freedBytes).to.be.a("number");
    expect(await remaining()).to.deep.equal({
      base: [ref("base", "b1"), ref("base", "b2"), ref("base", "b3")],
      machine: [
        ref("machine", "hand-made"),
        ref("machine", "m1"),
        ref("machine", "m2"),
        ref("machine", "m4"),
        ref("machine", "m5"),
      ],
      faultproxy: [ref("faultproxy", "p2"), ref("faultproxy", "p3")],
    });
    expect(Object.fromEntries(report.kept.map((k) => [k.ref, k.reason]))).to.deep.equal({
      [ref("machine", "m5")]: "in use",
      [ref("machine", "m4")]: "recent",
      [ref("machine", "m2")]: "leased by a live run",
      [ref("machine", "m1")]: "used by a container",
      [ref("faultproxy", "p3")]: "in use",
      [ref("faultproxy", "p2")]: "recent",
      [ref("base", "b3")]: "recent",
      [ref("base", "b2")]: "base of a kept image",
      [ref("base", "b1")]: "base of a kept image",
    });
  });

  test("the driver prunes once its images are there (keepImages 0), leases them, logs what went, and the run goes on", async () => {
    const infos: string[] = [];
    const logger: Logger = {
      debug() {},
      info: (m) => infos.push(m),
      warn: (m) => infos.push(`warn: ${m}`),
      error() {},
      child: () => logger,
    };
    const driver = new ContainerDriver({
      stateDir,
      keepImages: 0,
      imageRepositories: repos,
      machineImage: async () => ref("machine", "m5"),
      reaper: false,
    });
    const run = await driver.open({
      runId: id,
      runDir,
      machines: [],
      logger,
      track() {},
      env: { EXLAB_KEEP_IMAGES: "7" },
      projectDir: runDir,
    });
    try {
      expect(await remaining()).to.deep.equal({
        base: [ref("base", "b1"), ref("base", "b2")],
        machine: [ref("machine", "hand-made"), ref("machine", "m1"), ref("machine", "m2"), ref("machine", "m5")],
        faultproxy: [],
      });
      const line = infos.find((m) => m.startsWith("Removed "));
      expect(line).to.match(
        /^Removed 4 older exlab image\(s\), freed [\d.]+ [kMG]?B, keeping 0 older per repository \(EXLAB_KEEP_IMAGES\): /,
      );
      expect(line).to.match(
        new RegExp(
          `: ${[ref("faultproxy", "p3"), ref("machine", "m4"), ref("faultproxy", "p2"), ref("base", "b3")].join(", ")}$`,
        ),
      );
      const lease = JSON.parse(fs.readFileSync(path.join(leaseDir(stateDir), `${process.pid}.json`), "utf8")) as {
        refs: string[];
      };
      expect(lease.refs).to.include(ref("machine", "m5"));
      expect(lease.refs).to.have.length(2);
      expect(infos.filter((m) => m.startsWith("warn"))).to.deep.equal([]);
    } finally {
      await run.close();
    }
  });

  test("holding images leases them for this process and names those no longer local (to be ensured again)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-hold-"));
    try {
      const missing = await holdImages(engine, dir, [ref("machine", "m5"), ref("machine", "m3")]);
      expect(missing).to.deep.equal([ref("machine", "m3")]);
      const lease = JSON.parse(fs.readFileSync(path.join(leaseDir(dir), `${process.pid}.json`), "utf8")) as {
        refs: string[];
      };
      expect(lease.refs).to.deep.equal([ref("machine", "m3"), ref("machine", "m5")]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
