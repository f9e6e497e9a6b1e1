import type { Issue } from "./diagnostics";
import { pathToString } from "./diagnostics";
import { didYouMean, quoteList } from "./suggest";
import type { ConnectRef, Topology, TopologyEndpoint, TopologyProcess } from "./types";

/** A dial between two endpoints of one group, resolved from a `connect` entry or from `mesh: full`. */
export interface ResolvedDial {
  from: TopologyProcess;
  fromEndpoint: TopologyEndpoint;
  to: TopologyProcess;
  toEndpoint: TopologyEndpoint;
  /** The `connect` entry; absent for mesh dials. */
  ref?: ConnectRef;
  fromMesh: boolean;
}

/** `the default group ""` or `group "admin"`. */
export function groupLabel(group: string): string {
  return group === "" ? 'the default group ""' : `group "${group}"`;
}

/** Every process of the topology in plan order: per machine, servers then processes. */
export function allProcesses(t: Topology): TopologyProcess[] {
  return t.machines.flatMap((m) => m.processes);
}

/**
 * Resolves every `connect` entry to a target endpoint, drops repeated targets, then adds the dials of
 * `mesh: full`: for each pair of server endpoints of a group not linked either way, the later one (in
 * plan order) dials the earlier one. Dials come out per process, per endpoint, explicit before mesh.
 */
