/**
 * When a history was faulted, and when its mesh was whole: the windows during which a fault was active or a
 * machine or process was down, and the "converged" periods between them. The workload checkers judge lost
 * reports and failed calls only outside the windows; the assertion steps and the report's plots use the same
 * windows (workload-figures.ts), so a figure and a verdict never disagree about what "during a fault" means.
 *
 * Times are ms since the scenario started. A fault window runs from its `applied` to its `healed` entry (or the
 * end of the history); an outage from a machine's or process's crashed / stopped / exited / frozen to the last
 * started / thawed / ready that follows it. Each window is widened on both sides by the topology's failure
 * detection time plus a lag allowance ({@link windowAllowanceMs}): reports lost while a half-open link was still
 * being detected, or while the lab's action and the processes' clocks disagree by a few ms, are not the
 * exchange's fault.
 *
 * Exchange events are placed on their emitter's clock (`event.time`, epoch ms on the host the processes share),
 * the same clock the workloads' operations and deliveries use; see {@link placedTimes}.
 */
import type {
  RecordedEvent,
  RecordedExchange,
  RecordedFault,
  RecordedLifecycle,
  ScenarioHistory,
  TimingSummary,
} from "./history";

/** The spec's defaults (exchange-semantics §3.13), used when a history does not say its timing. */
export const DEFAULT_TIMING: TimingSummary = {
  heartbeatMs: 2000,
  missedBeats: 3,
  retryDelayMs: 5000,
  handshakeTimeoutMs: 5000,
  requestTimeoutMs: 30000,
};

/**
 * Event-loop lag, late timers and propagation over a few hops, added to every bound a checker holds the exchange
 * to: a lab runs a dozen processes on two shared cores, and a process can be a few hundred ms late.
 */
export const LAG_ALLOWANCE_MS = 1000;

/** Reconnect jitter (S-12: ±10%). */
const JITTER = 0.1;

/** The history's timing, and whether the history said it (older histories did not: the spec's defaults then). */
export function timingOf(h: ScenarioHistory): { timing: TimingSummary; known: boolean } {
  const t = h.topology?.timing;
  return t ? { timing: t, known: true } : { timing: DEFAULT_TIMING, known: false };
}

/** S-14: a dead link is detected at most `idleTimeoutMs + heartbeatMs` = (missedBeats + 1) × heartbeatMs after. */
export function detectionMs(t: TimingSummary): number {
  return (t.missedBeats + 1) * t.heartbeatMs;
}

/** §4 `T_fail`: detection plus propagation (the lag allowance). */
export function failBoundMs(t: TimingSummary): number {
  return detectionMs(t) + LAG_ALLOWANCE_MS;
}

/**
 * I19's bound from the moment a peer became reachable again: an attempt in flight may still fail (a handshake
 * timeout), then the next comes after `delay·(1+jitter)` and takes up to a handshake timeout, plus lag.
 */
export function reconnectBoundMs(t: TimingSummary): number {
  return Math.round(t.retryDelayMs * (1 + JITTER)) + 2 * t.handshakeTimeoutMs + LAG_ALLOWANCE_MS;
}

/** How far each window is widened on both sides: the failure detection time plus the lag allowance. */
export function windowAllowanceMs(h: ScenarioHistory): number {
  return failBoundMs(timingOf(h).timing);
}

/** The last lab time the history covers: the largest `t` of any entry (the lab drains events before checking). */
export function historyEndT(h: ScenarioHistory): number {
  let end = 0;
  for (const e of h.events) end = Math.max(end, e.t);
  return end;
}

// ── intervals ─────────────────────────────────────────────────────────────────────────────────────────────

/** A half-open interval of lab time [from, to), ms since the scenario started. */
export interface Interval {
  from: number;
  to: number;
}

/** The union of the intervals, sorted and disjoint. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ from: i.from, to: i.to });
  }
  return out;
}

/** The parts of `span` no interval covers. */
export function complement(list: readonly Interval[], span: Interval): Interval[] {
  const out: Interval[] = [];
  let at = span.from;
  for (const i of mergeIntervals(list)) {
    if (i.to <= at) continue;
    if (i.from >= span.to) break;
    if (i.from > at) out.push({ from: at, to: i.from });
    at = Math.max(at, i.to);
  }
  if (at < span.to) out.push({ from: at, to: span.to });
  return out;
}

