/**
 * What the exchange's parts need from each other, as narrow contexts: node.ts builds those of the router,
 * requests, reports, propagation, agents and exchanges; exchange.ts builds the one of its handshake, diallers and
 * gossip. No part imports node.ts or exchange.ts for this, and this file imports types only from files that import
 * none of the parts (codec, events, fanout, hub, link, registry, types), so the import graph of src/exchange stays
 * acyclic (scripts/import-cycles.js, checked by import-cycles.test.ts).
 */
import type { Frame, FrameHeader } from "./codec";
import type { AnomalyEvent, CloseReason } from "./events";
import type { Outgoing, ReportsFrame } from "./fanout";
import type { EventBody, EventHub } from "./hub";
import type { Link } from "./link";
import type { ExchangeRef } from "./link-context";
import type { Entry, Observer, Registry } from "./registry";
import type {
  Clock,
  ConnectOptions,
  DeliveredReport,
  EdgeNotice,
  ExchangeLogger,
  Outcome,
  RequestHandler,
  RequestOptions,
  Timing,
} from "./types";

/** Emits through the node's event hub (which stamps node, incarnation, seq and time). */
export type Emit = (body: EventBody) => void;

/** Counts an anomaly in the node's counters, logs it and emits its event. */
export type Anomaly = (kind: AnomalyEvent["kind"], info: AnomalyInfo) => void;
export type AnomalyInfo = { agentId?: string; linkId?: string; detail?: string };

/** Sends a frame to agent `h.to` (router.ts `send`); false when there is no route or the frame is too large. */
export type SendTo = (h: FrameHeader & { to: string }, payload?: Buffer) => boolean;

/** Replies along a return path (router.ts `reply`); an empty path is this process. False when it cannot be sent. */
export type ReplyAlong = (path: string[], h: FrameHeader, payload?: Buffer) => boolean;

/** A local agent as requests and reports see it. */
export interface AgentPort {
  readonly withdrawn: boolean;
  /** Its request handler, if it serves requests. */
  readonly handler: RequestHandler | undefined;
  /** Its subject matcher as a publisher (S-37). */
  readonly match: (pattern: string, subject: string) => boolean;
  /** Hands a report to its onReport callbacks. */
  deliverReport(r: DeliveredReport): void;
  /** Hands an edge change to its onSubscription (publisher side) or onPublisher (subscriber side) callbacks. */
  edgeNotice(side: "publisher" | "subscriber", n: EdgeNotice): void;
}

/** A local agent by id; undefined once it withdrew. */
export type AgentLookup = (agentId: string) => AgentPort | undefined;

/** A subscriber's standing request for reports (agent.subscribeReports). */
export interface Interest {
  subscriber: string;
  target: string;
  pattern: string;
  byAgent: boolean;
}

/** Router (router.ts): routes by the registry and link ids, hands frames for local agents on. */
export interface RouterContext {
  readonly nodeName: string;
  /** The binding of an agent held here (local or learned over a link). */
  entry(agentId: string): Entry | undefined;
  /** A link of this process that is not closed. */
  link(linkId: string): Link | undefined;
  anomaly: Anomaly;
  /** A REQ for a local agent; replies go back along `path`. */
  serve(h: FrameHeader, payload: Buffer | undefined, path: string[]): void;
  /** A RES, FAIL or NACK for a request made here. */
  settle(h: FrameHeader, payload: Buffer | undefined): void;
  /** SUB, UNSUB, SUB_OK, SUB_REJECT or REPORT for a local agent; `path` is set for SUB. */
  report(h: FrameHeader, payload: Buffer | undefined, path: string[] | undefined): void;
  /**
   * A REPORTS frame for the local recipients `r.to[i]`, i in `local`; `forwarded`: its bytes also went on to
   * other links.
   */
  reports(h: FrameHeader, payload: Buffer | undefined, r: ReportsFrame, local: number[], forwarded: boolean): void;
}

/** Request/reply (requests.ts). */
export interface RequestsContext {
  /** `requestTimeoutMs` is read when a request begins. */
  readonly timing: Timing;
  readonly clock: Clock;
  readonly logger: ExchangeLogger;
  /** Every conversation id issued here starts with it (a reply to another id is an orphan, not a late one). */
  readonly conversationPrefix: string;
  emit: Emit;
  anomaly: Anomaly;
  /** Registers a registry observer (run synchronously, before public subscribers). */
  observe(fn: Observer): void;
  nextConversationId(): string;
  agent: AgentLookup;
  reply: ReplyAlong;
}

/** Reports and subscription edges (reports.ts). */
export interface ReportsContext {
  readonly clock: Clock;
  emit: Emit;
  /** Emits a report event (hub.ts `emitReport`: kept in the log without an object per event). */
  emitReport: EventHub["emitReport"];
  observe(fn: Observer): void;
  entry(agentId: string): Entry | undefined;
  /** Every binding held here with this service name. */
  entriesNamed(name: string): Entry[];
  agent: AgentLookup;
  send: SendTo;
  reply: ReplyAlong;
  /** Sends a publication to its recipients (router.ts `publish`). */
  publish(o: Outgoing): void;
  /** A deliberately broken build's loss of a delivery (ExchangeNodeOptions.dropReport). */
  dropReport?: (subscriber: string, subject: string) => boolean;
}

