// Fault proxy benchmark: throughput and added latency of a proxy with no toxic, against a direct TCP connection.
//   node -r ts-node/register/transpile-only bench/faultproxy.ts [result.json] [--mib N] [--runs N] [--pings N]
// Two setups, each with its own direct baseline:
//   - "two processes": the server runs in a child process, as the two ends of a lab link do (two machines);
//   - "one process": client and server share this process (no process wake-up on the direct path at all).
// In each, the proxy runs as a child process (as `exlab proxy` does in the lab); a bare socket.pipe() forwarder
// in a child process shows what any Node forwarder costs; in the one-process setup the proxy also runs embedded.
// Every target is warmed up, then measured in interleaved rounds; medians are reported. Prints a table; writes
// JSON to the given path, or to stdout (the table then goes to stderr).
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFaultProxy } from "../src/faultproxy";
import {
  median,
  percentile,
  pingPong,
  startBenchServer,
  startChildBenchServer,
  throughput,
  type BenchServer,
} from "./faultproxy-measure";

interface Target {
  name: string;
  port: number;
  stop(): Promise<void>;
}

interface Row {
  setup: string;
  target: string;
  throughputMiBs: number[];
  rttMedianUs: number[];
  rttP99Us: number[];
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const outPath = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const MIB = flag("--mib", 256);
const RUNS = flag("--runs", 3);
const PINGS = flag("--pings", 5000);

async function createProxy(api: string, upstreamPort: number): Promise<number> {
  const res = await fetch(`${api}/proxies`, {
    method: "POST",
    body: JSON.stringify({ name: "bench", listen: "127.0.0.1:0", upstream: `127.0.0.1:${upstreamPort}` }),
  });
  const proxy = (await res.json()) as { listen: string };
  return Number(proxy.listen.split(":").pop());
}

async function childProxy(server: BenchServer): Promise<Target> {
  const main = join(__dirname, "..", "src", "faultproxy", "main.ts");
  const child: ChildProcess = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", main, "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, LOG_LEVEL: "warn" },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`proxy exited with ${code}`)));
  });
  const port = await createProxy(url, server.port);
  return {
    name: "proxy (child process)",
    port,
    stop: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill("SIGTERM"))),
  };
}

/** The floor any Node forwarder stands on: a bare socket.pipe() in both directions, in a child process. */
async function pipeForwarder(server: BenchServer): Promise<Target> {
  const script = `
    const net = require("node:net");
    const s = net.createServer((c) => {
      const u = net.connect(${server.port}, "127.0.0.1");
      c.setNoDelay(true); u.setNoDelay(true);
      c.on("error", () => {}); u.on("error", () => {});
      c.pipe(u); u.pipe(c);
    });
    s.listen(0, "127.0.0.1", () => console.log("port " + s.address().port));
    process.on("SIGTERM", () => process.exit(0));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) =>
    child.stdout?.on("data", (d: Buffer) => resolve(Number(/port (\d+)/.exec(d.toString())?.[1]))),
  );
  return {
    name: "bare socket.pipe (child process)",
    port,
    stop: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill("SIGTERM"))),
  };
}

async function embeddedProxy(server: BenchServer): Promise<Target> {
  const fp = await startFaultProxy({ port: 0, seed: 1 });
  return { name: "proxy (in process)", port: await createProxy(fp.url, server.port), stop: () => fp.close() };
}

/** The targets of one setup, the direct connection first. */
async function targetsFor(server: BenchServer, embedded: boolean): Promise<Target[]> {
  const targets = [
    { name: "direct", port: server.port, stop: async () => undefined },
    await pipeForwarder(server),
    await childProxy(server),
  ];
  if (embedded) targets.push(await embeddedProxy(server));
  return targets;
}

async function measureSetup(setup: string, server: BenchServer, targets: Target[]): Promise<Row[]> {
  const rows: Row[] = targets.map((t) => ({
    setup,
    target: t.name,
    throughputMiBs: [],
    rttMedianUs: [],
    rttP99Us: [],
  }));
  for (const target of targets) {
    await throughput(target.port, Math.min(MIB, 64) * 1024 * 1024);
    await pingPong(target.port, 1000, 0);
  }
  for (let run = 0; run < RUNS; run++) {
    for (const [i, target] of targets.entries()) {
      rows[i].throughputMiBs.push(await throughput(target.port, MIB * 1024 * 1024));
      const rtts = (await pingPong(target.port, PINGS, 500)).sort((a, b) => a - b);
      rows[i].rttMedianUs.push(percentile(rtts, 50));
      rows[i].rttP99Us.push(percentile(rtts, 99));
    }
  }
  for (const target of targets) await target.stop();
  await server.close();
  return rows;
}

async function main(): Promise<void> {
  const two = await startChildBenchServer();
  const rows = await measureSetup("two processes", two, await targetsFor(two, false));
  const one = await startBenchServer();
  rows.push(...(await measureSetup("one process", one, await targetsFor(one, true))));

  const summary = rows.map((row) => {
    const direct = rows.find((r) => r.setup === row.setup && r.target === "direct")!;
    return {
      setup: row.setup,
      target: row.target,
      throughputMiBs: round(median(row.throughputMiBs)),
      throughputRatio: round(median(row.throughputMiBs) / median(direct.throughputMiBs), 3),
      rttMedianUs: round(median(row.rttMedianUs)),
      rttP99Us: round(median(row.rttP99Us)),
      addedMedianUs: round(median(row.rttMedianUs) - median(direct.rttMedianUs)),
      runs: row,
    };
  });
  const result = {
    benchmark: "faultproxy",
    date: new Date().toISOString(),
    node: process.version,
    mib: MIB,
    runs: RUNS,
    pings: PINGS,
    summary,
  };

  const table = [
    "| ends in | target | MiB/s | × direct | RTT p50 µs | RTT p99 µs | added p50 µs |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...summary.map(
      (s) =>
        `| ${s.setup} | ${s.target} | ${s.throughputMiBs} | ${s.throughputRatio} | ${s.rttMedianUs} | ${s.rttP99Us} | ${s.addedMedianUs} |`,
    ),
  ].join("\n");
  if (outPath) {
    writeFileSync(outPath, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${table}\n`);
  } else {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

main().catch((err: unknown) => {
  process.stderr.write(`bench/faultproxy: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
