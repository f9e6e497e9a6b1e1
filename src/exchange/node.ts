import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { ServiceAgent } from "./agent";
import type { Frame } from "./codec";
import type {
  AgentContext,
  AgentPort,
  Anomaly,
  AnomalyInfo,
  Emit,
  ExchangeContext,
  ReplyAlong,
  ReportsContext,
  SendTo,
} from "./context";
import { ExchangeError, FrameError } from "./errors";
import type { AnomalyEvent, ExchangeEvent, ExchangeEventType } from "./events";
import { Exchange } from "./exchange";
import type { Outgoing } from "./fanout";
import { EventHub } from "./hub";
import type { Link } from "./link";
import type { ExchangeRef } from "./link-context";
import { Propagation } from "./propagation";
import { exportable } from "./protocol";
import { Registry, view, type Entry } from "./registry";
import { Reports } from "./reports";
import { Requests } from "./requests";
import { Router } from "./router";
import type {
  AgentOptions,
  BindingView,
  Clock,
  Counters,
  ExchangeLogger,
  ExchangeNodeOptions,
  ExchangeOptions,
  NodeDump,
  ResolvePolicy,
  Timing,
} from "./types";

declare module "./agent" {
  interface ServiceAgent {
    /** The node that made this agent. */
    readonly node: ExchangeNode;
  }
}

declare module "./exchange" {
  interface Exchange {
    /** The node that made this exchange. */
    readonly node: ExchangeNode;
  }
}

type Listener<E> = (e: E) => void;

const silent: ExchangeLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function resolveTiming(t: Partial<Timing> = {}): Timing {
  const heartbeatMs = t.heartbeatMs ?? 2000;
  const out: Timing = {
    heartbeatMs,
    missedBeats: t.missedBeats ?? 3,
    handshakeTimeoutMs: t.handshakeTimeoutMs ?? 5000,
    probeTimeoutMs: t.probeTimeoutMs ?? 2 * heartbeatMs,
    retryDelayMs: t.retryDelayMs ?? 5000,
    jitter: t.jitter ?? 0.1,
    maxFrameBytes: t.maxFrameBytes ?? 1024 * 1024,
    highWaterBytes: t.highWaterBytes ?? 8 * 1024 * 1024,
    writeStallMs: t.writeStallMs ?? 10000,
    requestTimeoutMs: t.requestTimeoutMs ?? 30000,
  };
  for (const [k, v] of Object.entries(out)) {
    const ok =
      typeof v === "number" &&
      Number.isFinite(v) &&
      (k === "retryDelayMs" || k === "jitter" || k === "requestTimeoutMs" ? v >= 0 : v > 0);
    if (!ok)
      throw new ExchangeError(
        "INVALID_ARGUMENT",
        `timing.${k} must be a ${k === "jitter" ? "non-negative" : "positive"} number, got ${String(v)}`,
      );
  }
  if (out.maxFrameBytes < 1024)
    throw new ExchangeError("INVALID_ARGUMENT", `timing.maxFrameBytes must be at least 1024, got ${out.maxFrameBytes}`);
  return out;
}

/**
 * One process identity (S-1) with its registry, exchanges (one per group), service agents and event
 * stream. Several nodes may live in one OS process.
 */
export class ExchangeNode {
  readonly name: string;
  readonly incarnation: string;
  readonly timing: Timing;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: ExchangeLogger;
  /** S-17, unless replaced through the options. */
  readonly exportable: (audience: string, group: string) => boolean;
  readonly registry: Registry;
  private readonly hub: EventHub;
  /** Every link of every exchange that is not closed, by link id. */
  private readonly links = new Map<string, Link>();
  /** Agents not withdrawn, by agent id, with what requests and reports see of them. */
  private readonly localAgents = new Map<string, { agent: ServiceAgent; port: AgentPort }>();
  private readonly propagation: Propagation;
  private readonly router: Router;
  private readonly requests: Requests;
  private readonly reports: Reports;
  private readonly agentContext: AgentContext<ServiceAgent>;
  private readonly exchangeContext: ExchangeContext;
  private readonly groups = new Map<string, Exchange>();
  private readonly counters: Counters = { dup_binding_paths: 0, orphan_replies: 0, late_replies: 0, topology_loops: 0 };
  private readonly idCounters = new Map<string, number>();
  private readonly roundRobin = new Map<string, number>();
  private agentCounter = 0;
  private conversationCounter = 0;
  private closed = false;

