import type { MachineClient, MachineLogEntry } from "../machine";

/**
 * Pulls each machine's log (`GET /events?since=N`, long-polled) while the lab runs and hands every entry on.
 * One loop per machine: a frozen or dead machine only slows its own loop (short request timeouts), never another.
 */
export interface PumpSource {
  machine: string;
  /** The current client (with a short request timeout), or undefined while the machine is down. */
  client(): MachineClient | undefined;
  /** False while the machine is frozen: the loop waits without asking. */
  pollable(): boolean;
}

export interface EventPumpOptions {
  /** How long one request may wait for new entries. @default 200 */
  waitMs?: number;
  /** Pause after a failed request or while a machine is not pollable. @default 100 */
  idleMs?: number;
  /** Entries per page. @default 2000 */
  limit?: number;
}

export class EventPump {
  private readonly cursors = new Map<string, number>();
  private readonly loops = new Map<string, Promise<void>>();
  private running = true;
  private readonly wakers = new Set<() => void>();
  private readonly locks = new Map<string, Promise<number>>();

  constructor(
    private readonly sources: () => PumpSource[],
    private readonly deliver: (machine: string, entry: MachineLogEntry) => void,
    private readonly options: EventPumpOptions = {},
    private readonly warn: (msg: string) => void = () => {},
  ) {}

  start(): void {
    for (const s of this.sources()) this.ensure(s);
  }

  /** Starts a loop for a source that has none (a machine added later). */
  ensure(source: PumpSource): void {
    if (!this.loops.has(source.machine)) this.loops.set(source.machine, this.loop(source));
  }

  /** The machine's supervisor restarted: its log starts again at 1. */
  reset(machine: string): void {
    this.cursors.set(machine, 0);
  }

  /** One pull at a time per machine, so a drain and the loop never deliver the same entries twice. */
  private pull(source: PumpSource, client: MachineClient, waitMs: number): Promise<number> {
    return this.exclusive(source.machine, () => this.pullNow(source, client, waitMs));
  }

  /** Runs `fn` after whatever reads the machine's log now (a pull, a recovery) has finished. */
  private exclusive(machine: string, fn: () => number | Promise<number>): Promise<number> {
    const prev = this.locks.get(machine) ?? Promise.resolve(0);
    const next = prev.catch(() => 0).then(fn);
    this.locks.set(
      machine,
      next.catch(() => 0),
    );
    return next;
  }

  private async pullNow(source: PumpSource, client: MachineClient, waitMs: number): Promise<number> {
    const since = this.cursors.get(source.machine) ?? 0;
    const page = await client.events(since, { limit: this.options.limit ?? 2000, waitMs });
    if (page.latest < since) {
      this.cursors.set(source.machine, 0);
      return 0;
    }
    if (page.truncated)
      this.warn(`machine "${source.machine}": log entries after ${since} were dropped by the supervisor`);
    for (const entry of page.entries) this.deliver(source.machine, entry);
    this.cursors.set(source.machine, page.next);
    return page.entries.length;
  }

  private async loop(source: PumpSource): Promise<void> {
    const waitMs = this.options.waitMs ?? 200;
    const idleMs = this.options.idleMs ?? 100;
    while (this.running) {
      const client = source.client();
      if (!client || !source.pollable()) {
        await this.pause(idleMs);
        continue;
      }
      try {
        await this.pull(source, client, waitMs);
      } catch {
        await this.pause(idleMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** Pulls everything each reachable machine has logged so far (used before checking, and before a crash). */
  async drain(machines?: string[], timeoutMs = 1500): Promise<void> {
    const chosen = this.sources().filter((s) => !machines || machines.includes(s.machine));
    await Promise.all(
      chosen.map(async (s) => {
        const client = s.client();
        if (!client || !s.pollable()) return;
        const deadline = Date.now() + timeoutMs;
        try {
          while (Date.now() < deadline && (await this.pull(s, client, 0)) > 0) {
            /* next page */
          }
        } catch {
          /* unreachable: what was pulled is kept */
        }
      }),
    );
  }

  /**
   * The machine went down (crash or shutdown) and can no longer be pulled: delivers what its journal holds past
   * the cursor (entries it logged after the last pull), in order, after any pull under way.
   */
  recover(machine: string, read: (since: number) => MachineLogEntry[]): Promise<number> {
    return this.exclusive(machine, () => {
      const entries = read(this.cursors.get(machine) ?? 0);
      for (const entry of entries) this.deliver(machine, entry);
      if (entries.length) this.cursors.set(machine, entries[entries.length - 1].mseq);
      return entries.length;
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const w of [...this.wakers]) w();
    await Promise.all(this.loops.values());
  }
}
