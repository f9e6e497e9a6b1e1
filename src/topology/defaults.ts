import type { Issue } from "./diagnostics";
import { parseDuration } from "./duration";
import { programOf } from "./program";
import type { RawEndpoint, RawMachine, RawProcess, RawServer, RawService, RawTopology } from "./schema";
import type {
  ConnectRef,
  Timing,
  Topology,
  TopologyEndpoint,
  TopologyMachine,
  TopologyProcess,
  TopologyService,
  YamlPath,
} from "./types";

/** Timing defaults (exchange-semantics §3.13). */
export const DEFAULT_TIMING: Readonly<Timing> = Object.freeze({
  heartbeatMs: 2000,
  missedBeats: 3,
  retryDelayMs: 5000,
  handshakeTimeoutMs: 5000,
  requestTimeoutMs: 30000,
});

/** The default name of a server process of `group`: "exchange", or "exchange-<group>". */
export function defaultServerName(group: string): string {
  return group === "" ? "exchange" : `exchange-${group}`;
}

/**
 * Fills every default of a structurally valid document. Pure. Also reports what defaulting cannot
 * represent (a process with both `exchanges` and `group`/`connect`) and the problems of programs (`run`,
 * `cwd`, `env`, `readyTimeout`: see `programOf`).
 */
export function applyDefaults(raw: RawTopology, fallbackName = "topology"): { topology: Topology; issues: Issue[] } {
  const issues: Issue[] = [];
  const t = raw.timing ?? {};
  const ms = (v: string | undefined, d: number) => (v === undefined ? d : parseDuration(v));
  const timing: Timing = {
    heartbeatMs: ms(t.heartbeat, DEFAULT_TIMING.heartbeatMs),
    missedBeats: t.missedBeats ?? DEFAULT_TIMING.missedBeats,
    retryDelayMs: ms(t.retryDelay, DEFAULT_TIMING.retryDelayMs),
    handshakeTimeoutMs: ms(t.handshakeTimeout, DEFAULT_TIMING.handshakeTimeoutMs),
    requestTimeoutMs: ms(t.requestTimeout, DEFAULT_TIMING.requestTimeoutMs),
  };
  const machines = Object.entries(raw.machines).map(([name, m], i) =>
    machineOf(name, i + 1, m ?? {}, ["machines", name], issues),
  );
  const topology: Topology = {
    name: raw.name ?? fallbackName,
    ...(raw.description !== undefined && { description: raw.description }),
    mesh: raw.mesh ?? "none",
    timing,
    machines,
  };
  return { topology, issues };
}

function machineOf(name: string, index: number, m: RawMachine, path: YamlPath, issues: Issue[]): TopologyMachine {
  const servers = (m.servers ?? []).map((s, i) => serverOf(name, s, [...path, "servers", i]));
  const processes = Object.entries(m.processes ?? {}).map(([p, raw]) =>
    processOf(name, p, raw ?? {}, [...path, "processes", p], issues),
  );
  return {
    name,
    index,
    ...(m.description !== undefined && { description: m.description }),
    processes: [...servers, ...processes],
    yamlPath: path,
  };
}

function serverOf(machine: string, s: RawServer, path: YamlPath): TopologyProcess {
  const group = s.group ?? "";
  const name = s.name ?? defaultServerName(group);
  return {
    name,
    machine,
    address: `${machine}/${name}`,
    kind: "server",
    ...(s.description !== undefined && { description: s.description }),
    endpoints: [
      {
        group,
        role: "server",
        listen: s.port,
        connect: refs(s.connect, [...path, "connect"]),
        yamlPath: path,
        groupPath: [...path, "group"],
        listenPath: [...path, "port"],
      },
    ],
    services: [],
    yamlPath: path,
    namePath: s.name !== undefined ? [...path, "name"] : path,
  };
}

function processOf(machine: string, name: string, p: RawProcess, path: YamlPath, issues: Issue[]): TopologyProcess {
  if (p.exchanges && (p.group !== undefined || p.connect !== undefined)) {
    const key = p.group !== undefined ? "group" : "connect";
    issues.push({
      severity: "error",
      code: "CONFLICTING_KEYS",
      path: [...path, key],
      atKey: true,
      message: `process "${machine}/${name}" has both \`exchanges\` and \`${key}\``,
      hint: "use `group`/`connect` for a process with one endpoint, or put every endpoint (with its own connect) in `exchanges`",
    });
  }
  const program = programOf(p, path, issues);
  const endpoints: TopologyEndpoint[] = p.exchanges
    ? p.exchanges.map((e, i) => endpointOf(machine, e, [...path, "exchanges", i]))
    : [endpointOf(machine, { group: p.group ?? "", connect: p.connect }, path)];
  return {
    name,
    machine,
    address: `${machine}/${name}`,
    kind: "process",
    ...(p.description !== undefined && { description: p.description }),
    endpoints,
    services: (p.services ?? []).map((s, i) => serviceOf(s, [...path, "services", i])),
    yamlPath: path,
    namePath: path,
    ...(program && { program }),
  };
}

function endpointOf(machine: string, e: RawEndpoint, path: YamlPath): TopologyEndpoint {
  const role = e.listen !== undefined ? "server" : "client";
  const connect = refs(e.connect, [...path, "connect"]);
  if (role === "client" && connect.length === 0) connect.push({ target: machine, implicit: true, yamlPath: path });
  return {
    group: e.group,
    role,
    ...(e.listen !== undefined && { listen: e.listen, listenPath: [...path, "listen"] }),
    connect,
    yamlPath: path,
    groupPath: [...path, "group"],
  };
}

function refs(connect: string | string[] | undefined, path: YamlPath): ConnectRef[] {
  if (connect === undefined) return [];
  if (typeof connect === "string") return [{ target: connect, implicit: false, yamlPath: path }];
  return connect.map((target, i) => ({ target, implicit: false, yamlPath: [...path, i] }));
}

function serviceOf(s: RawService, path: YamlPath): TopologyService {
  return {
    name: s.name,
    audience: s.audience ?? "*",
    groups: s.groups ?? [],
    ...(s.description !== undefined && { description: s.description }),
    yamlPath: path,
  };
}
