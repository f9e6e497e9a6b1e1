import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { distScript } from "../../runs";
import type { ExitInfo } from "../driver";

/**
 * A node child process started detached in its own process group, with the parent watchdog preloaded, its output
 * appended to a log file and kept in a ring buffer of recent lines.
 */
export interface ChildOptions {
  /** A node script (run with the watchdog preloaded), or… */
  script?: string;
  /** …any executable (no watchdog: the run registry and `exlab clean` cover it). */
  command?: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** @default 200 */
  keepLines?: number;
}

export class DetachedChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private readonly recent: string[] = [];
  private readonly log: WriteStream;
  private readonly lineListeners = new Set<(line: string) => void>();
  private exitInfo?: ExitInfo;

  constructor(private readonly options: ChildOptions) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.log = createWriteStream(options.logFile, { flags: "a" });
    const [command, args] = options.script
      ? [
          process.execPath,
          ["--require", distScript("drivers/process/parent-watch.js"), options.script, ...(options.args ?? [])],
        ]
      : [options.command ?? "false", options.args ?? []];
    this.child = spawn(command, args, {
      detached: true,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    if (this.child.pid === undefined) throw new Error(`could not spawn ${command}`);
    this.pid = this.child.pid;
    this.child.stdin?.on("error", () => {});
    this.exited = new Promise((resolve) => {
      this.child.once("error", (err) => this.keep(`spawn error: ${err.message}`));
      this.child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    for (const [stream, tag] of [
      [this.child.stdout, "out"],
      [this.child.stderr, "err"],
    ] as const) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        this.keep(tag === "err" ? `! ${line}` : line);
        for (const l of this.lineListeners) l(line);
      });
    }
    this.exited.then(() => this.log.end());
  }

  get exitedWith(): ExitInfo | undefined {
    return this.exitInfo;
  }

  private keep(line: string): void {
    this.recent.push(line);
    if (this.recent.length > (this.options.keepLines ?? 200)) this.recent.shift();
    if (!this.log.writableEnded) this.log.write(line + "\n");
  }

  lines(n = 20): string[] {
    return this.recent.slice(-n);
  }

  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Resolves with the rest of the first stdout line starting with `prefix`; rejects on exit or timeout. */
  waitForLine(prefix: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        off();
        fn();
      };
      const off = this.onLine((line) => {
        if (line.startsWith(prefix)) done(() => resolve(line.slice(prefix.length)));
      });
      const timer = setTimeout(
        () => done(() => reject(new Error(`no "${prefix.trim()}" line within ${timeoutMs} ms`))),
        timeoutMs,
      );
      this.exited.then((e) => done(() => reject(new Error(`exited early (code ${e.code}, signal ${e.signal})`))));
    });
  }
}
