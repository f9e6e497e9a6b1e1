import type { MachineSpec } from "../machine";
import type { Logger } from "../runs";

/**
 * How machines are placed, started and hurt. Two implementations share this interface: the process driver
 * (`drivers/process`, default: one supervisor process per machine on its own loopback address) and the container
 * driver (`drivers/container`: one container per machine on a lab network).
 *
 * Life cycle, in the types:
 *
 *     MachineDriver ──open(run)──▶ DriverRun ──start(spec)──▶ StartedMachine ──crash()/shutdown()──▶ StoppedMachine
 *                                      │                          ▲                                        │
 *                                      └──close()                 └──────────────start()───────────────────┘
 */
export interface MachineDriver {
  /** "processes" or "containers": what `--driver` and the `@processes`/`@containers` tags name. */
  readonly name: string;
  /** Prepares a run: address space or network, the fault-proxy server. */
  open(run: DriverRunOptions): Promise<DriverRun>;
}

export interface DriverRunOptions {
  runId: string;
  /** Directory for this run's logs (one file per machine). */
  runDir: string;
  /** Machines of the plan, by 1-based index, and the ports each will listen on (exchange servers, control API). */
  machines: { name: string; index: number; ports: number[] }[];
  logger: Logger;
  /** Called with every OS process group / resource the driver starts, for the run registry. */
  track(kind: "group", name: string, id: number): void;
  env: NodeJS.ProcessEnv;
}

/** Where things are, as seen by each side. */
export interface MachinePlacement {
  /** What the machine's listeners bind (MachineSpec.bindHost). */
  bindHost: string;
  /** How processes on this machine reach their own machine's ports (intra-machine dials are direct). */
  localHost: string;
  /** How the fault proxy reaches this machine's ports (a proxy's upstream host). */
  upstreamHost: string;
  /** Where proxies for this machine's outbound dials listen (a proxy's listen host, port 0). */
  proxyListenHost: string;
  /** How processes on this machine reach a proxy that reported `listen` = host:port (usually that host). */
  proxyDialHost(listenHost: string): string;
  /** The control API port inside the machine. */
  controlPort: number;
}

/** Where the run's Toxiproxy-compatible API is, and how it was obtained. */
export interface ProxyServerInfo {
  url: string;
  /** "child" (our `exlab proxy`), "in-process", "toxiproxy-server", "external" (TOXIPROXY_URL), "container"… */
  kind: string;
  pid?: number;
}

/** One run of a driver: places machines, starts them, owns the fault-proxy server. */
export interface DriverRun {
  readonly driver: string;
  readonly proxyServer: ProxyServerInfo;
  /** Loopback subnet octet, when the driver uses one (recorded in the run registry). */
  readonly subnet?: number;
  placement(machine: string): MachinePlacement;
  /** Starts a machine's supervisor and resolves once it is ready (its control API answers). */
  start(spec: MachineSpec): Promise<StartedMachine>;
  /** Stops everything this run still runs (machines, proxy server) and releases its addresses. Idempotent. */
  close(): Promise<void>;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export interface StartedMachine {
  readonly machine: string;
  /** Base URL of the control API, e.g. http://127.23.0.2:7700 */
  readonly controlUrl: string;
  /** OS pid of the supervisor (process driver) or container id's short form; for humans and the registry. */
  readonly id: string;
  readonly frozen: boolean;
  /** Resolves when the machine stops by itself or is stopped (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** SIGSTOP / docker pause. */
  freeze(): Promise<void>;
  /** SIGCONT / docker unpause. */
  thaw(): Promise<void>;
  /** SIGKILL to the whole machine / docker kill; resolves once nothing of it runs. */
  crash(): Promise<StoppedMachine>;
  /** SIGTERM (then SIGKILL after a deadline) / docker stop; resolves once nothing of it runs. */
  shutdown(): Promise<StoppedMachine>;
  /** The last lines of the machine's own output (supervisor stdout/stderr). */
  logs(lines?: number): string[];
}

export interface StoppedMachine {
  readonly machine: string;
  readonly exit: ExitInfo;
  /**
   * Starts the machine again with the same placement (same addresses and ports); `spec` replaces the previous
   * one (the lab passes it with the processes added at run time). @default the spec it was started with
   */
  start(spec?: MachineSpec): Promise<StartedMachine>;
  logs(lines?: number): string[];
}
