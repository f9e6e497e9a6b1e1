/**
 * Fault planning's building blocks: pure functions from a topology's proxies to the proxy operations that realise a
 * fault. Each verb of the fault table (verbs.ts) plans with them; `planFault` (registry.ts) picks the verb.
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

/** A toxic to add (Toxiproxy's types: "timeout", "latency", "bandwidth", "slicer", "limit_data"…). */
export interface ToxicSpec {
  name: string;
  type: string;
  stream: Stream;
  attributes: Record<string, number>;
}

export type ProxyOp =
  | { op: "disable"; proxy: string }
  | { op: "enable"; proxy: string }
  | { op: "addToxic"; proxy: string; toxic: ToxicSpec }
  | { op: "clearToxics"; proxy: string };

/**
 * A fault to plan: a verb of the fault table (`kind`, see verbs.ts) and its arguments by the verb's names, with
 * machine and process names resolved to {@link Endpoint}s, e.g. `{ kind: "cut", a: { machine: "alpha" }, b: … }`.
 */
export type Fault = { readonly kind: string } & { readonly [arg: string]: Endpoint | number | string | undefined };

export interface FaultPlan {
  /** The proxies the fault touches (plan names, without the run prefix). */
  proxies: string[];
  ops: ProxyOp[];
}

export interface LinkSet {
  proxies: readonly ProxyLink[];
  dials?: readonly DialLink[];
}

/** The toxic's name on a proxy: one per verb and stream, so re-applying a fault replaces it. */
export function toxicName(verb: string, stream: Stream): string {
  return `exlab_${verb}_${stream}`;
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

/** Both streams of a proxy. */
export const BOTH: readonly Stream[] = ["upstream", "downstream"];

/** One toxic per proxy and stream. */
export function toxicOps(proxies: ProxyLink[], streams: readonly Stream[], make: (s: Stream) => ToxicSpec): ProxyOp[] {
  return proxies.flatMap((p) => streams.map((s) => ({ op: "addToxic" as const, proxy: p.name, toxic: make(s) })));
}

/** A toxic of `type` named after `verb` (see {@link toxicName}), with the given attributes. */
export function toxic(verb: string, type: string, attributes: Record<string, number>): (s: Stream) => ToxicSpec {
  return (stream) => ({ name: toxicName(verb, stream), type, stream, attributes });
}

export function disableOps(proxies: ProxyLink[]): ProxyOp[] {
  return proxies.map((p) => ({ op: "disable", proxy: p.name }));
}

/** Toxics removed and the proxies enabled again. */
export function healOps(proxies: ProxyLink[]): ProxyOp[] {
  return proxies.flatMap((p) => [
    { op: "clearToxics" as const, proxy: p.name },
    { op: "enable" as const, proxy: p.name },
  ]);
}

export const proxyNames = (ps: readonly ProxyLink[]): string[] => ps.map((p) => p.name);

/** How a side is named to people: its process address, else its machine. */
export const nameOf = (e: Endpoint): string => e.process ?? e.machine;

/** The proxies of the link between a and b; throws a plain Error naming the sides when no proxy carries it. */
export function linkBetween(
  links: LinkSet,
  a: Endpoint,
  b: Endpoint,
): ReturnType<typeof linkProxies> & { all: ProxyLink[] } {
  const { aToB, bToA } = linkProxies(links, a, b);
  const all = [...aToB, ...bToA];
  if (all.length === 0) {
    throw new Error(
      `no cross-machine link between "${nameOf(a)}" and "${nameOf(b)}" (connections inside one machine are direct; ` +
        `proxied links: ${links.proxies.map((p) => `${p.fromMachine}→${p.to}`).join(", ") || "none"})`,
    );
  }
  return { aToB, bToA, all };
}

/** The endpoint argument `name` of a fault (a plain Error when it is missing). */
export function sideOf(fault: Fault, name: string): Endpoint {
  const v = fault[name];
  if (typeof v !== "object" || v === null)
    throw new Error(`fault ${fault.kind}: "${name}" is not a machine or process`);
  return v;
}

/** The numeric argument `name` of a fault (ms, KB/s…), or `fallback` when it is missing. */
export function amountOf(fault: Fault, name: string, fallback?: number): number {
  const v = fault[name] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`fault ${fault.kind}: "${name}" is not a number`);
  return v;
}
