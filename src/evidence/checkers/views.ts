/**
 * Views of a history that the checkers share. Every checker judges one observer at a time: one incarnation of
 * one process, its events in `seq` order (its own clock), never events of different processes against each
 * other by time.
 */
import type { BindingEvent, ExchangeEvent } from "../../exchange";
import type { RecordedExchange, RecordedLifecycle, ScenarioHistory } from "../history";

/** The events of one incarnation of one process, de-duplicated by `seq` and sorted by it. */
export interface ObserverStream {
  process: string;
  machine: string;
  node: string;
  incarnation: string;
  entries: RecordedExchange[];
  /** Human label: the address, plus the incarnation when the process had several. */
  label: string;
}

/**
 * A run of consecutive `seq` numbers. `knownStart` is true when it starts at seq 1, i.e. the observer's state
 * before it is known to be empty; after a gap (events the lab never received) the state is unknown.
 */
export interface Segment {
  entries: RecordedExchange[];
  knownStart: boolean;
}

export function exchangeEntries(h: ScenarioHistory): RecordedExchange[] {
  return h.events.filter((e): e is RecordedExchange => e.kind === "exchange");
}

const streamCache = new WeakMap<object, { length: number; streams: ObserverStream[] }>();

/** Every observer's stream (cached per history events array, so the checkers of one run share it). */
export function observerStreams(h: ScenarioHistory): ObserverStream[] {
  const hit = streamCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.streams;
  const streams = buildStreams(h);
  streamCache.set(h.events, { length: h.events.length, streams });
  return streams;
}

function buildStreams(h: ScenarioHistory): ObserverStream[] {
  const byKey = new Map<string, ObserverStream>();
  const incarnations = new Map<string, Set<string>>();
  for (const e of exchangeEntries(h)) {
    const key = `${e.process}\u0000${e.event.incarnation}`;
    let s = byKey.get(key);
    if (!s) {
      s = {
        process: e.process,
        machine: e.machine,
        node: e.event.node,
        incarnation: e.event.incarnation,
        entries: [],
        label: e.process,
      };
      byKey.set(key, s);
    }
    s.entries.push(e);
    const set = incarnations.get(e.process) ?? new Set<string>();
    set.add(e.event.incarnation);
    incarnations.set(e.process, set);
  }
  for (const s of byKey.values()) {
    const seen = new Set<number>();
    s.entries = s.entries
      .slice()
      .sort((a, b) => a.event.seq - b.event.seq || a.id - b.id)
      .filter((e) => (seen.has(e.event.seq) ? false : (seen.add(e.event.seq), true)));
    if ((incarnations.get(s.process)?.size ?? 0) > 1) s.label = `${s.process} (incarnation ${shortId(s.incarnation)})`;
  }
  return [...byKey.values()];
}

export function segments(s: ObserverStream): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | undefined;
  for (const e of s.entries) {
    if (!cur || e.event.seq !== cur.entries[cur.entries.length - 1].event.seq + 1) {
      cur = { entries: [], knownStart: !cur && e.event.seq === 1 };
      out.push(cur);
    }
    cur.entries.push(e);
  }
  return out;
}

/** Notes naming the seq ranges the lab never received, so a reader knows what was not judged. */
export function gapNotes(s: ObserverStream): string[] {
  const segs = segments(s);
  const notes: string[] = [];
  if (segs.length > 0 && !segs[0].knownStart)
    notes.push(
      `${s.label}: events before seq ${segs[0].entries[0].event.seq} were not recorded; judged from there on.`,
    );
  for (let i = 1; i < segs.length; i++) {
    const prev = segs[i - 1].entries[segs[i - 1].entries.length - 1].event.seq;
    const next = segs[i].entries[0].event.seq;
    notes.push(
      `${s.label}: events seq ${prev + 1}–${next - 1} were not recorded; its state was not judged across the gap.`,
    );
  }
  return notes;
}

export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function isBinding(e: ExchangeEvent): e is BindingEvent {
  return e.type === "binding";
}

/** `service "billing" (agent alpha/billing/1a2b/3)`, or just the agent id when no name is known. */
export function describeAgent(agentId: string, serviceName?: string): string {
  return serviceName !== undefined && serviceName !== ""
    ? `service "${serviceName}" (agent ${agentId})`
    : `agent ${agentId}`;
}

/** agentId → service name, from every binding event in the history. */
export function serviceNames(h: ScenarioHistory): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of exchangeEntries(h))
    if (isBinding(e.event) && !names.has(e.event.agentId)) names.set(e.event.agentId, e.event.serviceName);
  return names;
}

export function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * nodeName → process addresses that emitted events under that name (several only for a name conflict); a
 * topology address that never emitted maps to itself.
 */
export function nodeAddresses(h: ScenarioHistory): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const e of exchangeEntries(h)) {
    const set = m.get(e.event.node) ?? new Set<string>();
    set.add(e.process);
    m.set(e.event.node, set);
  }
  const emitted = new Set(exchangeEntries(h).map((e) => e.process));
  for (const p of h.topology?.processes ?? [])
    if (!emitted.has(p.address) && !m.has(p.address)) m.set(p.address, new Set([p.address]));
  return m;
}

/** "alpha/billing" for a node name the history can place, else the node name quoted. */
export function describeNode(nodeName: string, addresses: Map<string, Set<string>>): string {
  const set = addresses.get(nodeName);
  if (set && set.size === 1) {
    const [address] = [...set];
    return address === nodeName ? address : `${address} (node ${quote(nodeName)})`;
  }
  return `node ${quote(nodeName)}`;
}

/** linkId → every event of that link in this stream, in seq order. */
export function linksOf(s: ObserverStream): Map<string, RecordedExchange[]> {
  const m = new Map<string, RecordedExchange[]>();
  for (const e of s.entries) {
    if (e.event.type !== "link") continue;
    const list = m.get(e.event.linkId) ?? [];
    list.push(e);
    m.set(e.event.linkId, list);
  }
  return m;
}

/** The given entries without duplicates or holes, in history order: the proof of a violation. */
export function proofOf<T extends { id: number }>(...list: (T | undefined)[]): T[] {
  const byId = new Map<number, T>();
  for (const x of list) if (x !== undefined) byId.set(x.id, x);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** "4.210 s": a lab time (ms since the scenario started) for a message. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** The lifecycle entry by which `address` (or its machine) went down in [from, to]: crashed, stopped, exited… */
export function wentDown(
  h: ScenarioHistory,
  address: string,
  from: number,
  to: number,
  o: { frozen?: boolean } = {},
): RecordedLifecycle | undefined {
  const machine = address.split("/")[0];
  return h.events.find(
    (e): e is RecordedLifecycle =>
      e.kind === "lifecycle" &&
      (e.target === address || e.target === machine) &&
      (e.state === "crashed" ||
        e.state === "stopped" ||
        e.state === "exited" ||
        (!!o.frozen && e.state === "frozen")) &&
      e.t >= from &&
      e.t <= to,
  );
}
