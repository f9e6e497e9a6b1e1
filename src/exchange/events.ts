/**
 * Typed events of one exchange process (reference/exchange-semantics.md §3.13 "Observability").
 *
 * This is a contract between parts: the exchange emits these, the machine's process host forwards them
 * unchanged over the control API, and the lab's recorder and checkers (invariants I1..I21) read them.
 * Add fields freely; never rename or remove one.
 *
 * Every event carries the emitting process's identity (`node`, `incarnation`), a per-process sequence
 * number `seq` (1, 2, 3… in emission order, never reused within an incarnation) and `time` (ms, from the
 * process's injected clock).
 */

/** Link life cycle (S-9..S-15). */
export type LinkState = "DIALING" | "HANDSHAKING" | "ACTIVE" | "SYNCED" | "STANDBY" | "CLOSED";

/** Why a HELLO was refused (S-9, S-10). */
export type RejectReason =
  "VERSION" | "GROUP_MISMATCH" | "ROLE" | "SELF" | "NAME_CONFLICT" | "DUPLICATE" | "SIMULTANEOUS" | "UNAUTHORIZED";

/** Why a link closed (S-8..S-15, S-22). A REJECT closes the link with the reject reason. */
export type CloseReason =
  | RejectReason
  | "HANDSHAKE_TIMEOUT"
  | "IDLE_TIMEOUT"
  | "SLOW_CONSUMER"
  | "FRAME_TOO_LARGE"
  | "MALFORMED_FRAME"
  | "PROTOCOL_ERROR"
  | "PEER_RESTARTED"
  | "PEER_CLOSED"
  | "SOCKET_ERROR"
  | "CONNECT_FAILED"
  | "SHUTDOWN";

export type Role = "server" | "client";

export interface PeerIdentity {
  nodeName: string;
  incarnation: string;
  role: Role;
}

interface EventBase {
  node: string;
  incarnation: string;
  seq: number;
  time: number;
}

/**
 * A link changed state. `linkId` is unique within the process. `dialer` is true on the side that dialled.
 * `peer` is known from HANDSHAKING (dialer: after WELCOME/REJECT) onwards; `remote` is "host:port" as seen
 * by this socket (behind a fault proxy: the proxy's address).
 */
export interface LinkEvent extends EventBase {
  type: "link";
  state: LinkState;
  linkId: string;
  group: string;
  role: Role;
  dialer: boolean;
  peer?: PeerIdentity;
  remote?: string;
  /** For CLOSED (and a refused dial): why. */
  reason?: CloseReason;
  /** True when the close was caused by a REJECT that this side sent (false: received). */
  rejectSent?: boolean;
  /** Free text for humans (e.g. the malformed frame's problem). */
  detail?: string;
}

export type BindingChange = "AVAIL" | "JOIN" | "LEAVE" | "WITHDRAW";

/**
 * The process's registry changed (S-18, S-22..S-24). Emitted for local and remote bindings alike, in the
 * order S-24 requires. `serviceGroup` is set for JOIN/LEAVE. `via` says through which link and exchange
 * group a remote binding was learned (absent for local ones). `groups` is the membership after the change.
 */
export interface BindingEvent extends EventBase {
  type: "binding";
  change: BindingChange;
  agentId: string;
  serviceName: string;
  audience: string;
  groups: string[];
  version: number;
  origin: { nodeName: string; incarnation: string };
  location: "local" | "remote";
  via?: { linkId: string; group: string; peer: string };
  serviceGroup?: string;
  /** For WITHDRAW: LINK_LOST, WITHDRAWN (the agent withdrew), PEER_RESTARTED, SHUTDOWN… */
  reason?: string;
}

export type RequestOutcomeKind =
  "RESPONSE" | "FAILURE" | "SERVICE_UNAVAILABLE" | "SERVICE_WITHDRAWN" | "REQUEST_TIMEOUT" | "CANCELLED";

/**
 * A request this process made began (S-31): emitted exactly once per conversation, synchronously inside
 * `request()`, once the target is resolved and before anything can settle the request, so its `seq` is lower
 * than its {@link RequestEvent}'s. Requests refused at once (no binding: SERVICE_UNAVAILABLE; an aborted
 * signal: CANCELLED; arguments that cannot be encoded, or a frame the link refuses: FAILURE 40) get it too,
 * followed by their outcome in the same turn. A request made by a withdrawn agent has no conversation and emits
 * neither event. Together with the outcome this lets an observer see requests that are still pending.
 */
export interface RequestSentEvent extends EventBase {
  type: "request-sent";
  conversationId: string;
  fromAgent: string;
  /** What the caller asked for: a service name or an agent id. */
  target: string;
  method: string;
  /** The agent the request goes to, when one was resolved (absent: SERVICE_UNAVAILABLE follows). */
  toAgent?: string;
  /**
   * When the request times out: absolute ms on this process's clock (the clock of `time`), read when the
   * request began plus its timeout. Absent when the request has no timeout (`timeoutMs: 0`).
   */
  deadline?: number;
}

/**
 * A request this process made settled (S-31..S-34). Emitted exactly once per conversation, after its
 * {@link RequestSentEvent}.
 */
export interface RequestEvent extends EventBase {
  type: "request";
  outcome: RequestOutcomeKind;
  conversationId: string;
  fromAgent: string;
  /** The agent the request went to, when one was resolved. */
  toAgent?: string;
  /** What the caller asked for: a service name or an agent id. */
  target: string;
  method: string;
  /** FAILURE code, or the numeric OSE code of the other outcomes. */
  code?: number;
  description?: string;
}

/** A report was delivered to a local subscriber agent (S-36..S-40). One per (publication, subscriber). */
export interface ReportEvent extends EventBase {
  type: "report";
  /** The publication id (S-5): publisher agent id and its per-publisher sequence number. */
  publisher: string;
  publicationSeq: number;
  subscriber: string;
  subject: string;
  matchedPatterns: string[];
  /** True when it came from the publisher's last-value cache on a new edge. */
  cached: boolean;
}

/** A subscription edge appeared or went, at the publisher (`side: "publisher"`) or subscriber side. */
export interface SubscriptionEvent extends EventBase {
  type: "subscription";
  state: "REQUESTED" | "WITHDRAWN" | "REJECTED";
  side: "publisher" | "subscriber";
  subscriber: string;
  publisher: string;
  pattern: string;
}

/** A counter the spec names (dup_binding_paths, orphan_replies, late_replies, TOPOLOGY_LOOP…) moved. */
export interface AnomalyEvent extends EventBase {
  type: "anomaly";
  kind: "DUP_BINDING_PATH" | "TOPOLOGY_LOOP" | "ORPHAN_REPLY" | "LATE_REPLY";
  agentId?: string;
  linkId?: string;
  detail?: string;
}

export type ExchangeEvent =
  LinkEvent | BindingEvent | RequestSentEvent | RequestEvent | ReportEvent | SubscriptionEvent | AnomalyEvent;
export type ExchangeEventType = ExchangeEvent["type"];
