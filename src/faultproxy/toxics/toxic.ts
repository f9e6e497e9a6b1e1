import type { Chunk, Interrupted } from "../stream";

/** What `ToxicStub.readWithin` yields when nothing arrived in time. */
export const TIMED_OUT: unique symbol = Symbol("timed out");
export type TimedOut = typeof TIMED_OUT;

/**
 * A toxic's view of its place in one link (Toxiproxy's ToxicStub):
 *
 *   previous stage ──▶ read() ─ toxic.pipe() ─ write() ──▶ next stage (… ▶ destination socket)
 *
 * A pipe loops until `read` yields INTERRUPTED (the stage is restarted or removed: return at once, after
 * passing on any chunk it holds) or null (end of stream: call `close()` and return).
 */
export interface ToxicStub {
  /** The next chunk, null at end of stream, or INTERRUPTED. */
  read(): Promise<Chunk | null | Interrupted>;
  /** As `read`, or TIMED_OUT when nothing arrived within `ms`. */
  readWithin(ms: number): Promise<Chunk | null | Interrupted | TimedOut>;
  /** Passes a chunk on, waiting while the next stage is busy. When interrupted it returns at once and the
   * chunk stays queued, in order, for the next stage. */
  write(chunk: Chunk): Promise<void>;
  /** Waits `ms`; false if interrupted first. */
  sleep(ms: number): Promise<boolean>;
  /** Waits `us` microseconds on average (waits under a millisecond are batched); false if interrupted. */
  sleepMicros(us: number): Promise<boolean>;
  /** Waits `ms` whatever happens, as reset_peer does; only the connection's end cuts it short. */
  sleepUninterruptibly(ms: number): Promise<void>;
  /** Ends the stream after this stage: the connection closes once the end reaches the destination. */
  close(): void;
  readonly closed: boolean;
  /** Per-link state of a stateful toxic, made by `newState` when the link starts or the toxic is added. */
  state: unknown;
  /** The proxy's seeded source of uniform numbers in [0, 1). */
  readonly random: () => number;
  /** Monotonic clock in ms (the same clock that stamps chunks). */
  readonly now: () => number;
}

/** Go integer type of an attribute; every attribute defaults to 0. */
export type AttributeType = "int64" | "int";

export type Attributes = Record<string, number>;

/** One toxic type: its JSON attributes and its behaviour on a link (Toxiproxy's Toxic interface). */
export interface ToxicDefinition<A extends Attributes = Attributes> {
  /** Type name used in the API, e.g. "latency". */
  readonly type: string;
  /** Go type name, used in decode error texts, e.g. "toxics.LatencyToxic". */
  readonly goType: string;
  /** Attribute names in JSON order with their Go types. */
  readonly attributes: { readonly [K in keyof A]: AttributeType };
  /** Input buffer of the stage, in chunks. @default 0 (a hand-over) */
  readonly bufferSize?: number;
  /** Refuses attribute values that crash or hang Toxiproxy; returns why. */
  validate?(attributes: Readonly<A>): string | undefined;
  /** The behaviour; `attributes` is shared by every link and updated in place. */
  pipe(stub: ToxicStub, attributes: Readonly<A>): Promise<void>;
  /** Makes per-link state (stateful toxics). */
  newState?(): unknown;
  /** Runs when the toxic is removed from a link, once its stage has stopped. */
  cleanup?(stub: ToxicStub): void;
  /** Connections opened while a toxic of this type is present (either stream) close with a TCP RST. */
  readonly resetsPeer?: boolean;
}

/** Erases a definition's attribute type so that it fits the registry. */
export function defineToxic<A extends Attributes>(definition: ToxicDefinition<A>): ToxicDefinition {
  return definition as unknown as ToxicDefinition;
}
