import { describe, test } from "node:test";
import fs from "node:fs";
import { expect } from "chai";
import { REAPER_IMAGE } from "testcontainers/build/reaper/reaper";
import { checkEngine, getEngine } from "./engine";

describe("checkEngine with the engine up", () => {
  test("answers with the engine's version and endpoint", async () => {
    const engine = await checkEngine();
    expect(engine.info.serverVersion).to.match(/^\d+\.\d+/);
    expect(engine.info.endpoint).to.match(/^(unix|tcp|npipe|ssh):\/\//);
    expect(await engine.docker.ping()).to.satisfy((r: unknown) => String(r) === "OK");
    expect(await getEngine()).to.have.nested.property("info.serverVersion", engine.info.serverVersion);
  });

  test("ryuk stays off unless its image is already local (no pull nobody asked for)", async () => {
    const { docker, info } = await checkEngine();
    const ryukLocal = await docker
      .getImage(REAPER_IMAGE)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (!ryukLocal) {
      expect(process.env.TESTCONTAINERS_RYUK_DISABLED).to.equal("true");
      expect(info.ryukDisabled).to.equal(true);
    } else {
      expect(info.ryukDisabled).to.equal(process.env.TESTCONTAINERS_RYUK_DISABLED === "true");
    }
  });
});

describe("checkEngine settles testcontainers' host before testcontainers looks for one", () => {
  test("inside a /.dockerenv sandbox with the engine's bridge local, published ports are reached on 127.0.0.1", async (t) => {
    const { client } = await checkEngine();
    const inSandbox = fs.existsSync("/.dockerenv") && fs.existsSync("/sys/class/net/docker0");
    if (inSandbox) expect(client.info.containerRuntime.host).to.equal("127.0.0.1");
    else expect(client.info.containerRuntime.host).to.be.a("string").and.not.equal("");
    t.diagnostic(`host: ${client.info.containerRuntime.host}`);
  });
});
