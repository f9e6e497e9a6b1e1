import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModuleKind, ScriptTarget, transpileModule } from "typescript";

/** The repository root (bench/lib → ../..). */
export const ROOT = join(__dirname, "..", "..");
const PARENT_WATCH = join(ROOT, "dist", "drivers", "process", "parent-watch.js");
const WORKER = join(ROOT, "bench", "worker.ts");

type Message = { type: string; id?: number; [k: string]: unknown };

/**
 * A node child process of the bench: detached in its own process group (so it and whatever it starts die
 * together), with the lab's parent watchdog preloaded (so it dies with the bench even on SIGKILL), an IPC
 * channel, and its recent output kept for error messages.
 */
export class BenchChild {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private readonly recent: string[] = [];
  private readonly waiters = new Set<(m: Message) => boolean>();
  private readonly listeners = new Map<string, Set<(m: Message) => void>>();
  private nextId = 1;
  private done = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    if (child.pid === undefined) throw new Error(`could not start ${name}`);
    this.pid = child.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      child.once("close", (code, signal) => {
        this.done = true;
        live.delete(this);
        for (const w of [...this.waiters]) w({ type: "exit", code, signal });
        resolve({ code, signal });
      });
    });
    child.on("message", (m: Message) => {
      for (const w of [...this.waiters]) w(m);
      for (const l of this.listeners.get(m.type) ?? []) l(m);
    });
    for (const s of [child.stdout, child.stderr]) {
      s?.on("data", (d: Buffer) => {
        this.recent.push(...d.toString().split("\n").filter(Boolean));
        if (this.recent.length > 40) this.recent.splice(0, this.recent.length - 40);
      });
    }
  }

  get alive(): boolean {
    return !this.done;
  }

  output(): string {
    return this.recent.join("\n");
  }

  /** Waits for the next message of `type` (rejects if the child exits first or after `timeoutMs`). */
  next(type: string, timeoutMs = 30000, match: (m: Message) => boolean = () => true): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms\n${this.output()}`)),
        timeoutMs,
      );
      const finish = (err: Error | null, m?: Message) => {
        clearTimeout(timer);
        this.waiters.delete(w);
        if (err) reject(err);
        else resolve(m!);
      };
      const w = (m: Message) => {
        if (m.type === "exit")
          finish(new Error(`${this.name} exited (${String(m.code ?? m.signal)}):\n${this.output()}`));
        else if (m.type === "error") finish(new Error(`${this.name}: ${String(m.message)}`));
        else if (m.type === type && match(m)) finish(null, m);
        else return false;
        return true;
      };
      this.waiters.add(w);
    });
  }

  /** Sends a command and resolves with its reply (`{ type: "reply", id }`). */
  async call(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30000): Promise<Message> {
    const id = this.nextId++;
    const reply = this.next("reply", timeoutMs, (m) => m.id === id);
    this.child.send({ type: cmd, id, ...args });
    return reply;
  }

  on(type: string, listener: (m: Message) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
    return () => set.delete(listener);
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.done) return;
    signalGroup(this.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(this.pid, "SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
    signalGroup(this.pid, "SIGKILL");
  }
}

const live = new Set<BenchChild>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Starts a node script (compiled .js, or .ts through ts-node transpile-only) as a bench child. Extra node flags
 * for every child come from $EXLAB_BENCH_CHILD_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile).
 */
export function spawnNode(
  name: string,
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  nodeArgs: string[] = [],
): BenchChild {
  if (!existsSync(PARENT_WATCH)) throw new Error(`${PARENT_WATCH} is missing: run npm run build`);
  const ts = script.endsWith(".ts") ? ["-r", "ts-node/register/transpile-only"] : [];
  const extra = (process.env.EXLAB_BENCH_CHILD_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...extra, ...nodeArgs, "--require", PARENT_WATCH, ...ts, script, ...args], {
    cwd: ROOT,
    detached: true,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  return new BenchChild(name, child);
}

let compiled: string | undefined;

/** bench/worker.ts as plain JavaScript in a temporary folder (removed on exit): children load no TypeScript. */
function compiledWorker(): string {
  if (compiled) return compiled;
  const dir = mkdtempSync(join(tmpdir(), "exlab-bench-worker-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const js = transpileModule(readFileSync(WORKER, "utf8"), {
    compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true },
  });
  compiled = join(dir, "worker.js");
  writeFileSync(compiled, js.outputText);
  return compiled;
}

/** Starts bench/worker.ts in a role (its hot code is the compiled dist/). */
export function spawnWorker(
  name: string,
  role: string,
  args: Record<string, unknown> = {},
  nodeArgs: string[] = [],
): BenchChild {
  return spawnNode(
    name,
    compiledWorker(),
    [role, JSON.stringify(args)],
    { ...process.env, EXLAB_BENCH_ROOT: ROOT },
    nodeArgs,
  );
}

/** SIGKILLs every live bench child's process group (synchronous: safe in an exit handler). */
export function killAllChildren(): number {
  const n = live.size;
  for (const c of live) signalGroup(c.pid, "SIGKILL");
  return n;
}

export function liveChildren(): number {
  return live.size;
}
