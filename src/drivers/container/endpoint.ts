import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

/** Where the Docker engine is expected, as DOCKER_HOST or the usual socket paths say. */
export type DockerEndpoint =
  | { kind: "unix"; socketPath: string; display: string }
  | { kind: "tcp"; host: string; port: number; tls: boolean; display: string }
  | { kind: "other"; display: string }
  | { kind: "none"; display: string; looked: string[] };

/** What the endpoint resolution reads; injectable for tests. */
export interface EndpointInputs {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  uid: number;
  exists: (p: string) => boolean;
  /** Debian or a derivative (apt-get, /etc/debian_version): docker/engine.sh can install the engine. */
  debian: boolean;
  /** A /.dockerenv file exists: testcontainers then believes it runs inside a container. */
  inContainer: boolean;
}

export function defaultEndpointInputs(): EndpointInputs {
  return {
    env: process.env,
    platform: process.platform,
    home: os.homedir(),
    uid: typeof process.getuid === "function" ? process.getuid() : -1,
    exists: (p) => fs.existsSync(p),
    debian: fs.existsSync("/etc/debian_version"),
    inContainer: fs.existsSync("/.dockerenv"),
  };
}

/** Resolves DOCKER_HOST, else the first existing of the usual socket paths (root, rootless, Docker Desktop). */
export function resolveEndpoint(inputs: EndpointInputs = defaultEndpointInputs()): DockerEndpoint {
  const host = inputs.env.DOCKER_HOST?.trim();
  if (host) return parseDockerHost(host, inputs.env);
  if (inputs.platform === "win32") return { kind: "other", display: "npipe:////./pipe/docker_engine" };
  const looked = [
    "/var/run/docker.sock",
    inputs.env.XDG_RUNTIME_DIR ? path.join(inputs.env.XDG_RUNTIME_DIR, "docker.sock") : "",
    inputs.uid >= 0 ? `/run/user/${inputs.uid}/docker.sock` : "",
    path.join(inputs.home, ".docker", "run", "docker.sock"),
    path.join(inputs.home, ".docker", "desktop", "docker.sock"),
  ].filter((p, i, all) => p !== "" && all.indexOf(p) === i);
  const found = looked.find((p) => inputs.exists(p));
  if (found) return { kind: "unix", socketPath: found, display: `unix://${found}` };
  return { kind: "none", display: "unix:///var/run/docker.sock", looked };
}

export function parseDockerHost(host: string, env: NodeJS.ProcessEnv = {}): DockerEndpoint {
  if (host.startsWith("unix://")) return { kind: "unix", socketPath: host.slice("unix://".length), display: host };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (tcp) {
    const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" && env.DOCKER_TLS_VERIFY !== "0";
    const port = tcp[2] ? Number(tcp[2]) : tls ? 2376 : 2375;
    return { kind: "tcp", host: tcp[1].replace(/^\[|\]$/g, ""), port, tls, display: host };
  }
  return { kind: "other", display: host };
}

/**
 * GET /_ping on a unix or plain-tcp endpoint; resolves when the engine answers "OK", rejects with the socket
 * or HTTP error otherwise. Endpoints it cannot speak to directly (TLS, ssh, npipe) resolve `false` (unchecked).
 */
export async function pingEndpoint(endpoint: DockerEndpoint, timeoutMs: number): Promise<boolean> {
  if (endpoint.kind === "none") throw new Error(`no Docker socket found (looked at ${endpoint.looked.join(", ")})`);
  if (!speaksPlainHttp(endpoint)) return false;
  const res = await engineGet(endpoint, "/_ping", timeoutMs);
  if (res.status !== 200) throw new Error(`engine answered /_ping with HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  return true;
}

export function speaksPlainHttp(
  endpoint: DockerEndpoint,
): endpoint is Extract<DockerEndpoint, { kind: "unix" | "tcp" }> {
  return endpoint.kind === "unix" || (endpoint.kind === "tcp" && !endpoint.tls);
}

/** One GET on the engine's API over a unix socket or plain TCP: status and body. */
export function engineGet(
  endpoint: Extract<DockerEndpoint, { kind: "unix" | "tcp" }>,
  apiPath: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const target =
    endpoint.kind === "unix" ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
  return new Promise((resolve, reject) => {
    const req = http.get({ ...target, path: apiPath, timeout: timeoutMs, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${endpoint.display} within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}
