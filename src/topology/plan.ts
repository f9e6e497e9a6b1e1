import { allProcesses, resolveDials } from "./resolve";
import type { ResolvedDial } from "./resolve";
import type {
  Plan,
  PlanDial,
  PlanEndpoint,
  PlanProcess,
  PlanProgram,
  PlanProxy,
  Topology,
  TopologyProcess,
  TopologyProgram,
} from "./types";

/**
 * Turns a checked topology into a Plan: processes with their endpoints and services, every dial, and one
 * proxy per directed (source machine, target endpoint) pair that some cross-machine dial uses. Pure.
 * @param dials resolved dials; computed from the topology when omitted.
 */
export function planTopology(
  topology: Topology,
  options: { source?: string; dials?: readonly ResolvedDial[] } = {},
): Plan {
  const dials = options.dials ?? resolveDials(topology).dials;
  const proxies: PlanProxy[] = [];
  const proxyByKey = new Map<string, PlanProxy>();
  const planDials = new Map<ResolvedDial, PlanDial>();
  for (const d of dials) {
    const port = d.toEndpoint.listen!;
    const crossMachine = d.from.machine !== d.to.machine;
    const dial: PlanDial = {
      from: d.from.address,
      group: d.fromEndpoint.group,
      to: d.to.address,
      toMachine: d.to.machine,
      port,
      crossMachine,
      fromMesh: d.fromMesh,
    };
    if (crossMachine) {
      const key = JSON.stringify([d.from.machine, d.to.address, d.toEndpoint.group]);
      let proxy = proxyByKey.get(key);
      if (!proxy) {
        proxy = {
          name: uniqueName(proxyName(d.from.machine, d.to, d.toEndpoint.group), proxies),
          fromMachine: d.from.machine,
          to: d.to.address,
          toMachine: d.to.machine,
          group: d.toEndpoint.group,
          port,
        };
        proxyByKey.set(key, proxy);
        proxies.push(proxy);
      }
      dial.proxy = proxy.name;
    }
    planDials.set(d, dial);
  }
  const processes: PlanProcess[] = allProcesses(topology).map((p) => ({
    address: p.address,
    machine: p.machine,
    name: p.name,
    kind: p.kind,
    endpoints: p.endpoints.map((e): PlanEndpoint => ({
      group: e.group,
      role: e.role,
      ...(e.listen !== undefined && { listen: e.listen }),
      dials: dials.filter((d) => d.fromEndpoint === e).map((d) => planDials.get(d)!),
    })),
    services: p.services.map((s) => ({ name: s.name, audience: s.audience, groups: [...s.groups] })),
    ...(p.program && { program: planProgram(p.program) }),
  }));
  return {
    name: topology.name,
    ...(topology.description !== undefined && { description: topology.description }),
    ...(options.source !== undefined && { source: options.source }),
    timing: { ...topology.timing },
    machines: topology.machines.map((m) => ({
      name: m.name,
      index: m.index,
      processes: m.processes.map((p) => p.address),
    })),
    processes,
    dials: dials.map((d) => planDials.get(d)!),
    proxies,
  };
}

/** A copy of a program that shares nothing with the topology; keys in a fixed order. */
function planProgram(p: TopologyProgram): PlanProgram {
  return {
    argv: [...p.argv],
    cwd: p.cwd,
    env: { ...p.env },
    ...(p.readyTimeoutMs !== undefined && { readyTimeoutMs: p.readyTimeoutMs }),
  };
}

/** `alpha-to-beta.exchange`, with `.<group>` (`.default` for "") when the target listens in several groups. */
function proxyName(fromMachine: string, to: TopologyProcess, group: string): string {
  const servers = to.endpoints.filter((e) => e.role === "server").length;
  const base = `${fromMachine}-to-${to.machine}.${to.name}`;
  return servers > 1 ? `${base}.${group === "" ? "default" : group}` : base;
}

function uniqueName(name: string, taken: readonly PlanProxy[]): string {
  let candidate = name;
  for (let n = 2; taken.some((p) => p.name === candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}