export function resolveDials(t: Topology): { dials: ResolvedDial[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const processes = allProcesses(t);
  const perEndpoint = new Map<TopologyEndpoint, ResolvedDial[]>();
  for (const from of processes) {
    for (const fromEndpoint of from.endpoints) {
      const list: ResolvedDial[] = [];
      for (const ref of fromEndpoint.connect) {
        const target = resolveRef(t, from, fromEndpoint, ref, issues);
        if (!target) continue;
        if (list.some((d) => d.toEndpoint === target.endpoint)) {
          issues.push({
            severity: "warning",
            code: "DUPLICATE_DIAL",
            path: ref.yamlPath,
            message: `"${ref.target}" is ${target.process.address}, which this endpoint already dials`,
            hint: "remove the repeated entry from `connect`",
          });
          continue;
        }
        list.push({ from, fromEndpoint, to: target.process, toEndpoint: target.endpoint, ref, fromMesh: false });
      }
      perEndpoint.set(fromEndpoint, list);
    }
  }
  if (t.mesh === "full") addMeshDials(processes, perEndpoint);
  const dials = processes.flatMap((p) => p.endpoints.flatMap((e) => perEndpoint.get(e) ?? []));
  return { dials, issues };
}

function addMeshDials(processes: TopologyProcess[], perEndpoint: Map<TopologyEndpoint, ResolvedDial[]>): void {
  const servers = processes.flatMap((p) => p.endpoints.filter((e) => e.role === "server").map((e) => ({ p, e })));
  const all = [...perEndpoint.values()].flat();
  const linked = (a: TopologyEndpoint, b: TopologyEndpoint) =>
    all.some((d) => (d.fromEndpoint === a && d.toEndpoint === b) || (d.fromEndpoint === b && d.toEndpoint === a));
  for (let j = 0; j < servers.length; j++) {
    for (let i = 0; i < j; i++) {
      const [earlier, later] = [servers[i], servers[j]];
      if (earlier.e.group !== later.e.group || earlier.p === later.p || linked(earlier.e, later.e)) continue;
      const dial: ResolvedDial = {
        from: later.p,
        fromEndpoint: later.e,
        to: earlier.p,
        toEndpoint: earlier.e,
        fromMesh: true,
      };
      perEndpoint.get(later.e)!.push(dial);
      all.push(dial);
    }
  }
}

function resolveRef(
  t: Topology,
  from: TopologyProcess,
  endpoint: TopologyEndpoint,
  ref: ConnectRef,
  issues: Issue[],
): { process: TopologyProcess; endpoint: TopologyEndpoint } | undefined {
  const fail = (code: string, message: string, hint: string) => {
    issues.push({ severity: "error", code, path: ref.yamlPath, message, hint, ...(ref.implicit && { atKey: true }) });
    return undefined;
  };
  const group = endpoint.group;
  const m = /^([^/\s]+)(?:\/([^/\s]+))?$/.exec(ref.target);
  if (!m)
    return fail(
      "BAD_TARGET",
      `"${ref.target}" is not a connect target`,
      "write a machine (`beta`) or a process address (`beta/frontend`)",
    );
  const [, machineName, processName] = m;
  const machine = t.machines.find((x) => x.name === machineName);
  const machineNames = t.machines.map((x) => x.name);
  if (!machine)
    return fail(
      "UNKNOWN_MACHINE",
      `connect target "${ref.target}": there is no machine "${machineName}"`,
      `${didYouMean(machineName, machineNames)}machines: ${quoteList(machineNames)}`,
    );
  const serves = (p: TopologyProcess) => p.endpoints.find((e) => e.role === "server" && e.group === group);
  const serversOfGroup = allProcesses(t)
    .filter((p) => serves(p))
    .map((p) => p.address);
  const elsewhere = serversOfGroup.length
    ? `servers of ${groupLabel(group)}: ${quoteList(serversOfGroup)}`
    : `no process listens in ${groupLabel(group)} yet`;
  let target: TopologyProcess | undefined;
  if (processName !== undefined) {
    target = machine.processes.find((p) => p.name === processName);
    const names = machine.processes.map((p) => p.address);
    if (!target)
      return fail(
        "UNKNOWN_PROCESS",
        `connect target "${ref.target}": machine "${machine.name}" has no process "${processName}"`,
        `${didYouMean(ref.target, names)}processes on ${machine.name}: ${quoteList(names)}`,
      );
    if (!serves(target)) {
      const has = target.endpoints.map((e) => `${e.role} of ${groupLabel(e.group)}`).join(", ");
      return fail(
        "NO_SERVER_ENDPOINT",
        `connect target "${ref.target}" has no server endpoint of ${groupLabel(group)} (it has: ${has})`,
        `dial a process that listens in ${groupLabel(group)}; ${elsewhere}`,
      );
    }
  } else {
    const candidates = machine.processes.filter(
      (p, i, all) => p !== from && serves(p) && all.findIndex((q) => q.name === p.name) === i,
    );
    if (candidates.length === 0 && serves(from) && from.machine === machine.name)
      return fail(
        "SELF_DIAL",
        `"${from.address}" would dial itself: it is the only server of ${groupLabel(group)} on "${machine.name}"`,
        "remove this entry: an endpoint cannot connect to its own process",
      );
    const preferred = candidates.some((p) => p.kind === "server")
      ? candidates.filter((p) => p.kind === "server")
      : candidates;
    if (preferred.length > 1)
      return fail(
        "AMBIGUOUS_TARGET",
        `connect target "${ref.target}": machine "${machine.name}" has ${preferred.length} servers of ${groupLabel(group)} (${quoteList(preferred.map((p) => p.address))})`,
        `name one of them, e.g. \`connect: ${preferred[0].address}\``,
      );
    if (preferred.length === 0) {
      const add = `add \`{ port: <port>${group ? `, group: ${group}` : ""} }\` to ${pathToString([...machine.yamlPath, "servers"])}`;
      if (ref.implicit)
        return fail(
          "NO_SERVER_TO_JOIN",
          `process "${from.address}" in ${groupLabel(group)} has no server to join: machine "${machine.name}" has no server of that group`,
          `${add}, or set \`connect:\` to a machine or process that has one (${elsewhere})`,
        );
      return fail(
        "NO_SERVER_ENDPOINT",
        `connect target "${ref.target}": machine "${machine.name}" has no server of ${groupLabel(group)}`,
        `${add}, or dial another target (${elsewhere})`,
      );
    }
    target = preferred[0];
  }
  if (target === from)
    return fail(
      "SELF_DIAL",
      `"${from.address}" would dial itself through "${ref.target}"`,
      "remove this entry: an endpoint cannot connect to its own process",
    );
  return { process: target, endpoint: serves(target)! };
}
