import type { ExchangeEvent } from "../exchange";
import type { ReceivedReport } from "./ipc";
import type { Operation } from "./workload";

/**
 * A process's life as the supervisor sees it.
 * - `started`: the host is up and every server endpoint listens (`listening`: group → port).
 * - `stopped`: a graceful stop was requested (SIGTERM sent).
 * - `crashed`: a crash was requested (SIGKILL sent).
 * - `exited`: the OS process ended; `expected` is false when nobody asked for it (it is not restarted).
 * - `failed`: the host could not be started (fork error) or did not become ready in time.
 */
export type LifecycleEvent =
  | { type: "started"; pid: number; run: number; incarnation: string; listening: Record<string, number> }
  | { type: "stopped"; pid: number; run: number }
  | { type: "crashed"; pid: number; run: number }
  | { type: "exited"; pid: number; run: number; code: number | null; signal: string | null; expected: boolean }
  | { type: "failed"; run: number; error: string };

/** One entry of the machine log. `mseq` numbers entries 1, 2, 3… per supervisor; `time` is epoch ms at arrival. */
export type MachineLogEntry =
  | { mseq: number; time: number; process: string; kind: "exchange"; event: ExchangeEvent }
  | { mseq: number; time: number; process: string; kind: "report"; event: ReceivedReport }
  | { mseq: number; time: number; process: string; kind: "operation"; event: Operation }
  | { mseq: number; time: number; process: string; kind: "lifecycle"; event: LifecycleEvent };

/** A page of a log read with `since`: entries with a sequence number greater than `since`. */
export interface LogPage<T> {
  entries: T[];
  /** Pass as `since` to get the next page (the last returned sequence number, or `since` if none). */
  next: number;
  /** The highest sequence number so far. */
  latest: number;
  /** True when entries after `since` were dropped from memory (the log keeps the newest `capacity`). */
  truncated: boolean;
}

/** An append-only in-memory log with sequence numbers 1, 2, 3…, keeping (at least) the newest `capacity` entries. */
export class SeqLog<T> {
  private items: { seq: number; item: T }[] = [];
  private last = 0;
  private waiters = new Set<() => void>();

  /** @param capacity how many of the newest entries are kept in memory. @default 200000 */
  constructor(private readonly capacity = 200_000) {}

  get latest(): number {
    return this.last;
  }

  /** Appends the entry `make(seq)` builds and returns it. */
  append(make: (seq: number) => T): T {
    const seq = ++this.last;
    const item = make(seq);
    this.items.push({ seq, item });
    if (this.items.length > this.capacity + Math.ceil(this.capacity / 16))
      this.items.splice(0, this.items.length - this.capacity);
    for (const w of [...this.waiters]) w();
    return item;
  }

  /** Entries with a sequence number greater than `since`, at most `limit` of them. */
  since(since: number, limit = 1000): LogPage<T> {
    const first = this.items.length ? this.items[0].seq : this.last + 1;
    const start = Math.max(0, since + 1 - first);
    const slice = this.items.slice(start, start + Math.max(0, limit));
    return {
      entries: slice.map((s) => s.item),
      next: slice.length ? slice[slice.length - 1].seq : since,
      latest: this.last,
      truncated: since + 1 < first,
    };
  }

  /** Resolves when an entry after `since` exists, or after `waitMs`. */
  async waitBeyond(since: number, waitMs: number): Promise<void> {
    if (this.last > since || waitMs <= 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.waiters.add(done);
    });
  }

  /** Wakes every pending {@link waitBeyond} (used on shutdown). */
  wakeAll(): void {
    for (const w of [...this.waiters]) w();
  }
}
