import { describe, test } from "node:test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { silentLogger } from "../../runs";
import { createDriver } from "..";
import { ContainerDriver } from "./container-driver";
import { exitInfoOf } from "./machine-state";
import { checkEngine } from "./engine";
import { defaultEndpointInputs } from "./endpoint";
import { EngineUnavailableError, InvalidKeepImagesError } from "./errors";
import { faultProxyAlias } from "./faultproxy-container";
import { dockerSince, stampNanos } from "./log-tail";
import { PROJECT_ROOT } from "./base-image";

describe("container driver: pure parts", () => {
  test("docker's `since` from RFC 3339 keeps nanoseconds", () => {
    expect(dockerSince("2024-05-01T10:00:00.123456789Z")).to.equal("1714557600.123456789");
    expect(dockerSince("2024-05-01T10:00:00.5Z")).to.equal("1714557600.500000000");
    expect(dockerSince("2024-05-01T10:00:00Z")).to.equal("1714557600.000000000");
    expect(dockerSince("2024-05-01T12:00:00.25+02:00")).to.equal("1714557600.250000000");
    expect(() => dockerSince("yesterday")).to.throw(/RFC 3339/);
  });

  test("log timestamps order by nanoseconds, not by string", () => {
    expect(stampNanos("2024-05-01T10:00:00.9Z") > stampNanos("2024-05-01T10:00:00.123456789Z")).to.equal(true);
    expect(stampNanos("2024-05-01T10:00:01Z") - stampNanos("2024-05-01T10:00:00.999999999Z")).to.equal(1n);
  });

  test("a container's exit status reads as code or signal", () => {
    expect(exitInfoOf(137)).to.deep.equal({ code: null, signal: "SIGKILL" });
    expect(exitInfoOf(143)).to.deep.equal({ code: null, signal: "SIGTERM" });
    expect(exitInfoOf(0)).to.deep.equal({ code: 0, signal: null });
    expect(exitInfoOf(2)).to.deep.equal({ code: 2, signal: null });
    expect(exitInfoOf(undefined)).to.deep.equal({ code: null, signal: null });
  });

  test("the fault proxy's alias never collides with a machine's", () => {
    expect(faultProxyAlias(["alpha", "beta"])).to.equal("faultproxy");
    expect(faultProxyAlias(["faultproxy", "faultproxy-2"])).to.equal("faultproxy-3");
  });

  test("`containers` selects this driver", () => {
    expect(createDriver("containers")).to.be.instanceOf(ContainerDriver);
    expect(createDriver("containers").name).to.equal("containers");
  });
});

describe("container driver without an engine", () => {
  const noEngine = () =>
    checkEngine({
      timeoutMs: 1000,
      inputs: { ...defaultEndpointInputs(), env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } },
    });

  test("open() fails with EngineUnavailableError saying what to do, before touching anything", async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-noengine-"));
    const tracked: (number | string)[] = [];
    const driver = new ContainerDriver({ engine: noEngine, reaper: false });
    const err = await driver
      .open({
        runId: "no-engine",
        runDir,
        machines: [{ name: "alpha", index: 1, ports: [11111] }],
        logger: silentLogger,
        env: {},
        projectDir: runDir,
        track: (_k, _n, id) => tracked.push(id),
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    fs.rmSync(runDir, { recursive: true, force: true });
    expect(err).to.be.instanceOf(EngineUnavailableError);
    expect(err).to.have.property("code", "ENGINE_UNAVAILABLE");
    expect((err as Error).message).to.match(/^No Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock/);
    expect((err as Error).message).to.include("--driver processes");
    expect(tracked).to.deep.equal([]);
  });

  test("open() refuses a bad EXLAB_KEEP_IMAGES before asking for the engine", async () => {
    let asked = false;
    const driver = new ContainerDriver({ engine: () => ((asked = true), noEngine()), reaper: false });
    const err = await driver
      .open({
        runId: "bad-keep",
        runDir: os.tmpdir(),
        machines: [],
        logger: silentLogger,
        env: { EXLAB_KEEP_IMAGES: "few" },
        projectDir: os.tmpdir(),
        track: () => {},
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(InvalidKeepImagesError);
    expect((err as Error).message).to.equal(
      'EXLAB_KEEP_IMAGES="few" is not usable: give how many older image tags to keep per repository (a whole number, e.g. 2; 0 keeps none) or `all` to never remove any',
    );
    expect(asked).to.equal(false);
  });

  test("`exlab up --driver containers` prints the explanation, not a socket error, and exits 1", () => {
    const topology = path.join(PROJECT_ROOT, "topologies", "three-machine-mesh.yaml");
    const r = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, "bin", "exlab.js"), "up", topology, "--driver", "containers"],
      {
        env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock" },
        input: "",
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(
      /exlab: No Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock \(connect ENOENT[^)]*\)\. DOCKER_HOST=/,
    );
    expect(r.stderr).to.not.match(/\n\s+at /);
  });
});
