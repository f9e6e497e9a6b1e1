import { after, describe, test } from "node:test";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { EndpointInputs } from "./endpoint";
import { checkEngine, engineAdvice } from "./engine";
import { EngineUnavailableError } from "./errors";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-engine-"));

/** A unix socket path whose listener was SIGKILLed: the file stays, nothing accepts. */
async function staleSocket(): Promise<string> {
  const socketPath = path.join(dir, "stale.sock");
  const child = spawn(process.execPath, [
    "-e",
    `require("net").createServer().listen(${JSON.stringify(socketPath)}, () => console.log("up"))`,
  ]);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`listener exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return socketPath;
}

describe("checkEngine without an engine", () => {
  const saved = process.env.DOCKER_HOST;
  after(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("DOCKER_HOST at a closed unix socket under /tmp: EngineUnavailableError saying what to run", async () => {
    const socketPath = await staleSocket();
    expect(fs.existsSync(socketPath)).to.equal(true);
    process.env.DOCKER_HOST = `unix://${socketPath}`;
    const err = await checkEngine({ timeoutMs: 2000 }).then(
      () => expect.fail("resolved"),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(EngineUnavailableError);
    const e = err as EngineUnavailableError;
    expect(e.code).to.equal("ENGINE_UNAVAILABLE");
    expect(e.endpoint).to.equal(`unix://${socketPath}`);
    expect(e.cause).to.have.property("code", "ECONNREFUSED");
    expect(e.message).to.contain(`No Docker engine answers at unix://${socketPath}`);
    expect(e.message).to.contain("unset DOCKER_HOST");
    expect(e.message).to.contain("--driver processes");
  });

  test("no socket at all on Debian as root: the message says to run docker/engine.sh", async () => {
    const inputs: EndpointInputs = {
      env: {},
      platform: "linux",
      home: dir,
      uid: 0,
      exists: () => false,
      debian: true,
      inContainer: false,
    };
    const err = (await checkEngine({ inputs }).catch((e: unknown) => e)) as EngineUnavailableError;
    expect(err).to.be.instanceOf(EngineUnavailableError);
    expect(err.message).to.contain("Run `bash docker/engine.sh`");
    expect(err.message).to.contain("/var/run/docker.sock");
    expect(err.cause).to.be.instanceOf(Error);
  });
});

describe("engineAdvice", () => {
  const base: EndpointInputs = {
    env: {},
    platform: "linux",
    home: "/h",
    uid: 1000,
    exists: () => false,
    debian: true,
    inContainer: false,
  };
  const at = { kind: "unix" as const, socketPath: "/var/run/docker.sock", display: "unix:///var/run/docker.sock" };

  test("names the fix for each situation", () => {
    const denied = Object.assign(new Error("connect EACCES"), { code: "EACCES" });
    expect(engineAdvice(at, denied, base)).to.contain("docker group");
    expect(engineAdvice(at, new Error("x"), base)).to.contain("sudo bash docker/engine.sh");
    expect(engineAdvice(at, new Error("x"), { ...base, platform: "darwin" })).to.contain("Start Docker Desktop");
    expect(engineAdvice(at, new Error("x"), { ...base, debian: false })).to.contain("systemctl start docker");
    expect(engineAdvice(at, new Error("connect ENOENT"), base)).to.contain("(connect ENOENT)");
  });
});
