/**
 * `npm run bench` (DESIGN.md §8): exchange vs a 3-node NATS cluster, lab convergence and fault timings, the
 * fault proxy against direct TCP, and the memory of a server carrying 10,000 bindings, measured on this
 * machine in one run of a few minutes. Writes bench/results/latest.json and latest.md.
 *
 *   npm run bench                         full run → bench/results/latest.{json,md}
 *   npm run bench -- --quick              one short run of everything → bench/results/quick.{json,md}
 *   npm run bench -- --only messaging,lab one or more of: messaging, lab, workloads, faultproxy, memory, suite
 *   npm run bench -- --runs 5             runs per figure
 *   npm run bench -- --no-nats            leave NATS out
 *   npm run bench -- --smoke              a tiny case of each part that checks the harness works (bench/smoke.ts)
 *   npm run bench -- --render [--out N]   rewrites bench/results/N.md (default latest) from N.json
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { stopAllLabs } from "../src/runs";
import { ROOT } from "./lib/children";
import { ensureDist, installCleanup, machineInfo } from "./lib/setup";
import { judge, markdown, type BenchResults } from "./report";
import { faultProxySection } from "./sections/faultproxy";
import { memorySection } from "./sections/memory";
import { CONVERGE_TIMING, convergeSection } from "./sections/mesh-converge";
import { FAULT_TIMING, faultsSection } from "./sections/mesh-faults";
import { messagingSection } from "./sections/messaging";
import { suiteSection } from "./sections/suite";
import { labWorkloadsSection } from "./sections/lab-workloads";
import { runSmoke } from "./smoke";

const SECTIONS = ["messaging", "lab", "workloads", "faultproxy", "memory", "suite"] as const;
type Section = (typeof SECTIONS)[number];

const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

function options(argv: string[]) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes("--quick");
  const only = (value("--only") ?? SECTIONS.join(",")).split(",").map((s) => s.trim());
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length)
    throw new Error(`--only: unknown section(s) ${unknown.join(", ")}; sections: ${SECTIONS.join(", ")}`);
  const runs = Number(value("--runs") ?? (quick ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${value("--runs")}`);
  return {
    smoke: argv.includes("--smoke"),
    noNats: argv.includes("--no-nats"),
    quick,
    only: new Set(only as Section[]),
    runs,
    out: value("--out") ?? (quick ? "quick" : "latest"),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = options(argv);
  const dir = join(ROOT, "bench", "results");
  if (argv.includes("--render")) {
    const r = JSON.parse(readFileSync(join(dir, `${o.out}.json`), "utf8")) as BenchResults;
    writeFileSync(join(dir, `${o.out}.md`), markdown(r));
    log(`rewrote bench/results/${o.out}.md from ${o.out}.json`);
    return;
  }
  installCleanup(() => stopAllLabs(5000), log);
  ensureDist(log);
  if (o.smoke) return runSmoke(log);
  const started = Date.now();
  const r: BenchResults = {
    benchmark: "exchange-lab",
    command: ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" "),
    machine: machineInfo(),
    targets: [],
  };
  log(
    `machine: ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, node ${r.machine.node}, load ${r.machine.loadAverageAtStart.join(" ")}`,
  );
  const section = async (name: Section, run: () => Promise<void>) => {
    if (!o.only.has(name)) return;
    try {
      await run();
    } catch (err) {
      log(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
      r.failures = { ...r.failures, [name]: err instanceof Error ? err.message : String(err) };
    }
  };
  await section("messaging", async () => {
    r.messaging = await messagingSection(
      {
        runs: o.runs,
        sizes: [16, 1024, 64 * 1024],
        latencyCount: (size) => (o.quick ? 200 : size > 4096 ? 300 : 1000),
        pipelineWindow: 64,
        pipelineMs: o.quick ? 300 : 1000,
        fanoutMs: o.quick ? 300 : 1000,
        warmup: !o.quick,
        noNats: o.noNats,
      },
      log,
    );
  });
  await section("lab", async () => {
    const converge = await convergeSection({ processCounts: [3, 6, 12], containerCounts: [3, 6], runs: o.runs }, log);
    const faults = await faultsSection(o.runs, log);
    r.lab = { converge, convergeTiming: CONVERGE_TIMING, faults, faultTiming: FAULT_TIMING };
  });
  await section("workloads", async () => {
    r.workloads = await labWorkloadsSection({ runs: o.quick ? 1 : Math.min(o.runs, 3), inFlight: 16, ms: 3000 }, log);
  });
  await section("faultproxy", async () => {
    r.faultProxy = await faultProxySection(
      { mib: o.quick ? 16 : 64, runs: o.quick ? 1 : Math.max(o.runs, 5), pings: o.quick ? 500 : 2000 },
      log,
    );
  });
  await section("memory", async () => {
    r.memory = await memorySection({ bindings: 10000, runs: o.runs }, log);
  });
  await section("suite", async () => {
    r.suite = await suiteSection({ runs: o.quick ? 1 : Math.min(o.runs, 2), workers: 2 }, log);
  });
  r.machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
  r.durationS = Math.round((Date.now() - started) / 1000);
  r.targets = judge(r);
  mkdirSync(dir, { recursive: true });
  const md = markdown(r);
  writeFileSync(join(dir, `${o.out}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(dir, `${o.out}.md`), md);
  process.stdout.write(md);
  log(`wrote bench/results/${o.out}.json and ${o.out}.md in ${r.durationS} s`);
  if (r.failures) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
