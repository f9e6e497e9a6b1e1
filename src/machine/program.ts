import pino from "pino";
import { ExchangeNode, type ExchangeLogger, type Timing } from "../exchange";
import { ProgramConfigError } from "./errors";
import { HostChannel } from "./host-channel";
import { errorPayload } from "./host-errors";
import { HOST_SPEC_ENV } from "./ipc";
import type { EndpointSpec, HostSpec } from "./spec";

/** One exchange endpoint of a program's own configuration (at most one per exchange group). */
export interface ProgramEndpoint {
  /** Exchange group: "" (the default group) or a name. @default "" */
  group?: string;
  /** Makes it a server endpoint listening on this port (on `host`, default all addresses). */
  listen?: number | { port: number; host?: string };
  /** Endpoints to dial, each with a persistent dialler. */
  connect?: { host: string; port: number }[];
}

/** A program's own configuration: what it uses in production, when the lab did not start it. */
export interface ProgramConfig {
  /** The node's name (S-1). Under the lab: the process address, e.g. `shop/orders`. */
  name?: string;
  /** Under the lab, the topology's timing replaces it. */
  timing?: Partial<Timing>;
  endpoints?: ProgramEndpoint[];
  logger?: ExchangeLogger;
}

/** Where the program looks for the lab: the environment and the IPC channel the lab's supervisor gives it. */
export interface LabSource {
  env: NodeJS.ProcessEnv;
  /** Present when the process was started with an IPC channel. */
  send?: NodeJS.Process["send"];
}

/**
 * The one call a program makes to join the exchange: it creates an {@link ExchangeNode}, opens its endpoints and
 * resolves once every server endpoint listens. The rest of the program uses the node as it would in production.
 *
 * Started by the lab (a topology process with `run:`), it takes the lab's configuration instead of `config`: the
 * process address as name, the topology's timing, the machine's listen address, the fault proxies to dial. Its
 * exchange groups and roles must be those of `config.endpoints` when it gives any (else it fails with
 * `MACHINE_PROGRAM_CONFIG`, and so does the lab's start). The node then streams its events to the machine's
 * supervisor and answers its control requests (view, calls, subscriptions, publications) like the lab's own host,
 * and SIGTERM closes it gracefully (services withdrawn) before the process exits.
 */
export async function startExchangeNode(
  config: ProgramConfig = {},
  source: LabSource = { env: process.env, send: process.send?.bind(process) },
): Promise<ExchangeNode> {
  const raw = source.env[HOST_SPEC_ENV];
  if (raw && source.send) return underLab(JSON.parse(raw) as HostSpec, config);
  if (!config.endpoints?.length)
    throw new ProgramConfigError(
      "startExchangeNode: no endpoints; give `endpoints: [{ group, connect: [{ host, port }] }]` (the lab gives its own)",
    );
  const node = new ExchangeNode({ name: config.name, timing: config.timing, logger: config.logger });
  for (const e of config.endpoints) {
    const listen = typeof e.listen === "number" ? { port: e.listen } : e.listen;
    const ex = node.exchange({ role: listen ? "server" : "client", group: e.group ?? "" });
    if (listen) await ex.listen(listen.port, listen.host);
    for (const c of e.connect ?? []) ex.connect(c.host, c.port);
  }
  return node;
}

async function underLab(spec: HostSpec, config: ProgramConfig): Promise<ExchangeNode> {
  const logger =
    config.logger ??
    pino({ level: process.env.EXLAB_LOG_LEVEL ?? "info", base: { process: spec.process.address, pid: process.pid } });
  const node = new ExchangeNode({ name: spec.process.nodeName, timing: { ...config.timing, ...spec.timing }, logger });
  const channel = new HostChannel(spec, logger, { errorPayload, node });
  const mismatch = config.endpoints?.length ? endpointMismatch(config.endpoints, spec.process.endpoints) : undefined;
  if (mismatch) {
    const message = `"${spec.process.address}": ${mismatch}`;
    await channel.failed(message);
    node.destroy();
    throw new ProgramConfigError(message);
  }
  process.on("disconnect", () => process.exit(0));
  const stop = () => void channel.shutdown(4000).then((code) => process.exit(code));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  await channel.start();
  return node;
}

const shape = (group: string, role: string) => `${role} of group ${group === "" ? '"" (default)' : `"${group}"`}`;

/** Why the program's own endpoints do not fit the topology's, or undefined when they do. */
function endpointMismatch(own: ProgramEndpoint[], lab: EndpointSpec[]): string | undefined {
  const mine = own.map((e) => shape(e.group ?? "", e.listen === undefined ? "client" : "server")).sort();
  const theirs = lab.map((e) => shape(e.group, e.role)).sort();
  if (mine.join("|") === theirs.join("|")) return undefined;
  return (
    `the program's endpoints (${mine.join(", ")}) differ from its topology's (${theirs.join(", ")}); ` +
    `fix the topology's group/exchanges, or the program's configuration`
  );
}