/** The parts covered by both (each list is merged first). */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = mergeIntervals(a);
  const y = mergeIntervals(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const from = Math.max(x[i].from, y[j].from);
    const to = Math.min(x[i].to, y[j].to);
    if (to > from) out.push({ from, to });
    if (x[i].to < y[j].to) i++;
    else j++;
  }
  return out;
}

/** True when t lies in one of the intervals. */
export function within(t: number, list: readonly Interval[]): boolean {
  return list.some((i) => t >= i.from && t < i.to);
}

/** True when [from, to] touches one of the intervals. */
export function touches(from: number, to: number, list: readonly Interval[]): boolean {
  return list.some((i) => to >= i.from && from < i.to);
}

/** True when [from, to] lies inside one interval. */
export function inside(from: number, to: number, list: readonly Interval[]): boolean {
  return list.some((i) => from >= i.from && to <= i.to);
}

// ── fault windows ─────────────────────────────────────────────────────────────────────────────────────────

const DOWN = new Set(["crashed", "stopped", "exited", "frozen"]);
const UP = new Set(["started", "thawed", "ready"]);

/** A fault that was active, or a machine or process that was down. */
export interface FaultWindow {
  kind: "fault" | "outage";
  /** "cut alpha ⇄ beta", "latency beta/web (200 ms)", "alpha crashed", "gamma/reporter frozen". */
  label: string;
  /** The fault's type, or the lifecycle state that began the outage. */
  cause: string;
  /** Machines or process addresses. */
  targets: string[];
  /** When it began and ended (`end` is the end of the history for a window that never ended). */
  start: number;
  end: number;
  ended: boolean;
  /** Widened by {@link windowAllowanceMs} on both sides (`from` not below 0). */
  from: number;
  to: number;
  /** The applied/healed or down/up entries. */
  events: RecordedEvent[];
}

const windowCache = new WeakMap<object, { length: number; windows: FaultWindow[] }>();

/** Every fault and outage of the history, by start time (cached per history). */
export function faultWindows(h: ScenarioHistory): FaultWindow[] {
  const hit = windowCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.windows;
  const endT = historyEndT(h);
  const allowance = windowAllowanceMs(h);
  const raw = [...faultsOf(h, endT), ...outagesOf(h, endT)].sort((a, b) => a.start - b.start);
  const windows = raw.map((w) => ({ ...w, from: Math.max(0, w.start - allowance), to: w.end + allowance }));
  windowCache.set(h.events, { length: h.events.length, windows });
  return windows;
}

/** The widened windows, merged: the times the workload checkers do not judge. */
export function faultedIntervals(h: ScenarioHistory): Interval[] {
  return mergeIntervals(faultWindows(h).map((w) => ({ from: w.from, to: w.to })));
}

/** The windows as they happened (not widened), merged. */
export function rawFaultIntervals(h: ScenarioHistory): Interval[] {
  return mergeIntervals(faultWindows(h).map((w) => ({ from: w.start, to: w.ended ? w.end : Infinity })));
}

type RawWindow = Omit<FaultWindow, "from" | "to">;

function faultsOf(h: ScenarioHistory, endT: number): RawWindow[] {
  const open = new Map<string, RecordedFault>();
  const out: RawWindow[] = [];
  const label = (f: RecordedFault) =>
    `${f.fault.type} ${f.fault.targets.join(" ⇄ ")}${f.fault.detail ? ` (${f.fault.detail})` : ""}`;
  for (const e of h.events) {
    if (e.kind !== "fault") continue;
    if (e.action === "applied") {
      if (!open.has(e.faultId)) open.set(e.faultId, e);
      continue;
    }
    const a = open.get(e.faultId);
    if (!a) continue;
    open.delete(e.faultId);
    out.push({
      kind: "fault",
      label: label(a),
      cause: a.fault.type,
      targets: [...a.fault.targets],
      start: a.t,
      end: e.t,
      ended: true,
      events: [a, e],
    });
  }
  for (const a of open.values())
    out.push({
      kind: "fault",
      label: label(a),
      cause: a.fault.type,
      targets: [...a.fault.targets],
      start: a.t,
      end: Math.max(a.t, endT),
      ended: false,
      events: [a],
    });
  return out;
}

