import * as fs from "node:fs";
import type { Readable } from "node:stream";

/** Longest line kept whole; longer ones are cut. */
const MAX_LINE = 16 * 1024;

/**
 * The log of one process across its runs: every line of its stdout and stderr is appended to
 * `<runDir>/<process>.log` and kept in a ring of the newest `ringLines` lines.
 */
export class ProcessLog {
  private readonly ring: string[] = [];
  private readonly file: fs.WriteStream;

  /** @param ringLines lines kept in memory for `GET /logs/:p`. @default 500 */
  constructor(
    readonly path: string,
    private readonly ringLines = 500,
  ) {
    this.file = fs.createWriteStream(path, { flags: "a" });
    this.file.on("error", () => undefined);
  }

  /** Appends a line; false when the file's buffer is full (wait for {@link drained} before writing more). */
  line(text: string): boolean {
    this.ring.push(text);
    if (this.ring.length > this.ringLines * 2) this.ring.splice(0, this.ring.length - this.ringLines);
    return this.file.write(text + "\n");
  }

  /** Resolves when the file has taken what was buffered. */
  drained(): Promise<void> {
    return this.file.writableNeedDrain ? new Promise((resolve) => this.file.once("drain", resolve)) : Promise.resolve();
  }

  /**
   * Feeds a child's stream into the log, line by line, each prefixed with `prefix` (e.g. `stderr| `). The stream is
   * paused while the file catches up, so a child that writes faster than the disk waits, and memory stays bounded;
   * a line longer than {@link MAX_LINE} characters is cut into several.
   */
  follow(stream: Readable | null, prefix = ""): void {
    if (!stream) return;
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      while (partial.length > MAX_LINE) {
        parts.push(partial.slice(0, MAX_LINE));
        partial = partial.slice(MAX_LINE);
      }
      let full = false;
      for (const p of parts) full = !this.line(prefix + p) || full;
      if (!full) return;
      stream.pause();
      void this.drained().then(() => stream.resume());
    });
    stream.on("end", () => {
      if (partial) this.line(prefix + partial);
      partial = "";
    });
  }

  tail(n: number): string[] {
    n = Math.min(n, this.ringLines);
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(resolve));
  }
}
