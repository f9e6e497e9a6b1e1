import { Wait } from "testcontainers";
import { messageOf } from "../../common";
import { ProxyServerError } from "../errors";
import type { Engine } from "./engine";
import { imageId } from "./base-image";
import { LABEL_KIND, runLabels } from "./labels";
import { LabContainer, PUBLISH_HOST } from "./lab-container";
import { LogTail } from "./log-tail";
import type { RunNetwork } from "./network";

/** Where the real Toxiproxy is published; used when one of its images is already local. */
export const TOXIPROXY_REPOSITORY = "ghcr.io/shopify/toxiproxy";
/** The API port of our fault proxy and of Toxiproxy. */
export const PROXY_API_PORT = 8474;

/** Which image serves the run's proxies, and why. */
export interface FaultProxyImageChoice {
  ref: string;
  kind: "exlab" | "toxiproxy";
  /** True only when TOXIPROXY_IMAGE names an image that is not local: the one pull the lab allows. */
  mayPull: boolean;
  reason: string;
}

/**
 * `TOXIPROXY_IMAGE` when set (pulled if absent: the user asked for it); else a local image of
 * ghcr.io/shopify/toxiproxy (":latest" first); else ours, from `ours()` (ensureFaultProxyImage).
 */
export async function chooseFaultProxyImage(
  engine: Engine,
  env: NodeJS.ProcessEnv,
  ours: () => Promise<string>,
): Promise<FaultProxyImageChoice> {
  const asked = env.TOXIPROXY_IMAGE?.trim();
  if (asked) {
    const local = (await imageId(engine, asked)) !== undefined;
    return {
      ref: asked,
      kind: "toxiproxy",
      mayPull: !local,
      reason: `TOXIPROXY_IMAGE=${asked}${local ? "" : " (not local: pulling it)"}`,
    };
  }
  const images = (await engine.docker.listImages({ filters: { reference: [TOXIPROXY_REPOSITORY] } })) as {
    RepoTags?: string[] | null;
    Created: number;
  }[];
  const tags = images
    .sort((a, b) => b.Created - a.Created)
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`${TOXIPROXY_REPOSITORY}:`));
  const tag = tags.find((t) => t.endsWith(":latest")) ?? tags[0];
  if (tag) return { ref: tag, kind: "toxiproxy", mayPull: false, reason: `${tag} is present locally` };
  return { ref: await ours(), kind: "exlab", mayPull: false, reason: "our fault-proxy image" };
}

export interface FaultProxyContainerOptions {
  engine: Engine;
  image: FaultProxyImageChoice;
  network: RunNetwork;
  runId: string;
  /** The network alias machines dial proxies at. */
  alias: string;
  logFile: string;
  /** @default 20000 */
  readyTimeoutMs?: number;
}

/** The run's Toxiproxy-compatible server as a container on the run's network, its API on 127.0.0.1:<mapped>. */
export interface FaultProxyContainer {
  url: string;
  alias: string;
  id: string;
  image: FaultProxyImageChoice;
  logs(lines?: number): string[];
  closeLog(): void;
}

export async function startFaultProxyContainer(options: FaultProxyContainerOptions): Promise<FaultProxyContainer> {
  const { engine, image } = options;
  if (!image.mayPull && (await imageId(engine, image.ref)) === undefined) {
    throw new ProxyServerError(
      `the fault-proxy image ${image.ref} is not present locally; not starting it, to avoid a pull`,
    );
  }
  const tail = new LogTail(engine.docker, { logFile: options.logFile });
  let id: string | undefined;
  const container = new (class extends LabContainer {
    protected override async containerCreated(containerId: string): Promise<void> {
      id = containerId;
    }
    protected override async containerStarting(): Promise<void> {
      await tail.follow(engine.docker.getContainer(id!));
    }
  })(image.ref)
    .withName(`exlab-${options.runId}-faultproxy`)
    .withNetworkMode(options.network.name)
    .withNetworkAliases(options.alias)
    .withLabels(runLabels(options.runId, { [LABEL_KIND]: "faultproxy" }))
    .withExposedPorts(PROXY_API_PORT)
    .withWaitStrategy(
      Wait.forHttp("/version", PROXY_API_PORT, { abortOnContainerExit: true }).forStatusCode(200).withReadTimeout(250),
    )
    .withStartupTimeout(options.readyTimeoutMs ?? 20000);
  if (image.mayPull) container.withPullAllowed();
  if (image.kind === "toxiproxy") container.withCommand(["-host=0.0.0.0", `-port=${PROXY_API_PORT}`]);
  try {
    const started = await container.start();
    return {
      url: `http://${PUBLISH_HOST}:${started.getMappedPort(PROXY_API_PORT)}`,
      alias: options.alias,
      id: started.getId(),
      image,
      logs: (n) => tail.lines(n),
      closeLog: () => tail.close(),
    };
  } catch (err) {
    if (id)
      await engine.docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => {});
    tail.close();
    const lines = tail.lines(10);
    throw new ProxyServerError(
      `the fault-proxy container (${image.ref}) did not start: ${messageOf(err)}${lines.length ? `\n    ${lines.join("\n    ")}` : ""}`,
      { cause: err },
    );
  }
}

/** A network alias for the fault proxy that no machine uses. */
export function faultProxyAlias(machines: readonly string[]): string {
  let alias = "faultproxy";
  for (let i = 2; machines.includes(alias); i++) alias = `faultproxy-${i}`;
  return alias;
}