interface OpenOutage {
  window: RawWindow;
  recovering: boolean;
}

function outagesOf(h: ScenarioHistory, endT: number): RawWindow[] {
  const open = new Map<string, OpenOutage>();
  const out: RawWindow[] = [];
  for (const e of h.events) {
    if (e.kind !== "lifecycle") continue;
    const cur = open.get(e.target);
    if (DOWN.has(e.state)) {
      if (cur && !cur.recovering) {
        cur.window.events.push(e);
        continue;
      }
      if (cur) out.push(cur.window);
      open.set(e.target, {
        recovering: false,
        window: {
          kind: "outage",
          label: `${e.target} ${e.state}`,
          cause: e.state,
          targets: [e.target],
          start: e.t,
          end: endT,
          ended: false,
          events: [e],
        },
      });
    } else if (UP.has(e.state) && cur) {
      cur.recovering = true;
      cur.window.end = e.t;
      cur.window.ended = true;
      cur.window.events.push(e);
    }
  }
  for (const o of open.values()) {
    if (!o.window.ended) o.window.end = Math.max(o.window.start, endT);
    out.push(o.window);
  }
  return foldMachineOutages(out);
}

/**
 * A machine that goes down takes its processes with it: the lab records the machine and each process. Their
 * windows are folded into the machine's (its targets listed), so a plot shades one window and not five.
 */
function foldMachineOutages(list: RawWindow[]): RawWindow[] {
  const machines = list.filter((w) => !w.targets[0].includes("/"));
  const out: RawWindow[] = [];
  for (const w of list) {
    const target = w.targets[0];
    if (!target.includes("/")) {
      out.push(w);
      continue;
    }
    const machine = target.split("/")[0];
    const host = machines.find(
      (m) => m.targets[0] === machine && m.cause === w.cause && Math.abs(m.start - w.start) <= 100,
    );
    if (!host) {
      out.push(w);
      continue;
    }
    host.targets.push(target);
    if (!w.ended || (host.ended && w.end > host.end)) {
      host.end = w.end;
      host.ended = w.ended;
    }
    host.events.push(...w.events);
  }
  for (const m of machines) m.events.sort((a, b) => a.id - b.id);
  return out;
}

/** The machine of a process address, or the name itself for a machine. */
export function machineOf(target: string): string {
  return target.split("/")[0];
}

/** True when a window's targets name `address` or its machine. */
export function windowConcerns(w: FaultWindow, address: string): boolean {
  return w.targets.some((t) => t === address || t === machineOf(address));
}

// ── placing exchange events on the lab's clock ────────────────────────────────────────────────────────────

const placedCache = new WeakMap<object, { length: number; placed: Map<number, number> }>();

/**
 * entry id → when the event happened, in ms since the scenario started: the emitter's own clock (`event.time`,
 * epoch ms; processes and containers share the host's kernel clock, as the workloads' operations do), never
 * later than the lab received it. A process whose clock runs ahead of the lab's is shifted back so that its
 * earliest-pulled event lands on its arrival.
 */
export function placedTimes(h: ScenarioHistory): Map<number, number> {
  const hit = placedCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.placed;
  const ex = h.events.filter((e): e is RecordedExchange => e.kind === "exchange" && Number.isFinite(e.event.time));
  const key = (e: RecordedExchange) => `${e.process}\u0000${e.event.incarnation}`;
  const offsets = new Map<string, number>();
  for (const e of ex)
    offsets.set(key(e), Math.min(offsets.get(key(e)) ?? Infinity, e.t - (e.event.time - h.startedAt)));
  const placed = new Map<number, number>();
  for (const e of ex) {
    const at = e.event.time - h.startedAt + Math.min(0, offsets.get(key(e)) ?? 0);
    placed.set(e.id, Math.min(e.t, Math.max(0, at)));
  }
  placedCache.set(h.events, { length: h.events.length, placed });
  return placed;
}

