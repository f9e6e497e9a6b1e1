/**
 * Public types of the exchange (reference/exchange-semantics.md §3). The classes live in node.ts,
 * exchange.ts and agent.ts; src/exchange/index.ts is the only door.
 */
import type { CloseReason, LinkState, PeerIdentity, Role } from "./events";

/** Timing of links, diallers and requests (S-12..S-15, §3.13). All values in milliseconds unless noted. */
export interface Timing {
  /** Send PING after this long without sending anything (S-13). @default 2000 */
  heartbeatMs: number;
  /**
   * Close with IDLE_TIMEOUT after missedBeats × the peer's heartbeatMs without receiving anything (S-14). @default 3
   */
  missedBeats: number;
  /** Deadline for IDENT/HELLO/WELCOME; also the STANDBY re-check period (S-9, S-11). @default 5000 */
  handshakeTimeoutMs: number;
  /** Liveness probe of an existing link when a duplicate HELLO arrives (S-10). @default 2 × heartbeatMs */
  probeTimeoutMs: number;
  /** Default dialler retry delay (S-12). @default 5000 */
  retryDelayMs: number;
  /** Relative jitter of the retry delay, ±jitter. @default 0.1 */
  jitter: number;
  /** Largest frame accepted or sent (S-8). @default 1048576 */
  maxFrameBytes: number;
  /** Outbound bytes queued on a socket above which the write-stall clock runs (S-15). @default 8388608 */
  highWaterBytes: number;
  /** Close with SLOW_CONSUMER when the queue stays above highWaterBytes this long (S-15). @default 10000 */
  writeStallMs: number;
  /** Default request timeout; 0 = none (S-31). @default 30000 */
  requestTimeoutMs: number;
}

/**
 * Wall clock (ms since epoch) used for event times and report-cache expiry (S-40). Liveness timers use a monotonic
 * clock.
 */
export interface Clock {
  now(): number;
}

/** A pino-compatible logger subset. @default a silent logger */
export interface ExchangeLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ExchangeNodeOptions {
  /** Process identity (S-1). @default `${hostname}:${pid}` */
  name?: string;
  /** 64-bit incarnation as 16 hex digits (S-1). @default random (from `random`, or crypto when absent) */
  incarnation?: string;
  timing?: Partial<Timing>;
  /** @default Date */
  clock?: Clock;
  /** Source of randomness for jitter (and the incarnation when `random` is given). @default Math.random */
  random?: () => number;
  logger?: ExchangeLogger;
  /** How many recent events `eventsSince()` keeps. @default 10000 */
  eventLogLimit?: number;
  /**
   * May a binding with `audience` cross a link of exchange group `group`? Replace it only to build a
   * deliberately broken exchange, e.g. to prove that the lab's checkers catch an audience leak.
   * @default S-17: `audience === "*" || (audience !== "" && audience === group)`
   */
  exportPredicate?: (audience: string, group: string) => boolean;
  /**
   * Loses a report about to be delivered to a local subscriber when it answers true. Set it only to build a
   * deliberately broken exchange, e.g. to prove that the lab's workload checkers catch lost reports.
   * @default never
   */
  dropReport?: (subscriber: string, subject: string) => boolean;
  /**
   * Are the bindings learned over a link withdrawn when it closes for `reason` (S-22)? Answer false only to build a
   * deliberately broken exchange, e.g. to prove that the lab's checkers catch bindings kept after an idle timeout.
   * @default always
   */
  withdrawOnClose?: (reason: CloseReason) => boolean;
}

export interface ExchangeOptions {
  role: Role;
  /** Exchange group (S-6). @default "" */
  group?: string;
  /** OSE's authorise(host): return false to REJECT an accepted connection with UNAUTHORIZED. */
  authorise?: (remoteHost: string) => boolean;
  /** S-16 peer gossip among servers: learn and dial the other servers of the mesh. @default false */
  gossip?: boolean;
  /** "host:port" other servers should dial to reach this one (gossip). @default the listen address */
  advertise?: string;
}

export interface ConnectOptions {
  /** Retry delay; < 0 = a single attempt (S-12). @default timing.retryDelayMs */
  delayMs?: number;
  /** @default timing.jitter */
  jitter?: number;
  /** Exponential backoff cap; equal to delayMs means a fixed delay. @default delayMs */
  maxDelayMs?: number;
  /** Give up after this many consecutive failed attempts (implicit gossip diallers). @default unlimited */
  maxAttempts?: number;
}

export type DialerState = "DIALING" | "HANDSHAKING" | "ACTIVE" | "WAITING" | "STANDBY" | "STOPPED";

/** A persistent dialler (S-12). */
export interface Dialer {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly state: DialerState;
  /** The link of the current attempt or connection, if any. */
  readonly linkId: string | undefined;
  /** Cancels retries for good and closes the dialler's link (reason SHUTDOWN). */
  stop(): void;
}

/** S-3: a binding as announced. `groups` is sorted. */
export interface BindingRecord {
  agentId: string;
  serviceName: string;
  audience: string;
  groups: string[];
  origin: { nodeName: string; incarnation: string };
  version: number;
}

