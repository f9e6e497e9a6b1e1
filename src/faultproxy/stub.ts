import { Chan, EMPTY } from "./chan";
import type { Random } from "./random";
import { INTERRUPTED, type Chunk, type Interrupted } from "./stream";
import { schedule } from "./timers";
import type { ToxicWrapper } from "./toxic-wrapper";
import { passThrough } from "./toxics/noop";
import { TIMED_OUT, type TimedOut, type ToxicStub } from "./toxics/toxic";

/** What a stage needs from its surroundings. */
export interface StageEnv {
  random: Random;
  now: () => number;
  onPipeError: (err: unknown) => void;
}

const RESOLVED = Promise.resolve();

/**
 * One stage of a link: runs a toxic's pipe (or a pass-through when the toxicity roll misses) between its input
 * and output channels, and can be interrupted so that the chain can be re-wired. `toxic` null = the hidden
 * no-op stage at the head of every chain.
 */
export class Stage implements ToxicStub {
  state: unknown = undefined;
  readonly random: Random;
  readonly now: () => number;
  private closedFlag = false;
  private dead = false;
  private interruptRequested = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private usDebt = 0;

  constructor(
    public input: Chan<Chunk>,
    public output: Chan<Chunk>,
    readonly toxic: ToxicWrapper | null,
    private readonly env: StageEnv,
  ) {
    this.random = env.random;
    this.now = env.now;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get interrupted(): boolean {
    return this.interruptRequested || this.dead;
  }

  /** (Re)starts the stage with a fresh toxicity roll. */
  run(): void {
    this.interruptRequested = false;
    const toxic = this.toxic;
    const active = toxic !== null && this.random() < toxic.toxicity;
    const pipe = active ? toxic.definition.pipe(this, toxic.attributes) : passThrough(this);
    this.running = pipe.catch((err) => {
      this.env.onPipeError(err);
      this.close();
    });
  }

  /** Stops the running pipe. True once it stopped; false if the stage had already closed (end of stream). */
  async interrupt(): Promise<boolean> {
    if (this.closedFlag || this.dead) return false;
    if (!this.running) return true;
    this.interruptRequested = true;
    this.wake?.();
    await this.running;
    this.running = null;
    return !this.closedFlag && !this.dead;
  }

  /** Ends the stage for good when its connection is gone: timers are cleared, waits end. */
  kill(): void {
    this.dead = true;
    this.wake?.();
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.output.close();
  }

  read(): Promise<Chunk | null | Interrupted> {
    return this.readWithin(-1) as Promise<Chunk | null | Interrupted>;
  }

  readWithin(ms: number): Promise<Chunk | null | Interrupted | TimedOut> {
    if (this.interrupted) return Promise.resolve(INTERRUPTED);
    const value = this.input.tryRecv();
    if (value !== EMPTY) return Promise.resolve(value);
    return new Promise((resolve) => {
      let cancelTimer: (() => void) | null = null;
      const settle = (result: Chunk | null | Interrupted | TimedOut): void => {
        if (this.wake === wake) this.wake = null;
        cancelTimer?.();
        resolve(result);
      };
      const wake = (): void => {
        this.input.cancelReceive();
        settle(INTERRUPTED);
      };
      this.wake = wake;
      this.input.onValue(settle);
      if (ms >= 0) {
        cancelTimer = schedule(ms, () => {
          this.input.cancelReceive();
          settle(TIMED_OUT);
        });
      }
    });
  }

  write(chunk: Chunk): Promise<void> {
    if (this.dead) return RESOLVED;
    let release: (() => void) | null = null;
    if (this.output.send(chunk, () => release?.()) || this.interruptRequested) return RESOLVED;
    return new Promise((resolve) => {
      const wake = (): void => {
        if (this.wake === wake) this.wake = null;
        release = null;
        resolve();
      };
      release = wake;
      this.wake = wake;
    });
  }

  sleep(ms: number): Promise<boolean> {
    if (this.interrupted) return Promise.resolve(false);
    if (!(ms > 0)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        if (this.wake === wake) this.wake = null;
        cancel();
        resolve(false);
      };
      const cancel = schedule(ms, () => {
        if (this.wake === wake) this.wake = null;
        resolve(true);
      });
      this.wake = wake;
    });
  }

  sleepMicros(us: number): Promise<boolean> {
    this.usDebt += Math.max(0, us);
    if (this.usDebt < 1000) return Promise.resolve(!this.interrupted);
    const ms = Math.floor(this.usDebt / 1000);
    this.usDebt -= ms * 1000;
    return this.sleep(ms);
  }

  sleepUninterruptibly(ms: number): Promise<void> {
    if (this.dead || !(ms > 0)) return RESOLVED;
    return new Promise((resolve) => {
      const finish = (): void => {
        if (this.wake === wake) this.wake = null;
        cancel();
        resolve();
      };
      const wake = (): void => {
        if (this.dead) finish();
      };
      const cancel = schedule(ms, finish);
      this.wake = wake;
    });
  }
}
