import { ContainerRuntimeClient, getContainerRuntimeClient } from "testcontainers";
import { REAPER_IMAGE } from "testcontainers/build/reaper/reaper";
import {
  defaultEndpointInputs,
  DockerEndpoint,
  EndpointInputs,
  engineGet,
  pingEndpoint,
  resolveEndpoint,
} from "./endpoint";
import path from "node:path";
import { packageRoot } from "../../runs";
import { EngineHostUnknownError, EngineUnavailableError } from "./errors";
import { BridgeInfo, decideHost } from "./host";
import { messageOf } from "../../common";

/** The dockerode client testcontainers uses (no direct dependency on dockerode). */
export type Docker = ContainerRuntimeClient["container"]["dockerode"];

export interface EngineInfo {
  /** Where the engine answered, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  serverVersion: string;
  operatingSystem: string;
  architecture: string;
  /** True when testcontainers' reaper (ryuk) is off: the lab removes what it creates itself. */
  ryukDisabled: boolean;
}

/** A live engine: testcontainers' runtime client, its dockerode, and what the engine said about itself. */
export interface Engine {
  client: ContainerRuntimeClient;
  docker: Docker;
  info: EngineInfo;
}

export interface CheckEngineOptions {
  /** How long the first answer may take. @default 5000 */
  timeoutMs?: number;
  /**
   * Environment, platform and filesystem probes used to find the engine; TESTCONTAINERS_RYUK_DISABLED and
   * TESTCONTAINERS_HOST_OVERRIDE are written to its `env` (testcontainers reads process.env). @default the real ones
   */
  inputs?: EndpointInputs;
}

/**
 * Makes sure a Docker engine answers, and that using testcontainers afterwards pulls nothing nobody asked for:
 * sets TESTCONTAINERS_RYUK_DISABLED=true when the ryuk image is not local, and TESTCONTAINERS_HOST_OVERRIDE
 * when testcontainers would otherwise run alpine:3.14 to find the host (see decideHost). Call it before any
 * other use of testcontainers in the process (testcontainers memoises its client).
 * Throws EngineUnavailableError, saying what to run, when no engine answers.
 */
export async function checkEngine(options: CheckEngineOptions = {}): Promise<Engine> {
  const inputs = options.inputs ?? defaultEndpointInputs();
  const timeoutMs = options.timeoutMs ?? 5000;
  const endpoint = resolveEndpoint(inputs);
  const unavailable = (err: unknown) =>
    new EngineUnavailableError(engineAdvice(endpoint, err, inputs), endpoint.display, { cause: err });
  try {
    await pingEndpoint(endpoint, timeoutMs);
  } catch (err) {
    throw unavailable(err);
  }
  await settleHost(endpoint, inputs, timeoutMs);
  let client: ContainerRuntimeClient;
  try {
    client = await getContainerRuntimeClient();
    await client.container.dockerode.ping();
  } catch (err) {
    throw unavailable(err);
  }
  const docker = client.container.dockerode;
  const ryukDisabled = await guardRyuk(docker, inputs.env);
  const rt = client.info.containerRuntime;
  return {
    client,
    docker,
    info: {
      endpoint: endpoint.display,
      serverVersion: String(rt.serverVersion),
      operatingSystem: rt.operatingSystem,
      architecture: rt.architecture,
      ryukDisabled,
    },
  };
}

let shared: Promise<Engine> | undefined;

/** checkEngine() once per process; a failure is not remembered, so the next call tries again. */
export function getEngine(): Promise<Engine> {
  if (!shared) {
    shared = checkEngine();
    shared.catch(() => (shared = undefined));
  }
  return shared;
}

async function settleHost(endpoint: DockerEndpoint, inputs: EndpointInputs, timeoutMs: number): Promise<void> {
  let bridge: BridgeInfo | undefined;
  if (inputs.env.TESTCONTAINERS_HOST_OVERRIDE === undefined && inputs.inContainer && endpoint.kind === "unix") {
    const res = await engineGet(endpoint, "/networks/bridge", timeoutMs);
    if (res.status === 200) bridge = JSON.parse(res.body) as BridgeInfo;
  }
  const decision = decideHost({
    env: inputs.env,
    inContainer: inputs.inContainer,
    endpointKind: endpoint.kind,
    bridge,
    interfaceExists: (name) => inputs.exists(`/sys/class/net/${name}`),
  });
  if ("error" in decision) throw new EngineHostUnknownError(decision.error);
  if (decision.override) inputs.env.TESTCONTAINERS_HOST_OVERRIDE = decision.override;
}

async function guardRyuk(docker: Docker, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (env.TESTCONTAINERS_RYUK_DISABLED !== undefined) return env.TESTCONTAINERS_RYUK_DISABLED === "true";
  const present = await docker
    .getImage(REAPER_IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) return false;
  env.TESTCONTAINERS_RYUK_DISABLED = "true";
  return true;
}

/** What the user should do, given where the engine was looked for and why it did not answer. */
/** The package's engine script as the user would type it from here (docker/engine.sh in this checkout). */
function engineScript(): string {
  const script = path.join(packageRoot(), "docker", "engine.sh");
  const relative = path.relative(process.cwd(), script);
  return relative.startsWith("..") ? script : relative;
}

export function engineAdvice(endpoint: DockerEndpoint, err: unknown, inputs: EndpointInputs): string {
  const why = messageOf(err);
  const head = `No Docker engine answers at ${endpoint.display} (${why}).`;
  const tail = "The container driver needs one; the process driver (--driver processes) does not.";
  const code = (err as { code?: string } | undefined)?.code;
  let todo: string;
  if (code === "EACCES") {
    todo = `The socket exists but this user may not use it: add the user to the docker group (sudo usermod -aG docker "$USER", then log in again) or run as root.`;
  } else if (inputs.env.DOCKER_HOST?.trim()) {
    todo = `DOCKER_HOST=${inputs.env.DOCKER_HOST} is set: start the engine it points at, or unset DOCKER_HOST to use the local one.`;
  } else if (inputs.platform === "darwin" || inputs.platform === "win32") {
    todo = "Start Docker Desktop (or another engine such as Colima) and try again.";
  } else if (inputs.debian && inputs.uid === 0) {
    todo = `Run \`bash ${engineScript()}\`: it installs docker.io if needed, starts dockerd and waits until it answers.`;
  } else if (inputs.debian) {
    todo = `Run \`sudo bash ${engineScript()}\` (installs docker.io if needed and starts dockerd), or start Docker: \`sudo systemctl start docker\`.`;
  } else {
    todo = "Install Docker with your distribution's packages and start dockerd (e.g. `sudo systemctl start docker`).";
  }
  return `${head} ${todo} ${tail}`;
}
