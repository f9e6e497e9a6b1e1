/**
 * What the lab did, as the bounded-liveness checkers (I3, I17, I19, I20) need it: who went silent for whom and
 * when (a process or machine that died or froze, a network fault between two sides), and what an observer held
 * at a given moment on its own clock. Each observer is one process incarnation (windows.ts `incarnations`).
 */
import type { LinkEvent } from "../../exchange";
import type { RecordedEvent, RecordedExchange, RecordedLifecycle, ScenarioHistory } from "../history";
import { incarnations, machineOf, placedTimes, type Incarnation } from "../windows";

/** True when `address` is `target` or lies on machine `target`. */
export function onSide(address: string, target: string): boolean {
  return address === target || machineOf(address) === target;
}

/**
 * A moment from which some peers can no longer be heard: they died or froze, or the network between two sides
 * stopped carrying their frames.
 */
export interface Silence {
  /** When it began (lab time). */
  t: number;
  /** When it ended (a thaw, a heal); Infinity for a death. */
  until: number;
  /** "alpha/billing crashed", "alpha frozen", "blackhole alpha ⇄ beta". */
  label: string;
  kind: "dead" | "frozen" | "network";
  /** The lifecycle or fault entry. */
  proof: RecordedEvent;
  /** True when `observer` hears nothing from `peer` (its incarnation, when known) over a direct link. */
  silences(observer: string, peer: string, peerIncarnation?: string): boolean;
  /**
   * True when no path can bring `observer` a binding from `origin` any more: the origin died or froze, or its
   * machine was isolated. Undefined for network faults that other paths may route around.
   */
  gone?(observer: string, origin: string, originIncarnation: string): boolean;
  /** Processes (incarnations) that are themselves silenced: not judged as observers. */
  muted(observer: Incarnation): boolean;
}

const DEAD = new Set(["crashed", "stopped", "exited"]);

/** Every silence of the history, in time order. */
export function silences(h: ScenarioHistory): Silence[] {
  const incs = incarnations(h);
  const out: Silence[] = [];
  const dead = new Set<string>();
  const events = h.events;
  for (const e of events) {
    if (e.kind === "lifecycle" && DEAD.has(e.state)) {
      const gone = incs.filter(
        (i) =>
          onSide(i.process, e.target) && i.begin <= e.t && i.end >= e.t && !dead.has(key(i.process, i.incarnation)),
      );
      if (gone.length === 0) continue;
      const set = new Set(gone.map((i) => key(i.process, i.incarnation)));
      for (const k of set) dead.add(k);
      out.push({
        t: e.t,
        until: Infinity,
        label: `${e.target} ${e.state}`,
        kind: "dead",
        proof: e,
        silences: (_o, peer, inc) => inc !== undefined && set.has(key(peer, inc)),
        gone: (_o, origin, inc) => set.has(key(origin, inc)),
        muted: (o) => set.has(key(o.process, o.incarnation)),
      });
    } else if (e.kind === "lifecycle" && e.state === "frozen") {
      const until = thawOf(events, e);
      const m = e.target;
      const cut = (o: string, p: string) => onSide(p, m) && !onSide(o, m);
      out.push({
        t: e.t,
        until,
        label: `${m} frozen`,
        kind: "frozen",
        proof: e,
        silences: cut,
        gone: cut,
        muted: (o) => onSide(o.process, m),
      });
    } else if (e.kind === "fault" && e.action === "applied") {
      const s = networkSilence(e.fault.type, e.fault.targets);
      if (!s) continue;
      const healed = events.find((x) => x.kind === "fault" && x.action === "healed" && x.faultId === e.faultId);
      out.push({
        t: e.t,
        until: healed?.t ?? Infinity,
        label: `${e.fault.type} ${e.fault.targets.join(" ⇄ ")}`,
        kind: "network",
        proof: e,
        ...s,
        muted: () => false,
      });
    }
  }
  return out;
}

function networkSilence(type: string, targets: string[]): Pick<Silence, "silences" | "gone"> | undefined {
  const cross = (o: string, p: string) => machineOf(o) !== machineOf(p);
  if ((type === "cut" || type === "blackhole") && targets.length === 2) {
    const [a, b] = targets;
    return {
      silences: (o, p) => cross(o, p) && ((onSide(o, a) && onSide(p, b)) || (onSide(o, b) && onSide(p, a))),
    };
  }
  if (type === "one-way" && targets.length === 2) {
    const [from, to] = targets;
    return { silences: (o, p) => cross(o, p) && onSide(o, to) && onSide(p, from) };
  }
  if (type === "isolate" && targets.length === 1) {
    const [n] = targets;
    const apart = (o: string, p: string) => cross(o, p) && onSide(o, n) !== onSide(p, n);
    // Only a whole machine's isolation cuts every path: an isolated process still reaches its machine's server.
    return n.includes("/") ? { silences: apart } : { silences: apart, gone: apart };
  }
  return undefined;
}

function thawOf(events: readonly RecordedEvent[], frozen: RecordedLifecycle): number {
  const next = events.find(
    (x) =>
      x.id > frozen.id &&
      x.kind === "lifecycle" &&
      x.target === frozen.target &&
      (x.state === "thawed" || DEAD.has(x.state) || x.state === "started"),
  );
  return next?.t ?? Infinity;
}

