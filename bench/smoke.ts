/**
 * `npm run bench -- --smoke`: one tiny case of each part of the bench, to check the harness works (seconds, not
 * minutes; nothing written to bench/results). Fails when a part fails or yields a figure that is not a
 * positive finite number. NATS is included only when nats-server is already on PATH.
 */
import { isFigure, type Result } from "./lib/stats";
import { faultProxySection } from "./sections/faultproxy";
import { memorySection } from "./sections/memory";
import { convergeSection } from "./sections/mesh-converge";
import { startExchangeSide, startNatsSide, type Side } from "./sections/messaging-sides";
import { findNats } from "./sections/nats-server";
import { fanout, latency, pipelined } from "./sections/workloads";

function positive(what: string, v: number | Result | undefined): string {
  const n = typeof v === "number" ? v : isFigure(v) ? v.median : NaN;
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`smoke: ${what} is not a positive number: ${JSON.stringify(v)}`);
  return `${what} ${Number(n.toPrecision(3))}`;
}

async function tinyMessaging(side: Side): Promise<string> {
  const p = side.payload(16);
  const l = await latency(side, p, 50);
  const rps = (await pipelined(side, p, 16, 200)).perSecond;
  const dps = await fanout(side.fanout3, p, 16, 200);
  const dps30 = await fanout(side.fanout30, p, 16, 200);
  return [
    positive(`${side.system} p50 ms`, l.p50),
    positive("req/s", rps),
    positive("deliveries/s", dps),
    positive("deliveries/s to 30", dps30),
  ].join(", ");
}

export async function runSmoke(log: (s: string) => void): Promise<void> {
  const lines: string[] = [];
  const exchange = await startExchangeSide();
  try {
    lines.push(await tinyMessaging(exchange));
  } finally {
    await exchange.close();
  }
  const bin = findNats();
  if (bin && "path" in bin) {
    const nats = await startNatsSide(bin.path);
    try {
      lines.push(await tinyMessaging(nats));
    } finally {
      await nats.close();
    }
  } else lines.push("NATS skipped (nats-server not on PATH)");
  const [conv] = await convergeSection({ processCounts: [3], containerCounts: [], runs: 1 }, log);
  lines.push(positive("lab 3 machines converged ms", conv.converged));
  const fp = await faultProxySection({ mib: 4, runs: 1, pings: 100 }, () => undefined);
  lines.push(
    positive(
      "fault proxy MiB/s",
      fp.rows.find((r) => r.setup === "two processes" && r.target === "proxy (child process)")?.throughput,
    ),
  );
  const mem = await memorySection({ bindings: 1000, runs: 1 }, () => undefined);
  lines.push(positive("server RSS MiB with 1000 bindings", mem.peakRssMiB));
  for (const l of lines) log(`smoke: ${l}`);
  log("smoke: ok");
}
