import type { Socket } from "node:net";
import { Chan, EMPTY } from "./chan";
import { Stage, type StageEnv } from "./stub";
import type { Chunk, Direction } from "./stream";
import type { ToxicWrapper } from "./toxic-wrapper";

/**
 * One direction of a proxied connection (Toxiproxy's ToxicLink):
 *
 *   source ─data─▶ [hidden no-op] ─▶ [toxic 1] ─▶ … ─▶ sink ─write─▶ destination
 *
 * Stages run in insertion order; channels between them give back-pressure (a busy stage stops the source
 * socket). With no toxic and nothing in flight, data goes straight to the destination (fast path). When the
 * end of the stream has been written out, `onFinished` runs: the connection then closes the destination.
 */
export class Link {
  readonly stages: Stage[] = [];
  private input = new Chan<Chunk>(0);
  private output = new Chan<Chunk>(0);
  private blockedOnInput = false;
  private blockedOnDrain = false;
  private sourceEnded = false;
  private finished = false;

  constructor(
    readonly direction: Direction,
    readonly source: Socket,
    readonly dest: Socket,
    private readonly env: StageEnv,
    private readonly onFinished: (link: Link) => void,
  ) {}

  start(chain: readonly ToxicWrapper[]): void {
    const toxics = [null, ...chain];
    let last = this.input;
    toxics.forEach((toxic, i) => {
      const next = i + 1 < toxics.length ? new Chan<Chunk>(toxics[i + 1]?.definition.bufferSize ?? 0) : this.output;
      const stage = new Stage(last, next, toxic, this.env);
      if (toxic?.definition.newState) stage.state = toxic.definition.newState();
      this.stages.push(stage);
      last = next;
    });
    for (const stage of this.stages) stage.run();
    void this.runSink();
    this.source.on("data", this.onData);
    this.source.once("end", this.endSource);
    this.source.once("close", this.endSource);
  }

  /** Appends a toxic; the last stage is restarted (re-rolled) and feeds the new one. */
  async addToxic(toxic: ToxicWrapper): Promise<void> {
    const last = this.stages[this.stages.length - 1];
    const input = new Chan<Chunk>(toxic.definition.bufferSize ?? 0);
    const stage = new Stage(input, last.output, toxic, this.env);
    this.stages.push(stage);
    if (await last.interrupt()) {
      last.output = input;
      if (toxic.definition.newState) stage.state = toxic.definition.newState();
      stage.run();
      last.run();
    } else {
      stage.output = input;
      stage.close();
    }
  }

  /** Restarts the toxic's stage so that it picks up new attributes and a new toxicity roll. */
  async updateToxic(toxic: ToxicWrapper): Promise<void> {
    const stage = this.stages.find((s) => s.toxic === toxic);
    if (stage && (await stage.interrupt())) stage.run();
  }

  /** Splices the toxic's stage out, passing on whatever it still held, in order. */
  async removeToxic(toxic: ToxicWrapper): Promise<void> {
    const stage = this.stages.find((s) => s.toxic === toxic);
    if (!stage || !(await stage.interrupt())) return;
    if (toxic.definition.cleanup) {
      toxic.definition.cleanup(stage);
      if (stage.closed) return;
    }
    const previous = this.stages[this.stages.indexOf(stage) - 1];
    const previousStopped = await previous.interrupt();
    for (;;) {
      const chunk = stage.input.tryRecv();
      if (chunk === EMPTY) break;
      if (chunk === null) return stage.close();
      stage.output.forceSend(chunk);
    }
    if (!previousStopped) return;
    previous.output = stage.output;
    this.stages.splice(this.stages.indexOf(stage), 1);
    previous.run();
  }

  /** The source is gone or being closed: stop reading and send the end of the stream down the chain. */
  readonly endSource = (): void => {
    if (this.sourceEnded) return;
    this.sourceEnded = true;
    this.source.off("data", this.onData);
    this.input.close();
  };

  /** The connection is gone: stop every stage and timer. */
  kill(): void {
    this.endSource();
    this.finished = true;
    for (const stage of this.stages) stage.kill();
  }

  private readonly onData = (data: Buffer): void => {
    if (this.stages.length === 1 && this.input.idle && this.output.idle && !this.blockedOnInput) {
      if (!this.dest.write(data) && !this.blockedOnDrain) {
        this.blockedOnDrain = true;
        this.source.pause();
        this.dest.once("drain", this.onDrain);
      }
      return;
    }
    if (!this.input.send({ data, time: this.env.now() }, this.onInputTaken)) {
      this.blockedOnInput = true;
      this.source.pause();
    }
  };

  private readonly onDrain = (): void => {
    this.blockedOnDrain = false;
    this.resumeSource();
  };

  private readonly onInputTaken = (): void => {
    this.blockedOnInput = false;
    this.resumeSource();
  };

  private resumeSource(): void {
    if (!this.blockedOnDrain && !this.blockedOnInput && !this.sourceEnded) this.source.resume();
  }

  private async runSink(): Promise<void> {
    for (;;) {
      let chunk = this.output.tryRecv();
      if (chunk === EMPTY) chunk = await new Promise<Chunk | null>((resolve) => this.output.onValue(resolve));
      if (chunk === null || this.dest.destroyed) break;
      if (chunk.data.length > 0 && !this.dest.write(chunk.data)) await waitDrain(this.dest);
    }
    if (this.finished) return;
    this.finished = true;
    this.onFinished(this);
  }
}

function waitDrain(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}
