import * as fs from "node:fs";
import type { Readable } from "node:stream";

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

  line(text: string): void {
    this.ring.push(text);
    if (this.ring.length > this.ringLines) this.ring.splice(0, this.ring.length - this.ringLines);
    this.file.write(text + "\n");
  }

  /** Feeds a child's stream into the log, line by line, each prefixed with `prefix` (e.g. `stderr| `). */
  follow(stream: Readable | null, prefix = ""): void {
    if (!stream) return;
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const p of parts) this.line(prefix + p);
    });
    stream.on("end", () => {
      if (partial) this.line(prefix + partial);
      partial = "";
    });
  }

  tail(n: number): string[] {
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(resolve));
  }
}
