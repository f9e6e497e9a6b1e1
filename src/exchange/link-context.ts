/**
 * What a link needs from the exchange that owns it (link.ts). Apart from context.ts, which speaks of links, so
 * that link.ts depends on nothing that depends on it.
 */
import type { Frame } from "./codec";
import type { CloseReason, Role } from "./events";
import type { EventBody } from "./hub";
import type { ExchangeLogger, Timing } from "./types";

/** An exchange as its links name it (`link.exchange`): one object per exchange, so identity tells exchanges apart. */
export interface ExchangeRef {
  readonly group: string;
  readonly role: Role;
}

/** One per exchange, shared by its links; `L` is the link type. */
export interface LinkContext<L> {
  readonly exchange: ExchangeRef;
  /** The node's timing (frame limit, handshake deadline, heartbeats, write stall). */
  readonly timing: Timing;
  readonly logger: ExchangeLogger;
  /** Emits through the node's event hub. */
  emit(body: EventBody): void;
  /** A frame other than PING/PONG arrived on `link`. A FrameError thrown here closes the link with its code. */
  frame(link: L, f: Frame): void;
  /** `link` closed, after its CLOSED event; called once per link. */
  closed(link: L, reason: CloseReason): void;
}
