import type { ExchangeNode, NodeDump, ReportSubscription, ServiceAgent } from "../exchange";
import type { HostSpec } from "./spec";

/** A process's view: `GET /processes/:p/view`. */
export interface ProcessView {
  machine: string;
  process: string;
  address: string;
  pid: number;
  /**
   * The exchange node's consistent snapshot: links, bindings (with holding link), edges, pending requests, counters.
   */
  dump: NodeDump;
  /** Conveniences computed from `dump.bindings`. */
  seen: {
    /** Sorted distinct non-empty service names of every binding visible here (local ones included). */
    services: string[];
    /** Service group → sorted distinct service names of its members visible here. */
    groups: Record<string, string[]>;
  };
  /** Services this host offers now: name → agent id, audience and service groups. */
  offered: Record<string, { agentId: string; audience: string; groups: string[] }>;
  /** Subscriptions of the host's anonymous agent: id → target and pattern. */
  subscriptions: Record<string, { target: string; pattern: string }>;
}

export function hostView(
  spec: HostSpec,
  node: ExchangeNode,
  services: Map<string, ServiceAgent>,
  subscriptions: Map<string, ReportSubscription>,
): ProcessView {
  const dump = node.dump();
  const names = new Set<string>();
  const groups: Record<string, Set<string>> = {};
  for (const b of dump.bindings) {
    if (!b.serviceName) continue;
    names.add(b.serviceName);
    for (const g of b.groups) (groups[g] ??= new Set()).add(b.serviceName);
  }
  return {
    machine: spec.machine,
    process: spec.process.name,
    address: spec.process.address,
    pid: process.pid,
    dump,
    seen: {
      services: [...names].sort(),
      groups: Object.fromEntries(Object.entries(groups).map(([g, s]) => [g, [...s].sort()])),
    },
    offered: Object.fromEntries(
      [...services].map(([n, a]) => [n, { agentId: a.agentId, audience: a.audience, groups: a.groups }]),
    ),
    subscriptions: Object.fromEntries(
      [...subscriptions].map(([id, s]) => [id, { target: s.target, pattern: s.pattern }]),
    ),
  };
}
