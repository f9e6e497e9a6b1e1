import type { ExchangeEvent } from "./events";
import type { Clock, ExchangeLogger } from "./types";

type Listener = (e: ExchangeEvent) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the hub stamps it. */
export type EventBody = DistributiveOmit<ExchangeEvent, "node" | "incarnation" | "seq" | "time">;

/**
 * Stamps events with node, incarnation, seq and time, keeps a bounded log and calls listeners. The log is a ring
 * indexed by seq (seqs are consecutive): an event is written once and never moved, which keeps the garbage
 * collector's work per event small when events come fast (a report delivery is one).
 */
export class EventHub {
  private seq = 0;
  private readonly ring: (ExchangeEvent | undefined)[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly node: string,
    private readonly incarnation: string,
    private readonly clock: Clock,
    private readonly logger: ExchangeLogger,
    private readonly limit: number,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  on(type: string, fn: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(fn);
  }

  off(type: string, fn: Listener): void {
    this.listeners.get(type)?.delete(fn);
  }

  /** Stamps `body` in place (callers pass a fresh object) and delivers it. */
  emit(body: EventBody): void {
    const e = body as ExchangeEvent;
    e.node = this.node;
    e.incarnation = this.incarnation;
    e.seq = ++this.seq;
    e.time = this.clock.now();
    if (this.limit > 0) this.ring[e.seq % this.limit] = e;
    this.call(this.listeners.get(e.type), e);
    this.call(this.listeners.get("event"), e);
  }

  /** Logged events with a seq greater than `seq` (at most `limit` of the most recent ones). */
  since(seq: number): ExchangeEvent[] {
    const out: ExchangeEvent[] = [];
    if (this.limit <= 0) return out;
    const first = Math.max(Math.floor(seq) + 1, this.seq - this.limit + 1, 1);
    for (let s = first; s <= this.seq; s++) out.push(this.ring[s % this.limit]!);
    return out;
  }

  private call(set: Set<Listener> | undefined, e: ExchangeEvent): void {
    if (!set) return;
    for (const fn of set) {
      try {
        fn(e);
      } catch (err) {
        this.logger.error({ err, event: e.type }, "exchange event listener threw");
      }
    }
  }
}