/** When an entry happened: its placed time for an exchange event, else `t`. */
export function timeOf(h: ScenarioHistory, e: RecordedEvent): number {
  return e.kind === "exchange" ? (placedTimes(h).get(e.id) ?? e.t) : e.t;
}

// ── links and convergence ─────────────────────────────────────────────────────────────────────────────────

/** One process incarnation's exchange events in seq order, and the lab time its run ended. */
export interface Incarnation {
  process: string;
  machine: string;
  node: string;
  incarnation: string;
  entries: RecordedExchange[];
  /** Placed time of its first event. */
  begin: number;
  /** When it stopped running: its process or machine went down, a later incarnation began, or the history ended. */
  end: number;
  /** True when it ended by going down or being replaced (not by the history ending). */
  ended: boolean;
}

const incarnationCache = new WeakMap<object, { length: number; list: Incarnation[] }>();

/** Every incarnation of every process (cached per history). */
export function incarnations(h: ScenarioHistory): Incarnation[] {
  const hit = incarnationCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.list;
  const placed = placedTimes(h);
  const byKey = new Map<string, Incarnation>();
  for (const e of h.events) {
    if (e.kind !== "exchange") continue;
    const key = `${e.process}\u0000${e.event.incarnation}`;
    let inc = byKey.get(key);
    if (!inc) {
      inc = {
        process: e.process,
        machine: e.machine,
        node: e.event.node,
        incarnation: e.event.incarnation,
        entries: [],
        begin: placed.get(e.id) ?? e.t,
        end: 0,
        ended: false,
      };
      byKey.set(key, inc);
    }
    inc.entries.push(e);
  }
  const endT = historyEndT(h);
  const lifecycle = h.events.filter((e): e is RecordedLifecycle => e.kind === "lifecycle");
  const list = [...byKey.values()];
  for (const inc of list) {
    const seen = new Set<number>();
    inc.entries = inc.entries
      .sort((a, b) => a.event.seq - b.event.seq || a.id - b.id)
      .filter((e) => (seen.has(e.event.seq) ? false : (seen.add(e.event.seq), true)));
    inc.begin = Math.min(...inc.entries.map((e) => placed.get(e.id) ?? e.t));
  }
  for (const inc of list) {
    const next = list
      .filter((o) => o.process === inc.process && o !== inc && o.begin > inc.begin)
      .reduce((m, o) => Math.min(m, o.begin), Infinity);
    const down = lifecycle.find(
      (l) =>
        (l.state === "crashed" || l.state === "stopped" || l.state === "exited") &&
        l.t >= inc.begin &&
        (l.target === inc.process || l.target === inc.machine),
    );
    const end = Math.min(next, down?.t ?? Infinity);
    inc.ended = end !== Infinity;
    inc.end = inc.ended ? Math.max(end, inc.begin) : endT;
  }
  incarnationCache.set(h.events, { length: h.events.length, list });
  return list;
}

/** node name → the one process address that emitted under it (names emitted by several addresses are left out). */
export function addressesByNode(h: ScenarioHistory): Map<string, string> {
  const m = new Map<string, Set<string>>();
  for (const e of h.events)
    if (e.kind === "exchange") m.set(e.event.node, (m.get(e.event.node) ?? new Set()).add(e.process));
  for (const p of h.topology?.processes ?? []) if (!m.has(p.address)) m.set(p.address, new Set([p.address]));
  const out = new Map<string, string>();
  for (const [node, set] of m) if (set.size === 1) out.set(node, [...set][0]);
  return out;
}

const LIVE = new Set(["ACTIVE", "SYNCED"]);

/**
 * "address\0peerAddress\0group" → when `address` held at least one ACTIVE (or SYNCED) link to `peerAddress` in
 * `group`, from its own link events; a run's links end with the run.
 */
export function linkUpIntervals(h: ScenarioHistory): Map<string, Interval[]> {
  const hit = linkUpCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.value;
  const value = computeLinkUp(h);
  linkUpCache.set(h.events, { length: h.events.length, value });
  return value;
}

