import type { MachineSpec } from "../machine";
import type { Logger, RunRecord } from "../runs";

/**
 * How machines are placed, started and hurt. Every driver of the registry (registry.ts) implements it; two are
 * built in: the process driver (`drivers/process`, default: one supervisor process per machine on its own loopback
 * address) and the container driver (`drivers/container`: one container per machine on a lab network).
 *
 * Life cycle, in the types:
 *
 *     MachineDriver ──open(run)──▶ DriverRun ──start(spec)──▶ StartedMachine ──crash()/shutdown()──▶ StoppedMachine
 *                                      │                          ▲                                        │
 *                                      └──close()                 └──────────────start()───────────────────┘
 */
export interface MachineDriver {
  /** Its name in the registry (registry.ts): what `--driver`, `LAB_DRIVER` and the `@<name>` tag say. */
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
  /**
   * Called with everything the driver starts that a killed run could leave behind; the lab writes it to the run's
   * record (`resources[kind][name] = id`), where the driver's `sweep` finds it again. The kind is the driver's own
   * word, except PROCESS_GROUP: an OS process group on this host, which the lab also SIGKILLs as a last resort
   * when its runner exits. A name is unique within its kind for the run (tracking it again replaces the id).
   */
  track(kind: string, name: string, id: number | string): void;
  env: NodeJS.ProcessEnv;
  /**
   * The user's project on this host (absolute): where `exlab run` started, by default. Programs named by the
   * topology run from it; see {@link MachinePlacement.projectDir} for where a machine sees it.
   */
  projectDir: string;
}

/** The one tracked kind every part understands: an OS process group id (a number) on this host. */
export const PROCESS_GROUP = "group";

/** Options every driver factory takes. */
export interface DriverOptions {
  /** Where run records, subnet locks and image leases live. @default defaultStateDir() */
  stateDir?: string;
}

/**
 * What a driver's folder exports from its index.ts (or a module named in EXLAB_DRIVERS, which also exports
 * `name` and `description`). The registry loads it on first use: a driver may pull in heavy dependencies.
 */
export interface DriverModule {
  createDriver(options: DriverOptions): MachineDriver;
  /**
   * Removes what runs of this driver left when they were killed, from their records alone (no live run, no open
   * driver): `exlab clean` calls it for every registered driver, even when no record names it.
   */
  sweep(options: SweepOptions): Promise<SweepReport>;
}

export interface SweepOptions {
  stateDir: string;
  /** The records of this driver's runs that are over (runner dead, or `--force`): what each tracked. */
  runs: readonly RunRecord[];
  /** Runs still live, of any driver: leave what they own alone. Empty with `--force`. */
  live: readonly string[];
  /** `exlab clean --force`: runs whose runner lives are among `runs` too. */
  force: boolean;
}

/** What a sweep removed; `exlab clean` adds the counts up and prints the lines after its own. */
export interface SweepReport {
  /** The runs of `options.runs` whose leftovers are gone: their records are then removed. */
  cleaned: string[];
  /** OS process groups killed. @default 0 */
  groupsKilled?: number;
  /** Proxies removed from a fault-proxy server that outlived the run. @default 0 */
  proxiesRemoved?: number;
  /** What else was swept, one line each, printed after the driver's name ("removed 2 container(s)…"). */
  lines?: string[];
  /** What could not be removed: printed as problems, and `exlab clean` exits 1. */
  problems?: string[];
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
  /**
   * Where the run's project (DriverRunOptions.projectDir) is, as seen by the processes of this machine (absolute).
   * Process driver: the host path itself. Container driver: its copy in the machine's image, `/app/project`.
   */
  projectDir: string;
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
  /**
   * Where the other machines of the run reach this one while it runs, when it differs from the placement's
   * `upstreamHost` (container driver: the container's IP on the run's network). For humans: dials use the placement.
   */
  readonly address?: string;
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
