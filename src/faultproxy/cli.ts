import { InvalidArgumentError, type Command } from "commander";
import pino from "pino";
import { loadProxyConfig } from "./config";
import type { FaultProxyLogger } from "./logger";
import { startFaultProxy, TOXIPROXY_VERSION, type FaultProxy } from "./server";

/** Options of `exlab proxy` and of the standalone entry point (toxiproxy-server's flags). */
export interface ServeOptions {
  /** @default "127.0.0.1" (toxiproxy-server's "localhost" binds the same address) */
  host: string;
  /** @default 8474 */
  port: number;
  /** Toxiproxy JSON config file to populate from at start. */
  config?: string;
  /** Seed for toxic randomness. @default a fresh seed, printed */
  seed?: string;
}

/** Matches the line printed once the API listens; group 1 is the API's base URL. */
export const LISTENING_PATTERN = /listening on (http:\/\/\S+)/;

/** Declares --host, --port, --config and --seed on a commander command. */
export function addServeOptions(command: Command): Command {
  return command
    .option("--host <host>", "address the API listens on", "127.0.0.1")
    .option("--port <port>", "port the API listens on (0 = any free port)", parsePortOption, 8474)
    .option("--config <file>", "JSON file of proxies to create on start-up")
    .option(
      "--seed <n>",
      "seed for toxic randomness (replays jitter, slicer sizes and toxicity rolls)",
      parseSeedOption,
    );
}

function parsePortOption(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError("expected a port number 0..65535");
  return Number(value);
}

function parseSeedOption(value: string): string {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError("expected an integer");
  return value;
}

/** A pino logger on stderr; LOG_LEVEL (trace|debug|info|warn|error) picks the level. @default info */
export function consoleLogger(level = process.env.LOG_LEVEL): FaultProxyLogger {
  const known = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
  const chosen = level && known.includes(level.toLowerCase()) ? level.toLowerCase() : "info";
  const logger = pino({ level: chosen, base: { component: "fault-proxy" } }, pino.destination({ dest: 2, sync: true }));
  if (level && chosen !== level.toLowerCase()) logger.warn({ LOG_LEVEL: level }, "unknown LOG_LEVEL value; using info");
  return logger;
}

/**
 * Starts the server as toxiproxy-server does: populate from `config` (failures are logged, the server keeps
 * running), then print one line matching LISTENING_PATTERN.
 */
export async function serveFaultProxy(
  options: ServeOptions,
  print: (line: string) => void,
  logger: FaultProxyLogger = consoleLogger(),
): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ host: options.host, port: options.port, seed: options.seed, logger });
  if (options.config) {
    try {
      const proxies = await proxy.populate(await loadProxyConfig(options.config));
      logger.info({ config: options.config, proxies: proxies.length }, "Populated proxies from file");
    } catch (err) {
      logger.error({ config: options.config, err }, "Failed to populate proxies from file");
    }
  }
  print(`Fault proxy (Toxiproxy ${TOXIPROXY_VERSION} API) listening on ${proxy.url} (seed ${proxy.seed})`);
  return proxy;
}

/** Resolves with the first SIGINT or SIGTERM. */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
