import { ContainerRuntimeClient, getContainerRuntimeClient } from "testcontainers";
import { REAPER_IMAGE } from "testcontainers/build/reaper/reaper";
import { defaultEndpointInputs, DockerEndpoint, EndpointInputs, pingEndpoint, resolveEndpoint } from "./endpoint";
import { EngineUnavailableError } from "./errors";

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
  /** Environment, platform and filesystem probes used to find the engine. @default the real ones */
  inputs?: EndpointInputs;
}

/**
 * Makes sure a Docker engine answers and that using testcontainers will not start ryuk when the ryuk image is
 * not already local (a pull nobody asked for): in that case sets TESTCONTAINERS_RYUK_DISABLED=true.
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

async function guardRyuk(docker: Docker, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (env.TESTCONTAINERS_RYUK_DISABLED !== undefined) return env.TESTCONTAINERS_RYUK_DISABLED === "true";
  const present = await docker
    .getImage(REAPER_IMAGE)
    .inspect()
    .then(() => true, () => false);
  if (present) return false;
  env.TESTCONTAINERS_RYUK_DISABLED = "true";
  return true;
}

/** What the user should do, given where the engine was looked for and why it did not answer. */
export function engineAdvice(endpoint: DockerEndpoint, err: unknown, inputs: EndpointInputs): string {
  const why = err instanceof Error ? err.message : String(err);
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
    todo = "Run `bash docker/engine.sh`: it installs docker.io if needed, starts dockerd and waits until it answers.";
  } else if (inputs.debian) {
    todo = "Run `sudo bash docker/engine.sh` (installs docker.io if needed and starts dockerd), or start Docker: `sudo systemctl start docker`.";
  } else {
    todo = "Install Docker with your distribution's packages and start dockerd (e.g. `sudo systemctl start docker`).";
  }
  return `${head} ${todo} ${tail}`;
}