  constructor(opts: ExchangeNodeOptions = {}) {
    this.name = opts.name ?? `${hostname()}:${process.pid}`;
    if (typeof this.name !== "string" || this.name === "")
      throw new ExchangeError("INVALID_ARGUMENT", "node name must be a non-empty string");
    this.random = opts.random ?? Math.random;
    this.incarnation = opts.incarnation ?? (opts.random ? randomHex(opts.random) : randomBytes(8).toString("hex"));
    if (!/^[0-9a-f]{16}$/.test(this.incarnation))
      throw new ExchangeError(
        "INVALID_ARGUMENT",
        `incarnation must be 16 lower-case hex digits, got ${this.incarnation}`,
      );
    this.timing = resolveTiming(opts.timing);
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.logger = opts.logger ?? silent;
    this.exportable = opts.exportPredicate ?? exportable;
    this.hub = new EventHub(this.name, this.incarnation, this.clock, this.logger, opts.eventLogLimit ?? 10000);
    this.registry = new Registry(this.hub, this.logger);

    const { name: nodeName, incarnation, timing, clock, logger, registry } = this;
    const withdrawOnClose = opts.withdrawOnClose ?? (() => true);
    const conversationPrefix = `${nodeName}/${incarnation}/`;
    const emit: Emit = (body) => this.hub.emit(body);
    const anomaly: Anomaly = (kind, info) => this.anomaly(kind, info);
    const observe = registry._observe.bind(registry);
    const entry = (agentId: string): Entry | undefined => registry._get(agentId);
    const agent = (agentId: string): AgentPort | undefined => this.localAgents.get(agentId)?.port;
    const send: SendTo = (h, payload) => this.router.send(h, payload);
    const reply: ReplyAlong = (path, h, payload) => this.router.reply(path, h, payload);

    this.propagation = new Propagation({
      registry,
      logger,
      anomaly,
      exportable: (audience, group) => this.exportable(audience, group),
      exchanges: () => this.groups.values(),
    });
    this.router = new Router({
      nodeName,
      entry,
      link: (linkId) => this.links.get(linkId),
      anomaly,
      serve: (h, payload, path) => this.requests.serveFrame(h, payload, path),
      settle: (h, payload) => this.requests.onReply(h, payload),
      report: (h, payload, path) => this.reports.onFrame(h, payload, path),
      reports: (h, payload, r, local, forwarded) => this.reports.onReports(h, payload, r, local, forwarded),
    });
    this.requests = new Requests({
      timing,
      clock,
      logger,
      conversationPrefix,
      emit,
      anomaly,
      observe,
      nextConversationId: () => `${conversationPrefix}c${++this.conversationCounter}`,
      agent,
      reply,
    });
    const entriesNamed = (name: string): Entry[] => registry._byName(name);
    const publish = (o: Outgoing): void => this.router.publish(o);
    const emitReport: ReportsContext["emitReport"] = this.hub.emitReport.bind(this.hub);
    this.reports = new Reports({
      ...{ clock, emit, emitReport, observe, entry, entriesNamed, agent, send, reply, publish },
      dropReport: opts.dropReport,
    });
    this.agentContext = {
      node: this,
      nodeName,
      incarnation,
      logger,
      assertOpen: () => this.assertOpen(),
      nextAgentId: () => `${nodeName}/${incarnation}/${++this.agentCounter}`,
      attach: (agentId, a, port) => void this.localAgents.set(agentId, { agent: a, port }),
      detach: (agentId) => void this.localAgents.delete(agentId),
      bindings: this.propagation,
      reports: this.reports,
      request: (fromAgent, target, method, args, o) =>
        this.requests.request(fromAgent, target, this.resolveTarget(target, o.policy), method, args, o),
    };
    this.exchangeContext = {
      node: this,
      nodeName,
      incarnation,
      timing,
      logger,
      random: () => this.random(),
      emit,
      nextId: (prefix) => this.nextId(prefix),
      linkCreated: (link) => void this.links.set(link.id, link),
      linkActive: (link) => this.propagation.snapshot(link),
      linkFrame: (link, f) => this.onLinkFrame(link, f),
      linkClosed: (link, reason) => {
        this.links.delete(link.id);
        if (withdrawOnClose(reason)) this.propagation.linkClosed(link, reason);
      },
      exchangeGone: (ex) => this.removeExchange(ex),
    };
  }

