import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import { notYet, ok, pollUntil, WaitTimeoutError } from "../../common";
import type { Docker } from "./engine";

type DockerContainer = ReturnType<Docker["getContainer"]>;

export interface LogTailOptions {
  /** Appended to, across every run of the container. */
  logFile: string;
  /** Lines kept in memory for `lines()`. @default 200 */
  keepLines?: number;
}

/**
 * A container's output (stdout and stderr, stderr lines prefixed "! ") appended to a log file and kept in a ring
 * buffer, across restarts: `follow()` is called once per run of the container with that run's start time, so a
 * restarted container's earlier output is not repeated.
 */
export class LogTail {
  private readonly recent: string[] = [];
  private readonly log: WriteStream;
  private readonly listeners = new Set<(line: string) => void>();
  private readonly streams = new Set<NodeJS.ReadableStream & { destroy?: () => void }>();
  private closed = false;
  private lastStamp?: string;
  private lastNanos?: bigint;
  private refollows = 0;
  /** Bumped by every follow of a new run of the container; a resumed stream belongs to the run it resumes. */
  private generation = 0;

  constructor(
    private readonly docker: Docker,
    private readonly options: LogTailOptions,
  ) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.log = createWriteStream(options.logFile, { flags: "a" });
  }

  /**
   * Follows `container`'s output from `since` (the run's State.StartedAt, RFC 3339 with nanoseconds) until the
   * container stops; resolves once the stream is attached. When the engine ends the stream while the container
   * still runs (it happens right after a start), it follows again from the last line it got.
   */
  async follow(container: DockerContainer, since?: string, after?: bigint): Promise<void> {
    if (this.closed) return;
    const generation = after === undefined ? ++this.generation : this.generation;
    const raw = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(since ? { since: dockerSince(since) } : {}),
    })) as unknown as NodeJS.ReadableStream & { destroy(): void };
    this.streams.add(raw);
    const out = new PassThrough();
    const err = new PassThrough();
    this.docker.modem.demuxStream(raw, out, err);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.streams.delete(raw);
      out.end();
      err.end();
      if (generation === this.generation) void this.refollow(container, since, generation);
    };
    raw.on("end", end);
    raw.on("close", end);
    raw.on("error", end);
    createInterface({ input: out }).on("line", (line) => this.stamped(line, false, after));
    createInterface({ input: err }).on("line", (line) => this.stamped(line, true, after));
  }

  private async refollow(container: DockerContainer, since: string | undefined, generation: number): Promise<void> {
    if (this.closed) return;
    await new Promise((r) => setTimeout(r, 50));
    const info = (await container.inspect().catch(() => undefined)) as { State?: { Running?: boolean } } | undefined;
    if (!info?.State?.Running || this.closed || generation !== this.generation || this.refollows >= 50) return;
    this.refollows++;
    await this.follow(container, this.lastStamp ?? since, this.lastNanos).catch(() => {});
  }

  /**
   * A line as the engine sends it with `timestamps`: "<RFC 3339 nano> <text>"; on a resumed stream, lines up to `after`
   * were seen.
   */
  private stamped(line: string, stderr: boolean, after: bigint | undefined): void {
    const space = line.indexOf(" ");
    const stamp = space > 0 ? line.slice(0, space) : "";
    let at: bigint | undefined;
    try {
      at = stampNanos(stamp);
    } catch {
      at = undefined;
    }
    if (at === undefined) return this.keep(line, stderr);
    if (after !== undefined && at <= after) return;
    if (this.lastNanos === undefined || at > this.lastNanos) {
      this.lastNanos = at;
      this.lastStamp = stamp;
    }
    this.keep(line.slice(space + 1), stderr);
  }

  /** Writes a line of the driver's own (e.g. "container killed") into the log. */
  note(line: string): void {
    this.keep(`[exlab] ${line}`, false);
  }

  private keep(line: string, stderr: boolean): void {
    const text = stderr ? `! ${line}` : line;
    this.recent.push(text);
    if (this.recent.length > (this.options.keepLines ?? 200)) this.recent.shift();
    if (!this.log.writableEnded) this.log.write(text + "\n");
    for (const l of this.listeners) l(line);
  }

  lines(n = 20): string[] {
    return this.recent.slice(-n);
  }

  /** Calls `listener` with every future line (without the "! " prefix); returns the unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every followed stream has ended (the container stopped) or after `timeoutMs`. */
  async settled(timeoutMs = 1000): Promise<void> {
    const look = () => (this.streams.size === 0 ? ok(undefined) : notYet(`${this.streams.size} stream(s) open`));
    await pollUntil(look, { describe: "the log streams to end", deadlineMs: timeoutMs, intervalMs: 20 }).catch(
      (err) => {
        if (!(err instanceof WaitTimeoutError)) throw err;
      },
    );
  }

  /** Detaches from the engine and closes the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams) s.destroy?.();
    this.streams.clear();
    this.log.end();
  }
}

/** Nanoseconds since the epoch of an RFC 3339 time with up to 9 fractional digits. */
export function stampNanos(rfc3339: string): bigint {
  const [seconds, nanos] = dockerSince(rfc3339).split(".");
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

/** Docker's `since` accepts "seconds.nanoseconds": from RFC 3339 (e.g. 2024-05-01T10:00:00.123456789Z). */
export function dockerSince(rfc3339: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!m) throw new Error(`not an RFC 3339 time: ${rfc3339}`);
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  if (!Number.isFinite(seconds)) throw new Error(`not an RFC 3339 time: ${rfc3339}`);
  const nanos = (m[2] ?? "").padEnd(9, "0").slice(0, 9);
  return `${seconds}.${nanos}`;
}