const linkUpCache = new WeakMap<object, { length: number; value: Map<string, Interval[]> }>();

function computeLinkUp(h: ScenarioHistory): Map<string, Interval[]> {
  const placed = placedTimes(h);
  const byNode = addressesByNode(h);
  const out = new Map<string, Interval[]>();
  for (const inc of incarnations(h)) {
    const open = new Map<string, { key: string; since: number }>();
    const count = new Map<string, number>();
    const sinceOf = new Map<string, number>();
    const close = (linkId: string, at: number) => {
      const o = open.get(linkId);
      if (!o) return;
      open.delete(linkId);
      const n = (count.get(o.key) ?? 1) - 1;
      count.set(o.key, n);
      if (n === 0) push(out, o.key, { from: sinceOf.get(o.key) ?? at, to: at });
    };
    for (const e of inc.entries) {
      const ev = e.event;
      if (ev.type !== "link") continue;
      const at = placed.get(e.id) ?? e.t;
      if (LIVE.has(ev.state)) {
        const peer = ev.peer ? byNode.get(ev.peer.nodeName) : undefined;
        if (!peer || open.has(ev.linkId)) continue;
        const key = `${inc.process}\u0000${peer}\u0000${ev.group}`;
        open.set(ev.linkId, { key, since: at });
        const n = (count.get(key) ?? 0) + 1;
        count.set(key, n);
        if (n === 1) sinceOf.set(key, at);
      } else if (ev.state === "CLOSED" || ev.state === "STANDBY") close(ev.linkId, at);
    }
    for (const linkId of [...open.keys()]) close(linkId, inc.end);
  }
  for (const [k, list] of out) out.set(k, mergeIntervals(list));
  return out;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** A pair of processes that should be linked in `group`. */
export interface PairSummary {
  a: string;
  b: string;
  group: string;
}

/**
 * What "linked" requires: one of the pairs up (a client with several servers in a group uses one at a time, S-7;
 * otherwise one pair), from `since` on (a process added to a running lab is expected from its first event).
 */
export interface LinkRequirement {
  pairs: PairSummary[];
  since: number;
  /** Whether the plan dials it (else it was seen ACTIVE in the history). */
  planned: boolean;
}

/** The links the history's mesh should have: the plan's dials, and every pair seen ACTIVE at both ends. */
export function linkRequirements(h: ScenarioHistory): LinkRequirement[] {
  const hit = requirementCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.value;
  const value = computeRequirements(h);
  requirementCache.set(h.events, { length: h.events.length, value });
  return value;
}

const requirementCache = new WeakMap<object, { length: number; value: LinkRequirement[] }>();

function computeRequirements(h: ScenarioHistory): LinkRequirement[] {
  const roles = new Map<string, "server" | "client">();
  for (const p of h.topology?.processes ?? [])
    for (const e of p.endpoints) roles.set(`${p.address}\u0000${e.group}`, e.role);
  const byNode = addressesByNode(h);
  const firstSeen = new Map<string, number>();
  for (const inc of incarnations(h))
    firstSeen.set(inc.process, Math.min(firstSeen.get(inc.process) ?? Infinity, inc.begin));
  const reqs = new Map<string, LinkRequirement>();
  const add = (pair: PairSummary, planned: boolean, since: number) => {
    const [a, b] = [pair.a, pair.b].sort();
    const client =
      roles.get(`${a}\u0000${pair.group}`) === "client"
        ? a
        : roles.get(`${b}\u0000${pair.group}`) === "client"
          ? b
          : undefined;
    const key =
      client !== undefined ? `client\u0000${client}\u0000${pair.group}` : `pair\u0000${a}\u0000${b}\u0000${pair.group}`;
    const req = reqs.get(key) ?? { pairs: [], since, planned };
    if (!req.pairs.some((p) => p.a === a && p.b === b && p.group === pair.group))
      req.pairs.push({ a, b, group: pair.group });
    req.since = Math.min(req.since, since);
    req.planned ||= planned;
    reqs.set(key, req);
  };
  for (const l of h.topology?.links ?? []) add(l, true, 0);
  for (const inc of incarnations(h)) {
    for (const e of inc.entries) {
      const ev = e.event;
      if (ev.type !== "link" || !LIVE.has(ev.state) || !ev.peer) continue;
      const peer = byNode.get(ev.peer.nodeName);
      if (!peer || peer === inc.process) continue;
      if (ev.role === "client") roles.set(`${inc.process}\u0000${ev.group}`, "client");
      else if (ev.peer.role === "client") roles.set(`${peer}\u0000${ev.group}`, "client");
      const since = Math.max(firstSeen.get(inc.process) ?? 0, firstSeen.get(peer) ?? 0);
      add({ a: inc.process, b: peer, group: ev.group }, false, since);
    }
  }
  return [...reqs.values()];
}

/** When both ends of the pair held an ACTIVE link to each other. */
export function pairUpIntervals(h: ScenarioHistory, p: PairSummary): Interval[] {
  const up = linkUpIntervals(h);
  return intersect(
    up.get(`${p.a}\u0000${p.b}\u0000${p.group}`) ?? [],
    up.get(`${p.b}\u0000${p.a}\u0000${p.group}`) ?? [],
  );
}

/** The history's converged periods and how they were judged. */
export interface Convergence {
  /**
   * "links": no window (widened) active, every link the mesh should have ACTIVE at both ends (the plan's dials
   * and every pair seen ACTIVE), and one heartbeat since then for bindings to propagate.
   * "approximate": the history has no link events to judge by; no window active and a reconnect time since
   * the last one ended.
   */
  method: "links" | "approximate";
  periods: Interval[];
  notes: string[];
}

const convergenceCache = new WeakMap<object, { length: number; c: Convergence }>();

/** When the mesh was converged (cached per history). */
export function convergence(h: ScenarioHistory): Convergence {
  const hit = convergenceCache.get(h.events);
  if (hit && hit.length === h.events.length) return hit.c;
  const c = judgeConvergence(h);
  convergenceCache.set(h.events, { length: h.events.length, c });
  return c;
}

function judgeConvergence(h: ScenarioHistory): Convergence {
  const { timing, known } = timingOf(h);
  const endT = historyEndT(h);
  const span = { from: 0, to: endT + 1 };
  const quiet = complement(faultedIntervals(h), span);
  const notes = known ? [] : ["The history does not say its timing: the spec's defaults were assumed (§3.13)."];
  const reqs = linkRequirements(h);
  const withEvents = new Set(
    h.events
      .filter((e) => e.kind === "exchange" && e.event.type === "link")
      .map((e) => (e as RecordedExchange).process),
  );
  const judgeable =
    reqs.length > 0 && reqs.every((r) => r.pairs.every((p) => withEvents.has(p.a) && withEvents.has(p.b)));
  if (!judgeable) {
    const reconnect = Math.round(timing.retryDelayMs * (1 + JITTER)) + timing.handshakeTimeoutMs + timing.heartbeatMs;
    const late = faultWindows(h).map((w) => ({ from: w.from, to: w.to + reconnect }));
    notes.push(
      reqs.length === 0
        ? "No link of the mesh is known (no planned links, no link events): converged means no window active and a reconnect time since the last one."
        : "Some planned links' processes emitted no link events: converged means no window active and a reconnect time since the last one.",
    );
    return { method: "approximate", periods: complement(late, span), notes };
  }
  let periods = quiet;
  for (const r of reqs) {
    const up = mergeIntervals(r.pairs.flatMap((p) => pairUpIntervals(h, p)));
    periods = intersect(periods, [...up, { from: 0, to: r.since }]);
  }
  const settle = timing.heartbeatMs;
  periods = periods.map((p) => ({ from: p.from + settle, to: p.to })).filter((p) => p.to > p.from);
  return { method: "links", periods, notes };
}

/** True when the whole of [from, to] lies in one converged period. */
export function convergedThrough(h: ScenarioHistory, from: number, to: number): boolean {
  return inside(from, to, convergence(h).periods);
}
