import { after, before, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { cleanImages, describeImageClean } from "./clean";
import {
  type BaseImage,
  ensureBaseImage,
  type Engine,
  getEngine,
  type ImageRepositories,
  LABEL_BASE,
  LABEL_HASH,
  LABEL_KIND,
  removeRun,
  runLabels,
} from "./container";
import { labelledImage, localTags, removeImages, testId } from "./container/docker-test-kit";

describe("exlab clean --images, against the engine", { timeout: 120_000 }, () => {
  const id = testId("cleanimg");
  const repos: ImageRepositories = {
    base: `exlab-test-${id}-base`,
    machine: `exlab-test-${id}-machine`,
    faultproxy: `exlab-test-${id}-faultproxy`,
  };
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-cleanimg-state-"));
  const ref = (kind: keyof ImageRepositories, tag: string) => `${repos[kind]}:${tag}`;
  const made: string[] = [];
  let engine: Engine;
  let base: BaseImage;

  async function image(kind: keyof ImageRepositories, tag: string, labels: Record<string, string> = {}): Promise<void> {
    made.push(ref(kind, tag));
    await labelledImage(engine, base, ref(kind, tag), { [LABEL_KIND]: kind, [LABEL_HASH]: tag, ...labels });
  }
  const all = async () => [
    ...(await localTags(engine, repos.base)),
    ...(await localTags(engine, repos.machine)),
    ...(await localTags(engine, repos.faultproxy)),
  ];

  before(async () => {
    engine = await getEngine();
    base = await ensureBaseImage();
    await image("base", "old");
    await image("base", "new");
    await image("machine", "held", { [LABEL_BASE]: ref("base", "old") });
    await image("machine", "leased", { [LABEL_BASE]: ref("base", "new") });
    await image("machine", "current", { [LABEL_BASE]: ref("base", "new") });
    await image("faultproxy", "current");
    await image("machine", "hand-made", { [LABEL_KIND]: "", [LABEL_HASH]: "" });
    const held = await engine.docker.createContainer({
      Image: ref("machine", "held"),
      Cmd: ["node", "-e", "0"],
      Labels: runLabels(id),
      HostConfig: { NetworkMode: "none" },
    });
    await held.start();
    await held.wait();
    fs.mkdirSync(path.join(stateDir, "image-leases"), { recursive: true });
    fs.writeFileSync(
      path.join(stateDir, "image-leases", `${process.ppid}.json`),
      JSON.stringify({ pid: process.ppid, refs: [ref("machine", "leased")] }),
    );
  });
  after(async () => {
    if (engine) {
      await removeRun(id);
      await removeImages(engine, made);
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  test("removes every lab image, the newest too, but those a container or a live run uses (and the base of those)", async () => {
    const result = await cleanImages({ stateDir, repositories: repos });
    expect(await all()).to.deep.equal([
      ref("base", "new"),
      ref("base", "old"),
      ref("machine", "hand-made"),
      ref("machine", "held"),
      ref("machine", "leased"),
    ]);
    const { lines, problems } = describeImageClean(result);
    expect(problems).to.deep.equal([]);
    expect(lines[0]).to.match(/^images: removed 2 image\(s\), freed [\d.]+ [kMG]?B:$/);
    expect(lines.slice(1, 3).sort()).to.deep.equal([
      `  ${ref("faultproxy", "current")}`,
      `  ${ref("machine", "current")}`,
    ]);
    expect(lines.slice(3)).to.deep.equal([
      `images: kept 1 used by a container: ${ref("machine", "held")}`,
      `images: kept 1 used by a live run (--force removes them too): ${ref("machine", "leased")}`,
      `images: kept 2 base image(s) of those: ${ref("base", "new")}, ${ref("base", "old")}`,
    ]);
  });

  test("--force removes the leased one too; the one a stopped container uses stays", async () => {
    const result = await cleanImages({ stateDir, repositories: repos, force: true });
    expect(await all()).to.deep.equal([ref("base", "old"), ref("machine", "hand-made"), ref("machine", "held")]);
    expect(result.done && result.report.removed.map((r) => r.ref)).to.deep.equal([
      ref("machine", "leased"),
      ref("base", "new"),
    ]);
  });
});