/** An exchange as propagation sees it. */
export interface ExchangeView extends ExchangeRef {
  /** Every link of the exchange that is not closed. */
  readonly links: Iterable<Link>;
}

/** Registry propagation (propagation.ts): it is the only writer of the registry. */
export interface PropagationContext {
  readonly registry: Registry;
  readonly logger: ExchangeLogger;
  /** S-17 (or the replacement given in the node's options). */
  exportable(audience: string, group: string): boolean;
  /** The node's exchanges, in creation order. */
  exchanges(): Iterable<ExchangeView>;
  anomaly: Anomaly;
}

/** What an agent announces through propagation. */
export interface LocalBindings {
  localAvail(e: Entry): void;
  localGroup(e: Entry, change: "JOIN" | "LEAVE", group: string): void;
  localWithdraw(e: Entry, reason: string): void;
}

/** What an agent asks of reports (the publisher and subscriber sides of its edges). */
export interface AgentReports {
  publish(publisher: string, subject: string, content: unknown, lifetime: number): number;
  sendReport(publisher: string, subscriber: string, subject: string, content: unknown): boolean;
  expire(publisher: string, pattern: string, ageS: number): void;
  purge(publisher: string): void;
  addInterest(i: Interest): void;
  removeInterest(i: Interest): void;
}

/** A service agent (agent.ts); `A` is the agent type. */
export interface AgentContext<A> {
  /** The node, shown to users as `agent.node` (typed in node.ts). */
  readonly node: unknown;
  readonly nodeName: string;
  readonly incarnation: string;
  readonly logger: ExchangeLogger;
  /** Throws ExchangeError NODE_CLOSED once the node is closed. */
  assertOpen(): void;
  nextAgentId(): string;
  /** The agent counts as the node's from now on (before its AVAIL goes out). */
  attach(agentId: string, agent: A, port: AgentPort): void;
  /** The agent is gone (after its WITHDRAW went out). */
  detach(agentId: string): void;
  readonly bindings: LocalBindings;
  readonly reports: AgentReports;
  /** Resolves `target` (an agent id held here, else S-26 by name with `opts.policy`), then makes the request. */
  request(fromAgent: string, target: string, method: string, args: unknown, opts: RequestOptions): Promise<Outcome>;
}

/** An exchange endpoint (exchange.ts). */
export interface ExchangeContext {
  /** The node, shown to users as `exchange.node` (typed in node.ts). */
  readonly node: unknown;
  readonly nodeName: string;
  readonly incarnation: string;
  readonly timing: Timing;
  readonly logger: ExchangeLogger;
  random(): number;
  emit: Emit;
  /** A fresh id of the node: "D" diallers, "L" links. */
  nextId(prefix: "D" | "L"): string;
  /** A link of the exchange exists (from before DIALING or HANDSHAKING until it closes). */
  linkCreated(link: Link): void;
  /** The link went ACTIVE: it is owed the registry snapshot (S-21). */
  linkActive(link: Link): void;
  /** A frame on an ACTIVE link, other than PING, PONG and PEERS. */
  linkFrame(link: Link, f: Frame): void;
  /** The link closed: what was learned over it goes (S-22). */
  linkClosed(link: Link, reason: CloseReason): void;
  /** The exchange shut down (or was destroyed); its group is free again. */
  exchangeGone(ex: ExchangeRef): void;
}

/** An exchange as its handshake, diallers and gossip see it (exchange.ts builds it). */
export interface ExchangeSide extends ExchangeRef {
  readonly gossip: boolean;
  readonly authorise?: (remoteHost: string) => boolean;
  readonly advertisedUrl: string | undefined;
  readonly nodeName: string;
  readonly incarnation: string;
  readonly timing: Timing;
  random(): number;
  emit: Emit;
  activeLinks(): Link[];
  linkToPeer(nodeName: string, except?: Link): Link | undefined;
  handshakingDialTo(nodeName: string): Link | undefined;
  dialsTo(url: string): boolean;
  connect(host: string, port: number, opts: ConnectOptions): unknown;
  becameActive(link: Link): void;
  newLink(dialer: boolean, dialerId?: string, linkId?: string): Link;
  nextLinkId(): string;
  /** The dialler stopped for good. */
  dialerDone(dialerId: string): void;
}

export type HandshakeContext = Pick<
  ExchangeSide,
  | "role"
  | "group"
  | "gossip"
  | "authorise"
  | "advertisedUrl"
  | "nodeName"
  | "incarnation"
  | "timing"
  | "activeLinks"
  | "linkToPeer"
  | "handshakingDialTo"
  | "becameActive"
>;

export type GossipContext = Pick<
  ExchangeSide,
  "role" | "gossip" | "advertisedUrl" | "nodeName" | "activeLinks" | "linkToPeer" | "dialsTo" | "connect"
>;

export type DialerContext = Pick<
  ExchangeSide,
  | "role"
  | "group"
  | "timing"
  | "random"
  | "emit"
  | "activeLinks"
  | "linkToPeer"
  | "newLink"
  | "nextLinkId"
  | "dialerDone"
>;