  /** Every event (`"event"`) or the events of one type. Listener errors are logged, never thrown into the exchange. */
  on(type: "event", listener: Listener<ExchangeEvent>): this;
  on<K extends ExchangeEventType>(type: K, listener: Listener<Extract<ExchangeEvent, { type: K }>>): this;
  on(type: string, listener: Listener<never>): this {
    this.hub.on(type, listener as Listener<ExchangeEvent>);
    return this;
  }

  off(type: "event", listener: Listener<ExchangeEvent>): this;
  off<K extends ExchangeEventType>(type: K, listener: Listener<Extract<ExchangeEvent, { type: K }>>): this;
  off(type: string, listener: Listener<never>): this {
    this.hub.off(type, listener as Listener<ExchangeEvent>);
    return this;
  }

  /** Recent events with seq > `seq` (the log keeps `eventLogLimit` events). */
  eventsSince(seq = 0): ExchangeEvent[] {
    return this.hub.since(seq);
  }

  /** Seq of the last event emitted. */
  get lastEventSeq(): number {
    return this.hub.lastSeq;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Creates this process's exchange for a group; a second one for the same group throws DUPLICATE_EXCHANGE (S-6). */
  exchange(opts: ExchangeOptions): Exchange {
    const ex = new Exchange(this.exchangeContext, opts);
    this.addExchange(ex);
    return ex;
  }

  /** The exchange of a group, if any. */
  getExchange(group = ""): Exchange | undefined {
    return this.groups.get(group);
  }

  get exchanges(): Exchange[] {
    return [...this.groups.values()];
  }

  agent(opts: AgentOptions): ServiceAgent {
    return new ServiceAgent(this.agentContext, opts);
  }

  get agents(): ServiceAgent[] {
    return [...this.localAgents.values()].map((a) => a.agent);
  }

  /**
   * S-26: a binding with this service name. "first" (default): local ones first, then the lowest agentId;
   * "round-robin": rotates over the bindings in that order.
   */
  resolve(name: string, policy: ResolvePolicy = "first"): BindingView | undefined {
    const e = this.resolveEntry(name, policy);
    return e && view(e);
  }

  dump(): NodeDump {
    const links = [...this.links.values()].map((l) => l.dump());
    for (const ex of this.groups.values()) {
      for (const d of ex.standbyDialers())
        links.push({
          linkId: d.linkId ?? d.id,
          group: ex.group,
          role: ex.role,
          state: "STANDBY",
          dialer: true,
          dialerId: d.id,
        });
    }
    return {
      node: this.name,
      incarnation: this.incarnation,
      time: this.clock.now(),
      exchanges: this.exchanges.map((ex) => ({ group: ex.group, role: ex.role, listening: ex.listening })),
      links,
      bindings: this.registry.all(),
      edges: this.reports.dump(),
      pending: this.requests.dump(),
      counters: { ...this.counters },
    };
  }

  /** Withdraws every agent (propagated), settles pending requests CANCELLED, shuts every exchange down. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { agent } of [...this.localAgents.values()]) agent.withdraw("SHUTDOWN");
    this.requests.cancelAll("node closed");
    await Promise.all(this.exchanges.map((ex) => ex.shutdown()));
  }

  /** Simulated crash: destroys every socket without sending anything more. Local agents are dropped silently. */
  destroy(): void {
    this.closed = true;
    for (const ex of this.exchanges) ex.destroy();
    this.requests.cancelAll("node destroyed");
  }

  private assertOpen(): void {
    if (this.closed) throw new ExchangeError("NODE_CLOSED", `exchange node ${this.name} is closed`);
  }

  private addExchange(ex: Exchange): void {
    this.assertOpen();
    const other = this.groups.get(ex.group);
    if (other)
      throw new ExchangeError(
        "DUPLICATE_EXCHANGE",
        `${this.name} already has a ${other.role} exchange in group "${ex.group}" (one per group, S-6)`,
      );
    this.groups.set(ex.group, ex);
  }

  private removeExchange(ex: ExchangeRef): void {
    if (this.groups.get(ex.group) === ex) this.groups.delete(ex.group);
  }

  private nextId(prefix: string): string {
    const n = (this.idCounters.get(prefix) ?? 0) + 1;
    this.idCounters.set(prefix, n);
    return `${prefix}${n}`;
  }

  /** An agent id held here, else S-26 name resolution. */
  private resolveTarget(target: string, policy: ResolvePolicy = "first"): Entry | undefined {
    return this.registry._get(target) ?? this.resolveEntry(target, policy);
  }

  private anomaly(kind: AnomalyEvent["kind"], info: AnomalyInfo): void {
    const key = (
      {
        DUP_BINDING_PATH: "dup_binding_paths",
        TOPOLOGY_LOOP: "topology_loops",
        ORPHAN_REPLY: "orphan_replies",
        LATE_REPLY: "late_replies",
      } as const
    )[kind];
    this.counters[key]++;
    this.logger.warn({ kind, ...info }, `exchange: ${kind}`);
    this.hub.emit({ type: "anomaly", kind, ...info });
  }

  private resolveEntry(name: string, policy: ResolvePolicy): Entry | undefined {
    const all = this.registry._byName(name);
    if (all.length <= 1 || policy === "first") {
      let best: Entry | undefined;
      for (const e of all) {
        if (
          !best ||
          (e.location === "local" && best.location !== "local") ||
          (e.location === best.location && e.b.agentId < best.b.agentId)
        )
          best = e;
      }
      return best;
    }
    all.sort((a, b) =>
      a.location !== b.location ? (a.location === "local" ? -1 : 1) : a.b.agentId < b.b.agentId ? -1 : 1,
    );
    const turn = this.roundRobin.get(name) ?? 0;
    this.roundRobin.set(name, turn + 1);
    return all[turn % all.length];
  }

  /** Frames of ACTIVE links, but PEERS (the exchange's gossip takes those). */
  private onLinkFrame(link: Link, f: Frame): void {
    switch (f.h.type) {
      case "AVAIL":
      case "SNAPSHOT":
      case "JOIN":
      case "LEAVE":
      case "WITHDRAW":
        return this.propagation.onFrame(link, f);
      case "SNAPSHOT_END":
        if (link.state === "ACTIVE") link.setState("SYNCED");
        return;
      case "REQ":
      case "SUB":
      case "SUB_OK":
      case "UNSUB":
      case "REPORT":
      case "REPORTS":
      case "RES":
      case "FAIL":
      case "NACK":
      case "SUB_REJECT":
        return this.router.onFrame(link, f);
      default:
        throw new FrameError("PROTOCOL_ERROR", `unknown frame type ${JSON.stringify(f.h.type).slice(0, 40)}`);
    }
  }
}

function randomHex(random: () => number): string {
  let s = "";
  for (let i = 0; i < 4; i++)
    s += Math.floor(random() * 0x10000)
      .toString(16)
      .padStart(4, "0");
  return s;
}
