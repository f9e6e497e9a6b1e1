/**
 * Fault planning: pure functions from a topology's proxies to the proxy operations that realise a fault.
 *
 * Every cross-machine connection runs through one proxy per directed (dialling machine → target endpoint) pair:
 *
 *     process on A ──► proxy "A→B/x" (listens on A's side) ──► endpoint B/x
 *                 upstream  = bytes A sends to B
 *                 downstream = bytes B sends back to A
 *
 * So "A cannot reach B" drops the upstream of A→B proxies and the downstream of B→A proxies.
 */

import type { PlanProxy } from "../../topology";

/** One directed proxy of the plan: the topology Plan's `proxies[]` entry. */
export type ProxyLink = PlanProxy;

/** A dial of the plan; only `from` and `proxy` matter here (structurally the Plan's `dials[]` entry). */
export interface DialLink {
  from: string;
  to: string;
  proxy?: string;
}

/** One side of a link: a machine, or one process on it (`process` is the full address, "alpha/web"). */
export interface Endpoint {
  machine: string;
  process?: string;
}

export type Stream = "upstream" | "downstream";
export type ToxicKind = "blackhole" | "oneway" | "latency" | "bandwidth";

export interface ToxicSpec {
  name: string;
  type: "timeout" | "latency" | "bandwidth";
  stream: Stream;
  attributes: Record<string, number>;
}

export type ProxyOp =
  | { op: "disable"; proxy: string }
  | { op: "enable"; proxy: string }
  | { op: "addToxic"; proxy: string; toxic: ToxicSpec }
  | { op: "clearToxics"; proxy: string };

export type Fault =
  | { kind: "cut"; a: Endpoint; b: Endpoint }
  | { kind: "blackhole"; a: Endpoint; b: Endpoint }
  | { kind: "oneWay"; from: Endpoint; to: Endpoint }
  | { kind: "isolate"; node: Endpoint }
  | { kind: "latency"; a: Endpoint; b: Endpoint; latencyMs: number; jitterMs: number }
  | { kind: "bandwidth"; a: Endpoint; b: Endpoint; rateKBps: number }
  | { kind: "heal"; a: Endpoint; b: Endpoint }
  | { kind: "healAll" };

export interface FaultPlan {
  /** The proxies the fault touches (plan names, without the run prefix). */
  proxies: string[];
  ops: ProxyOp[];
}

export interface LinkSet {
  proxies: readonly ProxyLink[];
  dials?: readonly DialLink[];
}

/** The toxic's name on a proxy: one per kind and stream, so re-applying a fault replaces it. */
export function toxicName(kind: ToxicKind, stream: Stream): string {
  return `exlab_${kind}_${stream}`;
}

function dialledBy(links: LinkSet, p: ProxyLink, process: string): boolean {
  return (links.dials ?? []).some((d) => d.from === process && d.proxy === p.name);
}

/** Proxies carrying connections dialled from `from` towards `to`. */
export function directedProxies(links: LinkSet, from: Endpoint, to: Endpoint): ProxyLink[] {
  return links.proxies.filter(
    (p) =>
      p.fromMachine === from.machine &&
      p.toMachine === to.machine &&
      (to.process === undefined || p.to === to.process) &&
      (from.process === undefined || dialledBy(links, p, from.process)),
  );
}

/** Proxies of the link between a and b, split by which side dials. */
export function linkProxies(links: LinkSet, a: Endpoint, b: Endpoint): { aToB: ProxyLink[]; bToA: ProxyLink[] } {
  return { aToB: directedProxies(links, a, b), bToA: directedProxies(links, b, a) };
}

/** Every proxy that carries a connection of `node` (dialled by it or towards it). */
export function proxiesOf(links: LinkSet, node: Endpoint): ProxyLink[] {
  return links.proxies.filter((p) => {
    const out = p.fromMachine === node.machine && (node.process === undefined || dialledBy(links, p, node.process));
    const inn = p.toMachine === node.machine && (node.process === undefined || p.to === node.process);
    return out || inn;
  });
}

const BOTH: Stream[] = ["upstream", "downstream"];

function toxicOps(proxies: ProxyLink[], streams: Stream[], make: (s: Stream) => ToxicSpec): ProxyOp[] {
  return proxies.flatMap((p) => streams.map((s) => ({ op: "addToxic" as const, proxy: p.name, toxic: make(s) })));
}

function timeout(kind: ToxicKind): (s: Stream) => ToxicSpec {
  return (stream) => ({ name: toxicName(kind, stream), type: "timeout", stream, attributes: { timeout: 0 } });
}

/** The proxy operations for a fault. Throws a plain Error naming the sides when no proxy carries the link. */
export function planFault(links: LinkSet, fault: Fault): FaultPlan {
  const describe = (e: Endpoint) => e.process ?? e.machine;
  const both = (a: Endpoint, b: Endpoint) => {
    const { aToB, bToA } = linkProxies(links, a, b);
    const all = [...aToB, ...bToA];
    if (all.length === 0) {
      throw new Error(
        `no cross-machine link between "${describe(a)}" and "${describe(b)}" (connections inside one machine are direct; ` +
          `proxied links: ${links.proxies.map((p) => `${p.fromMachine}→${p.to}`).join(", ") || "none"})`,
      );
    }
    return { aToB, bToA, all };
  };
  const names = (ps: ProxyLink[]) => ps.map((p) => p.name);
  switch (fault.kind) {
    case "cut": {
      const { all } = both(fault.a, fault.b);
      return { proxies: names(all), ops: all.map((p) => ({ op: "disable", proxy: p.name })) };
    }
    case "blackhole": {
      const { all } = both(fault.a, fault.b);
      return { proxies: names(all), ops: toxicOps(all, BOTH, timeout("blackhole")) };
    }
    case "oneWay": {
      const { aToB, bToA, all } = both(fault.from, fault.to);
      const ops = [
        ...toxicOps(aToB, ["upstream"], timeout("oneway")),
        ...toxicOps(bToA, ["downstream"], timeout("oneway")),
      ];
      return { proxies: names(all), ops };
    }
    case "isolate": {
      const all = proxiesOf(links, fault.node);
      if (all.length === 0) throw new Error(`"${describe(fault.node)}" has no cross-machine link to isolate`);
      return { proxies: names(all), ops: all.map((p) => ({ op: "disable", proxy: p.name })) };
    }
    case "latency": {
      const { all } = both(fault.a, fault.b);
      const attributes = { latency: Math.round(fault.latencyMs), jitter: Math.round(fault.jitterMs) };
      return {
        proxies: names(all),
        ops: toxicOps(all, BOTH, (stream) => ({
          name: toxicName("latency", stream),
          type: "latency",
          stream,
          attributes,
        })),
      };
    }
    case "bandwidth": {
      const { all } = both(fault.a, fault.b);
      const attributes = { rate: Math.max(0, Math.round(fault.rateKBps)) };
      return {
        proxies: names(all),
        ops: toxicOps(all, BOTH, (stream) => ({
          name: toxicName("bandwidth", stream),
          type: "bandwidth",
          stream,
          attributes,
        })),
      };
    }
    case "heal": {
      const { all } = both(fault.a, fault.b);
      return { proxies: names(all), ops: healOps(all) };
    }
    case "healAll":
      return { proxies: names([...links.proxies]), ops: healOps([...links.proxies]) };
  }
}

function healOps(proxies: ProxyLink[]): ProxyOp[] {
  return proxies.flatMap((p) => [
    { op: "clearToxics" as const, proxy: p.name },
    { op: "enable" as const, proxy: p.name },
  ]);
}