/** A binding as held by this process: plus where it lives and through which link it was learned. */
export interface BindingView extends BindingRecord {
  location: "local" | "remote";
  via?: { linkId: string; group: string; peer: string };
}

export type RegistryChange = "AVAIL" | "JOIN" | "LEAVE" | "WITHDRAW";

/** Delivered to registry subscribers (S-25); `replay` marks the initial state. */
export interface RegistryNotice {
  change: RegistryChange;
  binding: BindingView;
  serviceGroup?: string;
  reason?: string;
  replay: boolean;
}

export interface RegistrySubscription {
  cancel(): void;
}

export interface AgentOptions {
  /** Service name; "" is an anonymous agent (a pure client). */
  name: string;
  /** "*" everywhere, "" this process only, G: links of exchange group G (S-17). @default "*" */
  audience?: string;
  /** Service groups joined at creation (S-29). */
  groups?: string[];
  /** Subject matcher this agent uses as a publisher (S-37). @default OSE glob (matchSubject) */
  matchSubject?: (pattern: string, subject: string) => boolean;
}

export interface RequestContext {
  conversationId: string;
  fromAgent: string;
  method: string;
  /** Absolute deadline on the requester's clock, if any. */
  deadline?: number;
}

export type RequestHandler = (method: string, args: unknown, ctx: RequestContext) => unknown;

/** S-26 name resolution. */
export type ResolvePolicy = "first" | "round-robin";

export interface RequestOptions {
  /** 0 = none. @default timing.requestTimeoutMs */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How a service name picks one of its bindings (S-26). @default "first" */
  policy?: ResolvePolicy;
}

/** OSE numeric codes (S-31, S-35). */
export const OutcomeCodes = {
  SERVICE_UNAVAILABLE: 46,
  REQUEST_TIMEOUT: 47,
  CANCELLED: 48,
  SERVER_METHOD_UNAVAILABLE: 55,
  SERVER_APPLICATION_ERROR: 57,
  SERVICE_WITHDRAWN: 57,
} as const;

/** Exactly one per request (S-31). */
export type Outcome =
  | { kind: "RESPONSE"; conversationId: string; from: string; result: unknown }
  | {
      kind: "FAILURE";
      conversationId: string;
      from: string;
      code: number;
      description: string;
      origin: string;
      details?: unknown;
    }
  | { kind: "SERVICE_UNAVAILABLE"; conversationId: string; code: 46; description: string; origin: "exchange" }
  | {
      kind: "SERVICE_WITHDRAWN";
      conversationId: string;
      code: 57;
      description: string;
      origin: "exchange";
      reason: string;
      from: string;
    }
  | { kind: "REQUEST_TIMEOUT"; conversationId: string; code: 47; description: string; origin: "exchange" }
  | { kind: "CANCELLED"; conversationId: string; code: 48; description: string; origin: "exchange" };

export type OutcomeKind = Outcome["kind"];

export interface PublishOptions {
  /** -1 keep, 0 do not cache (and drop the entry), N seconds (S-40). @default 0 */
  lifetime?: number;
}

export interface SubscribeOptions {
  /** Treat target as an agent id. @default auto: true when target has the agentId shape */
  byAgent?: boolean;
}

export interface ReportSubscription {
  readonly target: string;
  readonly pattern: string;
  readonly byAgent: boolean;
  cancel(): void;
}

/** A report delivered to a subscriber agent (S-38). */
export interface DeliveredReport {
  publisher: string;
  publicationSeq: number;
  subscriber: string;
  subject: string;
  content: unknown;
  matchedPatterns: string[];
  cached: boolean;
}

/** Edge change seen by an agent (publisher side: onSubscription; subscriber side: onPublisher). */
export interface EdgeNotice {
  state: "REQUESTED" | "WITHDRAWN" | "REJECTED";
  publisher: string;
  subscriber: string;
  pattern: string;
}

export interface LinkDump {
  linkId: string;
  group: string;
  role: Role;
  state: LinkState;
  dialer: boolean;
  dialerId?: string;
  peer?: PeerIdentity;
  remote?: string;
  local?: string;
}

export interface EdgeDump {
  side: "publisher" | "subscriber";
  publisher: string;
  subscriber: string;
  pattern: string;
  state: "PENDING" | "ACTIVE" | "REJECTED";
}

export interface PendingDump {
  conversationId: string;
  fromAgent: string;
  toAgent?: string;
  target: string;
  method: string;
  deadline?: number;
}

export interface Counters {
  dup_binding_paths: number;
  orphan_replies: number;
  late_replies: number;
  topology_loops: number;
}

/** A consistent snapshot of one process (for the lab's checkers). */
export interface NodeDump {
  node: string;
  incarnation: string;
  time: number;
  exchanges: { group: string; role: Role; listening?: { host: string; port: number } }[];
  links: LinkDump[];
  bindings: BindingView[];
  edges: EdgeDump[];
  pending: PendingDump[];
  counters: Counters;
}
