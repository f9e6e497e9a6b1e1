import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
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

  constructor(
    private readonly docker: Docker,
    private readonly options: LogTailOptions,
  ) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.log = createWriteStream(options.logFile, { flags: "a" });
  }

  /**
   * Follows `container`'s output from `since` (the run's State.StartedAt, RFC 3339 with nanoseconds) until the
   * container stops; resolves once the stream is attached.
   */
  async follow(container: DockerContainer, since?: string): Promise<void> {
    if (this.closed) return;
    const raw = (await container.logs({ follow: true, stdout: true, stderr: true, ...(since ? { since: dockerSince(since) } : {}) })) as unknown as NodeJS.ReadableStream & { destroy(): void };
    this.streams.add(raw);
    const out = new PassThrough();
    const err = new PassThrough();
    this.docker.modem.demuxStream(raw, out, err);
    raw.on("end", () => {
      out.end();
      err.end();
      this.streams.delete(raw);
    });
    raw.on("error", () => {
      out.end();
      err.end();
    });
    createInterface({ input: out }).on("line", (line) => this.keep(line, false));
    createInterface({ input: err }).on("line", (line) => this.keep(line, true));
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

  /** Detaches from the engine and closes the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams) s.destroy?.();
    this.streams.clear();
    this.log.end();
  }
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
