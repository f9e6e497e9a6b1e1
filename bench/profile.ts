/**
 * Profiles one messaging workload of one system with `node --cpu-prof`: every child process (servers, service,
 * subscribers) writes a .cpuprofile into DIR; run this script itself under --cpu-prof to profile the client too.
 *
 *   node --cpu-prof --cpu-prof-dir=DIR -r ts-node/register/transpile-only bench/profile.ts \
 *     <exchange|nats> <latency|pipelined|fanout|fanout30> [payload bytes=16] [ms=5000] [DIR=/tmp/exlab-prof]
 *
 * Open the profiles in Chrome DevTools, or summarise them with `node bench/profile-summary.js DIR`.
 */
import { mkdirSync } from "node:fs";
import { ensureDist, installCleanup } from "./lib/setup";
import { startExchangeSide, startNatsSide, type Side } from "./sections/messaging-sides";
import { findNats } from "./sections/nats-server";
import { fanout, latency, pipelined } from "./sections/workloads";

const [system = "exchange", workload = "pipelined", sizeArg = "16", msArg = "5000", dir = "/tmp/exlab-prof"] =
  process.argv.slice(2);
const log = (s: string) => process.stderr.write(`[profile] ${s}\n`);

async function main(): Promise<void> {
  installCleanup(async () => undefined, log);
  ensureDist(log);
  mkdirSync(dir, { recursive: true });
  process.env.EXLAB_BENCH_CHILD_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
  let side: Side;
  if (system === "nats") {
    const bin = findNats();
    if (!bin || !("path" in bin)) throw new Error("nats-server is not on PATH (npm run bench installs it)");
    side = await startNatsSide(bin.path);
  } else side = await startExchangeSide();
  const size = Number(sizeArg);
  const ms = Number(msArg);
  const p = side.payload(size);
  try {
    if (workload === "latency") {
      const count = Math.max(100, Math.round(ms / 0.5));
      const l = await latency(side, p, count);
      log(
        `${system} latency over ${count} requests of ${size} B: p50 ${l.p50.toFixed(3)} ms, p99 ${l.p99.toFixed(3)} ms`,
      );
    } else if (workload === "fanout" || workload === "fanout30") {
      const target = workload === "fanout" ? side.fanout3 : side.fanout30;
      log(`${system} ${workload} ${size} B: ${Math.round(await fanout(target, p, size, ms))} deliveries/s`);
    } else log(`${system} pipelined ${size} B: ${Math.round((await pipelined(side, p, 64, ms)).perSecond)} req/s`);
  } finally {
    await side.close();
  }
  log(`profiles of the child processes are in ${dir}`);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    log(err.stack ?? err.message);
    process.exit(1);
  },
);
