/** What `Chan.tryRecv` yields when nothing is queued and the channel is still open. */
export const EMPTY: unique symbol = Symbol("empty");

interface Entry<T> {
  value: T;
  /** Set while the sender is still blocked on this value. */
  taken?: () => void;
}

/**
 * A Go-style channel between two stages of a link.
 *
 *   sender ──send──▶ [ capacity slots | blocked senders … ] ──tryRecv / onValue──▶ receiver
 *
 * Up to `capacity` values are accepted at once; later senders wait in line, in order, until a receiver takes
 * their value (capacity 0 = a hand-over). `close()` lets queued values drain, then every receive yields null
 * (end of stream). One receiver at a time.
 */
export class Chan<T> {
  private queue: Array<Entry<T> | undefined> = [];
  private head = 0;
  private receiver: ((value: T | null) => void) | null = null;
  private closedFlag = false;

  constructor(readonly capacity: number) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  /** True when a receiver is parked on an empty channel: nothing is in flight here. */
  get idle(): boolean {
    return this.receiver !== null;
  }

  /**
   * Offers a value. Returns true when it was handed over or buffered at once; otherwise the value waits in line
   * and `taken` runs once a receiver has taken it (or it moved into a buffer slot).
   */
  send(value: T, taken?: () => void): boolean {
    if (this.receiver) {
      const receive = this.receiver;
      this.receiver = null;
      receive(value);
      return true;
    }
    const accepted = this.length < this.capacity;
    this.queue.push({ value, taken: accepted ? undefined : taken });
    return accepted;
  }

  /** Queues a value behind everything already queued, whatever the capacity (used when splicing a chain). */
  forceSend(value: T): void {
    if (this.receiver) this.send(value);
    else this.queue.push({ value });
  }

  /** The next value, null once closed and drained, or EMPTY. */
  tryRecv(): T | null | typeof EMPTY {
    if (this.length > 0) return this.take();
    return this.closedFlag ? null : EMPTY;
  }

  /** Parks the single receiver; call only after `tryRecv` gave EMPTY. */
  onValue(receive: (value: T | null) => void): void {
    this.receiver = receive;
  }

  cancelReceive(): void {
    this.receiver = null;
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.receiver && this.length === 0) {
      const receive = this.receiver;
      this.receiver = null;
      receive(null);
    }
  }

  private take(): T {
    const entry = this.queue[this.head] as Entry<T>;
    this.queue[this.head] = undefined;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    entry.taken?.();
    if (this.capacity > 0) {
      const moved = this.queue[this.head + this.capacity - 1];
      if (moved?.taken) {
        const taken = moved.taken;
        moved.taken = undefined;
        taken();
      }
    }
    return entry.value;
  }
}