function key(process: string, incarnation: string): string {
  return `${process}\u0000${incarnation}`;
}

const lifecycleCache = new WeakMap<object, { length: number; list: RecordedLifecycle[] }>();

/** The history's lifecycle entries, in order (cached per history). */
function lifecycleOf(h: ScenarioHistory): RecordedLifecycle[] {
  const hit = lifecycleCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.list;
  const list = h.events.filter((e): e is RecordedLifecycle => e.kind === "lifecycle");
  lifecycleCache.set(h.events, { length: h.events.length, list });
  return list;
}

/** True when `address` (or its machine) was frozen at some moment of [from, to]. */
export function frozenDuring(h: ScenarioHistory, address: string, from: number, to: number): boolean {
  let frozen = false;
  for (const e of lifecycleOf(h)) {
    if (!onSide(address, e.target)) continue;
    if (e.t > to) break;
    if (e.state === "frozen") {
      if (e.t >= from) return true;
      frozen = true;
    } else if (e.state === "thawed" || e.state === "started" || DEAD.has(e.state)) {
      if (frozen && e.t >= from) return true;
      frozen = false;
    }
  }
  return frozen;
}

/**
 * Whether an observer's events can be judged over [from, to]: it ran through the whole interval (began before,
 * not down or replaced before `to`), was never frozen in it, and its events up to `to` have no seq gap.
 */
export function judgeableThrough(h: ScenarioHistory, o: Incarnation, from: number, to: number): boolean {
  if (o.begin > from || (o.ended && o.end < to)) return false;
  if (frozenDuring(h, o.process, from, to)) return false;
  const placed = placedTimes(h);
  let prev = 0;
  for (const e of o.entries) {
    if ((placed.get(e.id) ?? e.t) > to) break;
    if (e.event.seq !== prev + 1) return false;
    prev = e.event.seq;
  }
  return true;
}

/** A binding an observer holds: its last AVAIL (with `via`), the peer it came from and that peer's incarnation. */
export interface Held {
  avail: RecordedExchange;
  agentId: string;
  serviceName: string;
  origin: { nodeName: string; incarnation: string };
  remote: boolean;
  linkId?: string;
}

/** What the observer held at lab time `at` (its events placed at or before it). */
export function heldAt(h: ScenarioHistory, o: Incarnation, at: number): Map<string, Held> {
  const placed = placedTimes(h);
  const held = new Map<string, Held>();
  for (const e of o.entries) {
    if ((placed.get(e.id) ?? e.t) > at) break;
    const ev = e.event;
    if (ev.type !== "binding") continue;
    if (ev.change === "WITHDRAW") held.delete(ev.agentId);
    else if (ev.change === "AVAIL")
      held.set(ev.agentId, {
        avail: e,
        agentId: ev.agentId,
        serviceName: ev.serviceName,
        origin: ev.origin,
        remote: ev.location === "remote",
        ...(ev.via ? { linkId: ev.via.linkId } : {}),
      });
  }
  return held;
}

/** A link an observer had ACTIVE (or SYNCED): since when, and to whom. */
export interface OpenLink {
  linkId: string;
  since: RecordedExchange;
  sinceT: number;
  group: string;
  peer?: LinkEvent["peer"];
}

/** The observer's ACTIVE links at lab time `at`. */
export function linksAt(h: ScenarioHistory, o: Incarnation, at: number): Map<string, OpenLink> {
  const placed = placedTimes(h);
  const open = new Map<string, OpenLink>();
  const peers = new Map<string, LinkEvent["peer"]>();
  for (const e of o.entries) {
    const t = placed.get(e.id) ?? e.t;
    if (t > at) break;
    const ev = e.event;
    if (ev.type !== "link") continue;
    if (ev.peer) peers.set(ev.linkId, ev.peer);
    if (ev.state === "ACTIVE" || ev.state === "SYNCED") {
      if (!open.has(ev.linkId))
        open.set(ev.linkId, { linkId: ev.linkId, since: e, sinceT: t, group: ev.group, peer: peers.get(ev.linkId) });
    } else open.delete(ev.linkId);
  }
  return open;
}

/** The peer (address and incarnation) of each link id the observer reported, from its link events. */
export function linkPeers(
  o: Incarnation,
  byNode: Map<string, string>,
): Map<string, { address?: string; incarnation: string }> {
  const out = new Map<string, { address?: string; incarnation: string }>();
  for (const e of o.entries) {
    const ev = e.event;
    if (ev.type === "link" && ev.peer)
      out.set(ev.linkId, { address: byNode.get(ev.peer.nodeName), incarnation: ev.peer.incarnation });
  }
  return out;
}

/** "beta/web", or "beta/web (incarnation 1a2b3c4d)" when the process ran several times. */
export function labelOf(h: ScenarioHistory, o: Incarnation): string {
  const runs = incarnations(h).filter((i) => i.process === o.process).length;
  return runs > 1 ? `${o.process} (incarnation ${o.incarnation.slice(0, 8)})` : o.process;
}
