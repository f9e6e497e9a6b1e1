/**
 * The two models the topology loader produces:
 *
 * ```
 *  YAML text ──parse──▶ raw object ──schema──▶ ──defaults──▶ Topology ──checks──▶ Plan
 *                                                              (what was declared,   (what runs where,
 *                                                               every default filled) every dial and proxy)
 * ```
 *
 * Addresses (DESIGN §3): a machine is `alpha`; a process is `alpha/billing`; a server process is
 * `alpha/exchange` (or `alpha/exchange-<group>`).
 */

/** A path inside the YAML document, as keys and sequence indexes: `["machines", "beta", "servers", 1]`. */
export type YamlPath = readonly (string | number)[];

/** How servers of one exchange group are linked when the topology does not say so with `connect`. */
export type MeshMode = "full" | "none";

/** A role of an exchange endpoint (S-6): servers accept connections, clients dial one server. */
export type EndpointRole = "server" | "client";

/** Timing of every exchange in the topology, in milliseconds (defaults: exchange-semantics §3.13). */
export interface Timing {
  /** Send a PING after this long without sending anything (S-13). @default 2000 */
  heartbeatMs: number;
  /** Close a link after this many heartbeats without receiving anything (S-14). @default 3 */
  missedBeats: number;
  /** Delay between dial attempts of a persistent dialler, ±10% jitter (S-12). @default 5000 */
  retryDelayMs: number;
  /**
   * Deadline for HELLO/WELCOME, and STANDBY wait after a DUPLICATE/SIMULTANEOUS rejection (S-9, S-11). @default 5000
   */
  handshakeTimeoutMs: number;
  /** Default deadline of a request before it settles with REQUEST_TIMEOUT (S-31..S-35). @default 30000 */
  requestTimeoutMs: number;
}

/** A validated, fully defaulted topology: what the file declared, nothing computed yet. */
export interface Topology {
  /** From `name:`, else the file's base name without extension, else "topology". */
  name: string;
  description?: string;
  /** @default "none" */
  mesh: MeshMode;
  timing: Timing;
  /** In declaration order. */
  machines: TopologyMachine[];
}

export interface TopologyMachine {
  name: string;
  /** 1-based position in declaration order. */
  index: number;
  description?: string;
  /** Servers first (from `servers:`), then `processes:`, each in declaration order. */
  processes: TopologyProcess[];
  yamlPath: YamlPath;
}

export interface TopologyProcess {
  /** For a server entry: its `name`, else "exchange" (group "") or "exchange-<group>". */
  name: string;
  machine: string;
  /** `machine/name`. */
  address: string;
  /** "server" for entries of `servers:`, "process" for entries of `processes:` (bridges included). */
  kind: "server" | "process";
  description?: string;
  /** One per exchange group (S-6); two or more make the process a bridge (S-27). */
  endpoints: TopologyEndpoint[];
  services: TopologyService[];
  /** Where the entry is declared: `servers[i]` or `processes.<name>`. */
  yamlPath: YamlPath;
  /** Where its name is written (the map key, the `name:` value, or the server entry when defaulted). */
  namePath: YamlPath;
  /** The user's program this process runs (`run:` and its keys); absent: the lab's generic host. */
  program?: TopologyProgram;
}

/**
 * A program of the user's, written against the exchange library, that a process runs instead of the lab's
 * generic host (`run`, `cwd`, `env`, `readyTimeout` of a `processes:` entry).
 */
export interface TopologyProgram {
  /** The program and its arguments: the `run` list, or the `run` string split like a shell command line. */
  argv: string[];
  /** Working directory relative to the project directory, normalised POSIX path. @default "." */
  cwd: string;
  /** Extra environment variables, values as strings. @default {} */
  env: Record<string, string>;
  /** How long the program may take to become ready; absent when `readyTimeout` is not written. */
  readyTimeoutMs?: number;
  /** Where `run` is written. */
  yamlPath: YamlPath;
}

export interface TopologyEndpoint {
  /** Exchange group. @default "" */
  group: string;
  role: EndpointRole;
  /** Port a server endpoint listens on (a server's `port`, a bridge endpoint's `listen`). */
  listen?: number;
  /**
   * What this endpoint dials. A client endpoint without `connect` gets one implicit reference to its own
   * machine (its server of the group).
   */
  connect: ConnectRef[];
  yamlPath: YamlPath;
  /** Where `group` is (or would be) written. */
  groupPath: YamlPath;
  /** Where `port`/`listen` is written (server endpoints only). */
  listenPath?: YamlPath;
}

