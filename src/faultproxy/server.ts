import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiListener } from "./api/api";
import { proxyJson, type ProxyJson } from "./api/serialize";
import { joinHostPort, listenLikeGo } from "./listen-address";
import { silentLogger, type FaultProxyLogger } from "./logger";
import { ProxyCollection, type ProxyConfig } from "./proxy-collection";
import { mulberry32, randomSeed, seedFrom, type Random } from "./random";
import type { StageEnv } from "./stub";

/** The Toxiproxy release whose API and behaviour this server reproduces (reported by GET /version). */
export const TOXIPROXY_VERSION = "2.12.0";

export interface FaultProxyOptions {
  /** Address of the HTTP API ("localhost" binds 127.0.0.1; "0.0.0.0" every interface). @default "127.0.0.1" */
  host?: string;
  /** Port of the HTTP API; 0 picks a free one (see `port` on the result). @default 8474 */
  port?: number;
  /** Uniform [0, 1) source for toxicity rolls, jitter and slicer sizes. @default mulberry32 seeded with `seed` */
  random?: Random;
  /** Seed of the default random source, so that a run can be replayed. @default a fresh random seed */
  seed?: number | bigint | string;
  /** @default a logger that drops everything */
  logger?: FaultProxyLogger;
  /** Version string served by GET /version. @default TOXIPROXY_VERSION */
  version?: string;
  /** Monotonic clock in ms that stamps chunks and times toxics. @default performance.now */
  now?: () => number;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** Base URL of the API, e.g. "http://127.0.0.1:8474" (loopback when bound to every interface). */
  readonly url: string;
  /** Bound API address as Go prints it, e.g. "127.0.0.1:8474" or "[::]:8474". */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** Seed of the random source (undefined when `random` was injected). */
  readonly seed: string | undefined;
  /**
   * Creates or replaces proxies as POST /populate does. Rejects with a FaultProxyError on the first failure;
   * entries before it stay applied.
   */
  populate(config: readonly ProxyConfig[]): Promise<ProxyJson[]>;
  /** Stops every proxy (closing their connections) and the API. */
  close(): Promise<void>;
}

/** Starts a Toxiproxy-compatible server in this process. Resolves once the API listens. */
export async function startFaultProxy(options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const seed = options.random ? undefined : String(options.seed ?? randomSeed());
  const random = options.random ?? mulberry32(seedFrom(seed as string));
  const logger = options.logger ?? silentLogger;
  const env: StageEnv = {
    random,
    now: options.now ?? (() => performance.now()),
    onPipeError: (err) => logger.error({ err }, "Toxic failed; closing its stream"),
  };
  const proxies = new ProxyCollection(env, logger);
  const http = createServer(createApiListener(proxies, options.version ?? TOXIPROXY_VERSION, logger));
  http.keepAliveTimeout = 60_000;
  const address = await listenLikeGo(http, joinHostPort(options.host ?? "127.0.0.1", options.port ?? 8474));
  const bound = http.address() as AddressInfo;
  const wildcard = bound.address === "::" || bound.address === "0.0.0.0";
  const urlHost = wildcard ? "127.0.0.1" : bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  logger.info({ address, seed }, "Started fault proxy API");
  return {
    url: `http://${urlHost}:${bound.port}`,
    address,
    host: bound.address,
    port: bound.port,
    seed,
    async populate(config) {
      const outcome = await proxies.populate(config);
      if (outcome.error) throw outcome.error;
      return outcome.proxies.map(proxyJson);
    },
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await proxies.clear();
      await closed;
      logger.info({ address }, "Stopped fault proxy API");
    },
  };
}
