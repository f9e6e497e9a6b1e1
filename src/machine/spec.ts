import type { Timing } from "../exchange";

/**
 * The runtime contract of one machine: what its supervisor starts and where it listens.
 * The lab writes it (from a topology's Plan); the supervisor reads it from the environment variable
 * `EXLAB_MACHINE_SPEC` (JSON) or from `--spec FILE`.
 *
 * ```
 *  lab ──HTTP/JSON──▶ supervisor (control API on bindHost:controlPort)
 *                        ├─ fork ─▶ host "exchange"  (ExchangeNode: server endpoint listening)
 *                        └─ fork ─▶ host "billing"   (ExchangeNode: client endpoint + services)
 * ```
 */
export interface MachineSpec {
  /** The machine's name, e.g. `alpha`. Process addresses are `<machine>/<process>`. */
  machine: string;
  /**
   * Where every listener of this machine binds: exchange server endpoints and the control API.
   * Process driver: the machine's own loopback address (127.X.0.N). Container driver: `0.0.0.0`.
   */
  bindHost: string;
  /**
   * Port of the control API. 0 = ephemeral: the supervisor reports the port it got on its first stdout line,
   * `EXLAB_READY {"controlPort":N,"pid":N}` (printed for a fixed port too).
   * @default 7700 (container driver)
   */
  controlPort: number;
  /** Directory for the per-process logs `<runDir>/<process>.log`. Created if missing. */
  runDir: string;
  /** Exchange timing for every process of the machine; missing fields take the exchange's defaults. */
  timing: Partial<Timing>;
  /** The processes started with the machine, one OS process each. */
  processes: ProcessSpec[];
}

/** One dial target of an endpoint. Cross-machine targets are fault-proxy addresses: used exactly as given. */
export interface ConnectTarget {
  host: string;
  port: number;
  /** Retry delay of the persistent dialler (ms). @default the exchange's `timing.retryDelayMs` */
  delayMs?: number;
  /** The address this target stands for (`beta/exchange`), for humans and logs only. */
  target?: string;
}

/** One exchange endpoint of a process (at most one per exchange group). */
export interface EndpointSpec {
  /** Exchange group. `""` is the default group. */
  group: string;
  role: "server" | "client";
  /** Server endpoints only: the port to listen on (on the machine's bindHost); 0 = ephemeral. */
  listen?: number;
  /** Endpoints to dial, each with a persistent dialler. */
  connect: ConnectTarget[];
}

/**
 * A service the process offers at start. Every declared service answers any request with its identity
 * (see {@link ServiceIdentity}); the methods `fail` and `slow` are special (see host.ts).
 */
export interface ServiceSpec {
  name: string;
  /** `"*"` = everyone, `""` = this process only, a group name = that exchange group. @default "*" */
  audience: string;
  /** Service groups joined at start. */
  groups: string[];
}

/** One OS process of a machine: an exchange server or a declared process. */
export interface ProcessSpec {
  /** `<machine>/<name>`, e.g. `alpha/billing`. */
  address: string;
  /** The process name within its machine (`billing`, `exchange`, `exchange-admin`). */
  name: string;
  kind: "server" | "process";
  /** The exchange node name; by convention equal to `address`. */
  nodeName: string;
  endpoints: EndpointSpec[];
  /**
   * Generic host: the services it offers at start. User program: the services the program is declared to offer
   * (it offers them itself; the lab only expects them).
   */
  services: ServiceSpec[];
  /** A user program to run instead of the generic host (see program.ts for the contract it must keep). */
  program?: ProgramSpec;
  /** How long the process may take to become ready. @default the supervisor's startTimeoutMs (15 s) */
  readyTimeoutMs?: number;
}

/**
 * A user program: spawned directly (no shell) with `argv` in `cwd`, the supervisor's environment plus `env`, an
 * IPC channel and the host spec in `EXLAB_HOST_SPEC`. `argv[0]` `node` means the supervisor's own node binary.
 * The program becomes ready when it calls `startExchangeNode()` (it then streams events and answers commands
 * exactly as the generic host does).
 */
export interface ProgramSpec {
  argv: string[];
  /** Working directory, absolute, as seen by the machine. */
  cwd: string;
  env: Record<string, string>;
}

/** What a declared service answers to every request, so a scenario can see who answered. */
export interface ServiceIdentity {
  machine: string;
  process: string;
  service: string;
  agentId: string;
  method: string;
  args: unknown;
}

/** What the supervisor gives one process host (env `EXLAB_HOST_SPEC`). */
export interface HostSpec {
  machine: string;
  bindHost: string;
  timing: Partial<Timing>;
  process: ProcessSpec;
}

/** A process spec as a client may send it (`POST /processes`): defaults filled in by the supervisor. */
export type ProcessSpecInput = Omit<ProcessSpec, "endpoints" | "services"> & {
  endpoints: (Omit<EndpointSpec, "connect"> & { connect?: ConnectTarget[] })[];
  services?: (Pick<ServiceSpec, "name"> & Partial<ServiceSpec>)[];
};