/** One entry of a `connect:` list: a machine (`beta`) or a process address (`beta/frontend`). */
export interface ConnectRef {
  target: string;
  /** True when nothing was written and the endpoint joins its own machine's server. */
  implicit: boolean;
  yamlPath: YamlPath;
}

export interface TopologyService {
  name: string;
  /** `"*"` (everywhere), `""` (this process only) or an exchange group name (S-17). @default "*" */
  audience: string;
  /** Service groups joined at start (S-29). @default [] */
  groups: string[];
  description?: string;
  yamlPath: YamlPath;
}

/** What runs where: the lab's input. Everything is in declaration order, so plans are deterministic. */
export interface Plan {
  name: string;
  description?: string;
  /** The file the plan was loaded from, when there was one. */
  source?: string;
  timing: Timing;
  machines: PlanMachine[];
  /** Flat, in declaration order: each machine's servers, then its processes. */
  processes: PlanProcess[];
  /** Every connection some endpoint dials (explicit `connect` entries and `mesh: full` dials). */
  dials: PlanDial[];
  /** One per directed (source machine, target endpoint) pair used by a cross-machine dial. */
  proxies: PlanProxy[];
}

export interface PlanMachine {
  name: string;
  /** 1..N in declaration order (the process driver derives the machine's loopback address from it). */
  index: number;
  /** Addresses of its processes, in plan order. */
  processes: string[];
}

export interface PlanProcess {
  /** `alpha/billing`. */
  address: string;
  machine: string;
  name: string;
  kind: "server" | "process";
  endpoints: PlanEndpoint[];
  services: PlanService[];
  /** The user's program to run instead of the lab's generic host; absent for the generic host. */
  program?: PlanProgram;
}

/** A user's program in the plan (see `TopologyProgram`); the machine side starts it. */
export interface PlanProgram {
  /** The program and its arguments, never empty; `argv[0]` is the executable. */
  argv: string[];
  /** Working directory relative to the project directory: a normalised POSIX path, "." by default. */
  cwd: string;
  /** Extra environment variables (names match /^[A-Za-z_][A-Za-z0-9_]*$/, none starts with `EXLAB_`). */
  env: Record<string, string>;
  /**
   * How long the program may take to become ready; absent when the topology does not say, and then the
   * machine side uses `DEFAULT_READY_TIMEOUT_MS` (15 s).
   */
  readyTimeoutMs?: number;
}

export interface PlanService {
  name: string;
  audience: string;
  groups: string[];
}

export interface PlanEndpoint {
  group: string;
  role: EndpointRole;
  /** Port of a server endpoint (on the machine's own address). */
  listen?: number;
  /** The dials of this endpoint; the same objects as in `Plan.dials`. */
  dials: PlanDial[];
}

/**
 * One configured connection. Inside a machine the dialler connects straight to `toMachine:port`; across
 * machines it connects to the listen address of `proxy`, which forwards to the target:
 *
 * ```
 *  from (machine A) ──▶ proxy "A-to-B.exchange" ──▶ to (machine B, port)
 * ```
 */
export interface PlanDial {
  /** Address of the dialling process. */
  from: string;
  /** Exchange group of both endpoints. */
  group: string;
  /** Address of the target process (it has a server endpoint of `group`). */
  to: string;
  toMachine: string;
  /** The target endpoint's listen port. */
  port: number;
  crossMachine: boolean;
  /** `PlanProxy.name`, when `crossMachine`. */
  proxy?: string;
  /** True when the dial comes from `mesh: full` rather than a `connect` entry. */
  fromMesh: boolean;
}

/** A fault proxy in front of one target endpoint, for the dials of one source machine. */
export interface PlanProxy {
  /**
   * A valid Toxiproxy proxy name: `<fromMachine>-to-<toMachine>.<process>`, plus `.<group>` (`.default` for
   * "") when the target process has server endpoints in several groups.
   */
  name: string;
  fromMachine: string;
  /** Target process address. */
  to: string;
  toMachine: string;
  group: string;
  /** Upstream port on the target machine. */
  port: number;
}

/** Two processes that should end up sharing exactly one ACTIVE link in `group` (mutual dials count once). */
export interface ExpectedLink {
  /** The address that comes first in plan order. */
  a: string;
  b: string;
  group: string;
}
