import { figure, notMeasured, Runs, type Figure, type Result } from "../lib/stats";
import { startExchangeSide, startNatsSide, type Side } from "./messaging-sides";
import { findOrInstallNats } from "./nats-server";
import { cpuDuring, fanout, fanoutWindow, latency, pipelined } from "./workloads";

export interface MessagingOptions {
  runs: number;
  sizes: number[];
  /** Sequential requests per latency run. */
  latencyCount: (size: number) => number;
  pipelineWindow: number;
  pipelineMs: number;
  fanoutMs: number;
  warmup: boolean;
  /** Leave NATS out (its columns say "not measured"). */
  noNats?: boolean;
}

export const WORKLOADS = [
  { key: "p50", title: "request/reply latency p50", unit: "ms", better: "lower" },
  { key: "p99", title: "request/reply latency p99", unit: "ms", better: "lower" },
  { key: "pipelined", title: "pipelined request/reply", unit: "req/s", better: "higher" },
  { key: "fanout", title: "report fan-out to 3 subscribers", unit: "deliveries/s", better: "higher" },
  { key: "fanout30", title: "report fan-out to 30 subscribers", unit: "deliveries/s", better: "higher" },
  { key: "cpuServers", title: "CPU per pipelined request, 3 servers", unit: "µs", better: "lower" },
  { key: "cpuClient", title: "CPU per pipelined request, client", unit: "µs", better: "lower" },
  { key: "cpuService", title: "CPU per pipelined request, service", unit: "µs", better: "lower" },
] as const;

export interface MessagingRow {
  workload: (typeof WORKLOADS)[number]["key"];
  title: string;
  payloadBytes: number;
  unit: string;
  exchange: Result;
  nats: Result;
  /** exchange / NATS, paired per run (median, min, max of the per-run ratios). */
  ratio: Result;
}

export interface MessagingResult {
  nats: { version: string; how: string } | { notMeasured: string };
  setup: Record<string, unknown>;
  rows: MessagingRow[];
}

async function measure(side: Side, size: number, o: MessagingOptions, runs: Runs, record: boolean): Promise<void> {
  const p = side.payload(size);
  const l = await latency(side, p, record ? o.latencyCount(size) : Math.min(200, o.latencyCount(size)));
  const ms = record ? o.pipelineMs : 300;
  const { value: piped, cpu } = await cpuDuring(side, () => pipelined(side, p, o.pipelineWindow, ms));
  const dps = await fanout(side.fanout3, p, size, record ? o.fanoutMs : 300);
  const dps30 = await fanout(side.fanout30, p, size, record ? o.fanoutMs : 300);
  if (!record) return;
  runs.add(`${side.system}:p50:${size}`, l.p50, "ms");
  runs.add(`${side.system}:p99:${size}`, l.p99, "ms");
  runs.add(`${side.system}:pipelined:${size}`, piped.perSecond, "req/s");
  runs.add(`${side.system}:fanout:${size}`, dps, "deliveries/s");
  runs.add(`${side.system}:fanout30:${size}`, dps30, "deliveries/s");
  const requests = piped.requests;
  runs.add(`${side.system}:cpuServers:${size}`, cpu.servers / requests, "µs");
  runs.add(`${side.system}:cpuClient:${size}`, cpu.client / requests, "µs");
  runs.add(`${side.system}:cpuService:${size}`, cpu.service / requests, "µs");
}

export async function messagingSection(o: MessagingOptions, log: (s: string) => void): Promise<MessagingResult> {
  const bin = o.noNats ? { missing: "left out (--no-nats)" } : findOrInstallNats(log);
  let natsWhy = "missing" in bin ? bin.missing : "";
  const sides: Side[] = [];
  const runs = new Runs();
  try {
    log("messaging: starting the exchange deployment (3 servers, service, 3 + 30 subscribers) …");
    sides.push(await startExchangeSide());
    if (!("missing" in bin)) {
      log(`messaging: starting a 3-node NATS cluster (${bin.version}) …`);
      try {
        sides.push(await startNatsSide(bin.path));
      } catch (err) {
        natsWhy = `the NATS cluster did not start: ${(err as Error).message.split("\n")[0]}`;
      }
    }
    if (natsWhy) log(`messaging: NATS not measured: ${natsWhy}`);
    const phases = o.warmup
      ? [false, ...Array.from({ length: o.runs }, () => true)]
      : Array.from({ length: o.runs }, () => true);
    for (const [i, record] of phases.entries()) {
      log(`messaging: ${record ? `run ${i + (o.warmup ? 0 : 1)}/${o.runs}` : "warm-up"} …`);
      for (const size of o.sizes) {
        for (const side of [...sides]) {
          try {
            await measure(side, size, o, runs, record);
          } catch (err) {
            if (side.system === "exchange") throw err;
            natsWhy = `NATS failed during the run: ${(err as Error).message}`;
            sides.splice(sides.indexOf(side), 1);
            await side.close().catch(() => undefined);
          }
        }
      }
    }
  } finally {
    await Promise.all(sides.map((s) => s.close().catch(() => undefined)));
  }
  return {
    nats:
      "missing" in bin
        ? { notMeasured: bin.missing }
        : natsWhy
          ? { notMeasured: natsWhy }
          : { version: bin.version, how: bin.how },
    setup: {
      path: "client (bench process) → server A → server B → echo service; servers, service and subscribers are child processes",
      servers:
        "3 in a full mesh on 127.0.0.1 (exchange: ExchangeNode servers from dist/; NATS: nats-server with cluster routes)",
      subscribers:
        "3, on servers A, B and C (a process each); and 30 on another feed, 10 per server (a process per server, a connection per subscriber); the publisher is the bench process on server A",
      payloads: "bytes on the wire per message body (exchange: a JSON string of that size; NATS: raw bytes)",
      latency: "sequential requests; p50/p99 per run",
      pipelined: `${o.pipelineWindow} requests outstanding for ${o.pipelineMs} ms per run`,
      fanout: `${o.fanoutMs} ms of publishing per run and case, at most ${o.sizes.map((s) => fanoutWindow(s).window).join("/")} publications ahead of the slowest subscriber (acknowledged over IPC)`,
      runs: o.runs,
      warmup: o.warmup,
    },
    rows: rows(runs, o.sizes, natsWhy),
  };
}

function rows(runs: Runs, sizes: number[], natsWhy: string): MessagingRow[] {
  const out: MessagingRow[] = [];
  for (const w of WORKLOADS) {
    for (const size of sizes) {
      const ex = runs.get(`exchange:${w.key}:${size}`);
      const nats = natsWhy ? undefined : runs.get(`NATS:${w.key}:${size}`);
      out.push({
        workload: w.key,
        title: w.title,
        payloadBytes: size,
        unit: w.unit,
        exchange: ex ?? notMeasured("no run completed"),
        nats: nats ?? notMeasured(natsWhy || "no run completed"),
        ratio: ex && nats ? ratio(ex, nats) : notMeasured(natsWhy || "no run completed"),
      });
    }
  }
  return out;
}

function ratio(a: Figure, b: Figure): Figure {
  const n = Math.min(a.runs.length, b.runs.length);
  return figure(
    Array.from({ length: n }, (_, i) => a.runs[i] / b.runs[i]),
    "×",
  );
}
