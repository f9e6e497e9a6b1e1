import type { ExchangeEvent } from "./events";
import type { Clock, ExchangeLogger } from "./types";

type Listener = (e: ExchangeEvent) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the hub stamps it. */
export type EventBody = DistributiveOmit<ExchangeEvent, "node" | "incarnation" | "seq" | "time">;

/** Stamps events with node, incarnation, seq and time, keeps a bounded log and calls listeners. */
export class EventHub {
  private seq = 0;
  private readonly log: ExchangeEvent[] = [];
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
    if (this.limit > 0) {
      this.log.push(e);
      if (this.log.length > this.limit + (this.limit >> 2) + 16) this.log.splice(0, this.log.length - this.limit);
    }
    this.call(this.listeners.get(e.type), e);
    this.call(this.listeners.get("event"), e);
  }

  /** Logged events with a seq greater than `seq` (at most `limit` of the most recent ones). */
  since(seq: number): ExchangeEvent[] {
    let lo = Math.max(0, this.log.length - this.limit);
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid].seq > seq) hi = mid;
      else lo = mid + 1;
    }
    return this.log.slice(lo);
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
