import type { ExchangeEvent, ReportEvent } from "./events";
import type { Clock, ExchangeLogger } from "./types";

type Listener = (e: ExchangeEvent) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the hub stamps it. */
export type EventBody = DistributiveOmit<ExchangeEvent, "node" | "incarnation" | "seq" | "time">;

/** Marks a ring slot whose report event is kept in {@link ReportColumns}. */
const IN_COLUMNS = Symbol("report event in columns");

/**
 * Report events of the log as columns, one row per ring slot: no object per event, so a process receiving
 * reports by the hundred thousand per second keeps no garbage-collected object per delivery in its log
 * (keeping 10,000 young event objects alive made scavenges copy them all).
 */
class ReportColumns {
  readonly publisher: string[];
  readonly subscriber: string[];
  readonly subject: string[];
  readonly patterns: string[][];
  readonly publicationSeq: Float64Array;
  readonly time: Float64Array;
  readonly cached: Uint8Array;

  constructor(rows: number) {
    this.publisher = new Array<string>(rows).fill("");
    this.subscriber = new Array<string>(rows).fill("");
    this.subject = new Array<string>(rows).fill("");
    this.patterns = new Array<string[]>(rows).fill([]);
    this.publicationSeq = new Float64Array(rows);
    this.time = new Float64Array(rows);
    this.cached = new Uint8Array(rows);
  }
}

/**
 * Stamps events with node, incarnation, seq and time, keeps a bounded log and calls listeners. The log is a ring
 * indexed by seq (seqs are consecutive): an event is written once and never moved. Report events, the frequent
 * kind, are logged as columns and made into objects only for listeners and `since()`.
 */
export class EventHub {
  private seq = 0;
  private readonly ring: (ExchangeEvent | typeof IN_COLUMNS | undefined)[] = [];
  private reports?: ReportColumns;
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

  /**
   * Emits a report event (events.ts `ReportEvent`): listeners get an object as from {@link emit}, with
   * `matchedPatterns` as given; the log keeps `logged` (the same patterns, in an array the caller never hands
   * out), and `since()` gives a copy of it.
   */
  emitReport(
    publisher: string,
    publicationSeq: number,
    subscriber: string,
    subject: string,
    matchedPatterns: string[],
    cached: boolean,
    logged: string[],
  ): void {
    const seq = ++this.seq;
    const time = this.clock.now();
    if (this.limit > 0) {
      const row = seq % this.limit;
      const c = (this.reports ??= new ReportColumns(this.limit));
      c.publisher[row] = publisher;
      c.subscriber[row] = subscriber;
      c.subject[row] = subject;
      c.patterns[row] = logged;
      c.publicationSeq[row] = publicationSeq;
      c.time[row] = time;
      c.cached[row] = cached ? 1 : 0;
      this.ring[row] = IN_COLUMNS;
    }
    const typed = this.listeners.get("report");
    const all = this.listeners.get("event");
    if (!typed?.size && !all?.size) return;
    const e: ReportEvent = {
      type: "report",
      publisher,
      publicationSeq,
      subscriber,
      subject,
      matchedPatterns,
      cached,
      node: this.node,
      incarnation: this.incarnation,
      seq,
      time,
    };
    this.call(typed, e);
    this.call(all, e);
  }

  /** Logged events with a seq greater than `seq` (at most `limit` of the most recent ones). */
  since(seq: number): ExchangeEvent[] {
    const out: ExchangeEvent[] = [];
    if (this.limit <= 0) return out;
    const first = Math.max(Math.floor(seq) + 1, this.seq - this.limit + 1, 1);
    for (let s = first; s <= this.seq; s++) {
      const row = s % this.limit;
      const e = this.ring[row]!;
      out.push(e === IN_COLUMNS ? this.reportAt(row, s) : e);
    }
    return out;
  }

  private reportAt(row: number, seq: number): ReportEvent {
    const c = this.reports!;
    return {
      type: "report",
      publisher: c.publisher[row],
      publicationSeq: c.publicationSeq[row],
      subscriber: c.subscriber[row],
      subject: c.subject[row],
      matchedPatterns: c.patterns[row].slice(),
      cached: c.cached[row] === 1,
      node: this.node,
      incarnation: this.incarnation,
      seq,
      time: c.time[row],
    };
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
