import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { BASE_REPOSITORY, ensureBaseImage, imageId, publicBaseImage } from "./base-image";
import { imageEventsSince, removeImages, runToExit, testId } from "./docker-test-kit";
import { Engine, getEngine } from "./engine";
import { BaseImageUnavailableError } from "./errors";
import { LABEL_KIND } from "./labels";

describe("base image (Linux host: the host's node, imported offline)", { timeout: 120_000 }, () => {
  const repository = testId("exlab-test-base");
  const runId = testId("base");
  let engine: Engine;
  const started = Date.now();
  before(async () => {
    engine = await getEngine();
  });
  after(async () => {
    if (!engine) return;
    const images = await engine.docker.listImages({ filters: { reference: [repository] } });
    await removeImages(
      engine,
      images.flatMap((i) => i.RepoTags ?? []),
    );
  });

  test("builds as <repo>:<hash> labelled base, without any pull, then reuses it", async () => {
    const built = await ensureBaseImage({ repository });
    expect(built.source).to.equal("built");
    expect(built.ref).to.match(new RegExp(`^${repository}:[0-9a-f]{16}$`));
    const inspect = await engine.docker.getImage(built.ref).inspect();
    expect(inspect.Config.Labels?.[LABEL_KIND]).to.equal("base");
    const again = await ensureBaseImage({ repository });
    expect(again).to.deep.include({ ref: built.ref, id: built.id, source: "local", buildMs: 0 });
    const events = await imageEventsSince(engine, started);
    expect(events.map((e) => e.action)).to.include("import");
    expect(events.filter((e) => e.action === "pull")).to.deep.equal([]);
  });

  test("a container of it, with no network at all, runs `node -e` and prints the host's node version", async () => {
    const { ref } = await ensureBaseImage({ repository });
    const r = await runToExit(
      engine,
      ref,
      ["node", "-e", "console.log(process.version, require('os').userInfo().username)"],
      { runId, user: "1000:1000" },
    );
    expect(r).to.deep.equal({ code: 0, output: `${process.version} node\n` });
  });

  test("the default repository is exlab-base, and the public node image is only used when present", async () => {
    expect(BASE_REPOSITORY).to.equal("exlab-base");
    const ref = publicBaseImage();
    expect(ref).to.equal(`node:${process.versions.node.split(".")[0]}-slim`);
    if ((await imageId(engine, ref)) === undefined) {
      const err = await ensureBaseImage({ platform: "darwin", env: {} }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BaseImageUnavailableError);
      expect((err as Error).message).to.contain(`docker pull ${ref}`);
      expect(await imageId(engine, ref)).to.equal(undefined);
    } else {
      expect(await ensureBaseImage({ platform: "darwin", env: {} })).to.deep.include({ ref, source: "local" });
    }
  });

  test("LAB_BASE_IMAGE names an image that is local: used as is", async () => {
    const { ref, id } = await ensureBaseImage({ repository });
    expect(await ensureBaseImage({ env: { LAB_BASE_IMAGE: ref } })).to.deep.equal({
      ref,
      id,
      source: "local",
      buildMs: 0,
    });
  });

  test("LAB_BASE_IMAGE absent locally is pulled as asked; a failed pull (here a closed loopback registry) is a clear error", async () => {
    const ref = "127.0.0.1:1/exlab/absent:1";
    const err = await ensureBaseImage({ env: { LAB_BASE_IMAGE: ref } }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BaseImageUnavailableError);
    expect((err as Error).message).to.contain(`LAB_BASE_IMAGE=${ref} is not present locally and pulling it failed`);
    expect((err as Error).cause).to.be.instanceOf(Error);
  });
});
