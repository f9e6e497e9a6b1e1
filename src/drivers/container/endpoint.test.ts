import { after, describe, test } from "node:test";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { EndpointInputs, parseDockerHost, pingEndpoint, resolveEndpoint } from "./endpoint";

function inputs(over: Partial<EndpointInputs> = {}, present: string[] = []): EndpointInputs {
  return {
    env: {},
    platform: "linux",
    home: "/home/u",
    uid: 1000,
    exists: (p) => present.includes(p),
    debian: true,
    inContainer: false,
    ...over,
  };
}

describe("resolveEndpoint", () => {
  test("DOCKER_HOST wins: unix, tcp (2375, or 2376 with TLS), anything else is passed through", () => {
    expect(resolveEndpoint(inputs({ env: { DOCKER_HOST: "unix:///tmp/d.sock" } }))).to.deep.include({
      kind: "unix",
      socketPath: "/tmp/d.sock",
    });
    expect(parseDockerHost("tcp://127.0.0.1")).to.deep.include({
      kind: "tcp",
      host: "127.0.0.1",
      port: 2375,
      tls: false,
    });
    expect(parseDockerHost("tcp://[::1]:1234", { DOCKER_TLS_VERIFY: "1" })).to.deep.include({
      host: "::1",
      port: 1234,
      tls: true,
    });
    expect(parseDockerHost("tcp://h", { DOCKER_TLS_VERIFY: "1" })).to.deep.include({ port: 2376 });
    expect(parseDockerHost("ssh://me@box")).to.deep.equal({ kind: "other", display: "ssh://me@box" });
  });

  test("without DOCKER_HOST, the first existing socket among root, rootless and Docker Desktop paths", () => {
    const desktop = "/home/u/.docker/run/docker.sock";
    expect(resolveEndpoint(inputs({}, [desktop, "/run/user/1000/docker.sock"]))).to.deep.include({
      socketPath: "/run/user/1000/docker.sock",
    });
    expect(resolveEndpoint(inputs({}, [desktop]))).to.deep.include({ kind: "unix", display: `unix://${desktop}` });
    expect(resolveEndpoint(inputs({}, ["/var/run/docker.sock", desktop]))).to.deep.include({
      socketPath: "/var/run/docker.sock",
    });
  });

  test("no socket anywhere: kind none, listing where it looked", () => {
    const e = resolveEndpoint(inputs({ env: { XDG_RUNTIME_DIR: "/run/x" } }));
    expect(e.kind).to.equal("none");
    expect(e.kind === "none" && e.looked).to.include.members([
      "/var/run/docker.sock",
      "/run/x/docker.sock",
      "/home/u/.docker/desktop/docker.sock",
    ]);
  });
});

describe("pingEndpoint", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-ping-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function serve(name: string, status: number): Promise<{ socketPath: string; close: () => Promise<void> }> {
    const socketPath = path.join(dir, name);
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === "/_ping" ? status : 404;
      res.end(status === 200 ? "OK" : "boom");
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return { socketPath, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  test("resolves when /_ping answers 200 on the unix socket", async () => {
    const s = await serve("ok.sock", 200);
    try {
      expect(await pingEndpoint({ kind: "unix", socketPath: s.socketPath, display: "x" }, 2000)).to.equal(true);
    } finally {
      await s.close();
    }
  });

  test("rejects with the HTTP status when the engine answers something else", async () => {
    const s = await serve("bad.sock", 500);
    try {
      await pingEndpoint({ kind: "unix", socketPath: s.socketPath, display: "x" }, 2000).then(
        () => expect.fail("resolved"),
        (err: Error) => expect(err.message).to.contain("HTTP 500"),
      );
    } finally {
      await s.close();
    }
  });

  test("rejects with the socket error when nothing is there, and resolves false for endpoints it cannot check", async () => {
    const err = await pingEndpoint(
      { kind: "unix", socketPath: path.join(dir, "absent.sock"), display: "x" },
      2000,
    ).catch((e) => e);
    expect(err).to.have.property("code", "ENOENT");
    expect(await pingEndpoint({ kind: "other", display: "ssh://x" }, 10)).to.equal(false);
    const none = await pingEndpoint({ kind: "none", display: "x", looked: ["/a", "/b"] }, 10).catch((e) => e);
    expect(none.message).to.contain("/a, /b");
  });
});
