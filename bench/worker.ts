/**
 * One OS process of a benchmark deployment, started by bench/lib/children.ts as plain JavaScript (this file
 * transpiled once per bench run, so no ts-node or TypeScript is loaded into it):
 *   node --require dist/.../parent-watch.js <tmp>/worker.js <role> '<json args>'
 * Its hot code is the compiled exchange (dist/, found through $EXLAB_BENCH_ROOT) or the nats client. It talks to the
 * bench over IPC:
 * `{type:"ready", …}` once set up, `{type:"reply", id, …}` to commands, `{type:"progress", count}` from
 * subscriber processes every `ackEvery` deliveries to each of their subscribers (count: the fewest any of them
 * had), `{type:"probe"}` once each of them received a probe. A subscriber process holds `count` subscribers
 * (default 1), each with its own connection (its own ExchangeNode, or its own nats.js connection).
 *
 * Roles: xserver (exchange server), xservice / xsubscriber (exchange clients), nservice / nsubscriber (nats
 * clients), exec (runs a command, e.g. nats-server, in this process group).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = process.env.EXLAB_BENCH_ROOT ?? join(__dirname, "..");
const { ExchangeNode } = require(join(ROOT, "dist", "exchange")) as typeof import("../dist/exchange");
const { connect: natsConnect } = require(require.resolve("nats", { paths: [ROOT] })) as typeof import("nats");

type Command = { type: string; id?: number; [k: string]: unknown };
type Args = Record<string, unknown>;

const send = (m: Record<string, unknown>) => process.send?.(m);
const handlers = new Map<string, (c: Command) => unknown>();
process.on("message", async (c: Command) => {
  const h = handlers.get(c.type);
  try {
    const out = h ? await h(c) : { error: `unknown command ${c.type}` };
    send({ type: "reply", id: c.id, ...(out as object) });
  } catch (err) {
    send({ type: "reply", id: c.id, error: (err as Error).message });
  }
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));

const timing = { heartbeatMs: 2000, retryDelayMs: 200 };

/** Counting state of a subscriber process's `n` subscribers, shared by both systems. */
function subscriberState(n: number) {
  const counts = new Array<number>(n).fill(0);
  const probed = new Set<number>();
  let ackEvery = 1;
  let acked = 0;
  handlers.set("reset", (c) => {
    counts.fill(0);
    acked = 0;
    ackEvery = Number(c.ackEvery) || 1;
    return {};
  });
  return {
    delivered(i: number): void {
      if (++counts[i] % ackEvery !== 0) return;
      const all = Math.min(...counts);
      const count = all - (all % ackEvery);
      if (count <= acked) return;
      acked = count;
      send({ type: "progress", count });
    },
    probe(i: number): void {
      if (probed.size === n) return;
      probed.add(i);
      if (probed.size === n) send({ type: "probe" });
    },
  };
}

function vm(): { hwmKiB: number; rssKiB: number } {
  const status = readFileSync("/proc/self/status", "utf8");
  const kib = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { hwmKiB: kib("VmHWM"), rssKiB: kib("VmRSS") };
}

async function xserver(a: Args): Promise<void> {
  const node = new ExchangeNode({ name: String(a.name), timing });
  const ex = node.exchange({ role: "server" });
  const port = await ex.listen(0, "127.0.0.1");
  handlers.set("connect", (c) => {
    for (const p of c.ports as number[]) ex.connect("127.0.0.1", p, { delayMs: timing.retryDelayMs });
    return {};
  });
  handlers.set("gc", () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return { error: "start the worker with --expose-gc" };
    gc();
    return { heapUsed: process.memoryUsage().heapUsed, ...vm() };
  });
  handlers.set("stats", () => {
    const links = node.dump().links.filter((l) => l.state === "ACTIVE" || l.state === "SYNCED");
    return {
      bindings: node.registry.size,
      serverLinks: links.filter((l) => l.peer?.role === "server").length,
      links: links.length,
      ...vm(),
    };
  });
  send({ type: "ready", port, ...vm() });
}

function xclient(a: Args, name: string): InstanceType<typeof ExchangeNode> {
  const node = new ExchangeNode({ name, timing });
  node.exchange({ role: "client" }).connect("127.0.0.1", Number(a.port), { delayMs: timing.retryDelayMs });
  return node;
}

async function xservice(a: Args): Promise<void> {
  const node = xclient(a, String(a.name ?? "bench-service"));
  node.agent({ name: "echo" }).onRequest((_method, args) => args);
  send({ type: "ready" });
}

/** `count` subscribers (default 1) of the publisher named `feed` (default "feed"), each its own client node. */
async function xsubscriber(a: Args): Promise<void> {
  const n = Number(a.count ?? 1);
  const s = subscriberState(n);
  for (let i = 0; i < n; i++) {
    const name = n === 1 ? String(a.name) : `${String(a.name)}-${i}`;
    const agent = xclient(a, name).agent({ name });
    agent.onReport((r) => (r.subject === "probe" ? s.probe(i) : s.delivered(i)));
    agent.subscribeReports(String(a.feed ?? "feed"), "*");
  }
  send({ type: "ready" });
}

async function nservice(a: Args): Promise<void> {
  const nc = await natsConnect({ servers: String(a.url) });
  nc.subscribe("echo", { callback: (_err, msg) => msg.respond(msg.data) });
  await nc.flush();
  send({ type: "ready" });
}

/** `count` subscribers (default 1) of `<feed>.>` (default "feed"), each its own connection. */
async function nsubscriber(a: Args): Promise<void> {
  const n = Number(a.count ?? 1);
  const feed = String(a.feed ?? "feed");
  const s = subscriberState(n);
  for (let i = 0; i < n; i++) {
    const nc = await natsConnect({ servers: String(a.url) });
    nc.subscribe(`${feed}.>`, {
      callback: (_err, msg) => (msg.subject === `${feed}.probe` ? s.probe(i) : s.delivered(i)),
    });
    await nc.flush();
  }
  send({ type: "ready" });
}

async function exec(a: Args): Promise<void> {
  const child = spawn(String(a.command), (a.args as string[]) ?? [], { stdio: ["ignore", "inherit", "inherit"] });
  child.once("error", (err) => {
    send({ type: "error", message: err.message });
    process.exit(1);
  });
  child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  const stop = () => child.kill("SIGTERM");
  process.removeAllListeners("SIGTERM");
  process.on("SIGTERM", stop);
  process.removeAllListeners("disconnect");
  process.on("disconnect", stop);
  send({ type: "ready", pid: child.pid });
}

const roles: Record<string, (a: Args) => Promise<void>> = {
  xserver,
  xservice,
  xsubscriber,
  nservice,
  nsubscriber,
  exec,
};
const [role, json] = process.argv.slice(2);
const run = roles[role];
if (!run) {
  process.stderr.write(`bench/worker: unknown role ${role}; roles: ${Object.keys(roles).join(", ")}\n`);
  process.exit(2);
}
run(JSON.parse(json ?? "{}")).catch((err: Error) => {
  send({ type: "error", message: err.stack ?? err.message });
  process.stderr.write(`bench/worker ${role}: ${err.stack}\n`);
  process.exit(1);
});
