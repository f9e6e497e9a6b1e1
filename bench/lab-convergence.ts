// Lab benchmark: time from start to a converged mesh for N machines on the process driver, and, on the smallest
// mesh, how long a crash, a cut and a blackhole take to be noticed and a heal to re-converge.
//   npm run build && node -r ts-node/register/transpile-only bench/lab-convergence.ts [result.json] [--sizes 3,6,12] [--runs N]
// Each machine runs one exchange server (full mesh) and one process offering its own service. "links" is when
// start() resolved (every process up, every configured link ACTIVE); "services" is when every process sees every
// service. Medians over the runs. Prints a table; writes JSON to the given path, or to stdout.
import { writeFileSync } from "node:fs";
import { Lab, noLongerSeesService, seesService, type StartedLab } from "../dist/lab";
import { loadTopologyTextOrThrow } from "../dist/topology";

function meshYaml(n: number): string {
  const machines = Array.from({ length: n }, (_, i) => `  m${i + 1}: { servers: [{ port: 11111 }], processes: { app: { services: [{ name: svc${i + 1} }] } } }`);
  return `name: bench-mesh-${n}
timing: { heartbeat: 200ms, missedBeats: 3, retryDelay: 500ms, handshakeTimeout: 1s, requestTimeout: 5s }
mesh: full
machines:
${machines.join("\n")}
`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function everyoneSeesEverything(lab: StartedLab, n: number, deadlineMs: number): Promise<void> {
  const want = Array.from({ length: n }, (_, i) => `svc${i + 1}`);
  const end = Date.now() + deadlineMs;
  for (;;) {
    const views = await Promise.all(lab.processes().filter((p) => p.endsWith("/app")).map((p) => lab.seenServices(p)));
    if (views.every((s) => want.every((w) => s.includes(w)))) return;
    if (Date.now() > end) throw new Error(`mesh of ${n} did not converge within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return Math.round(performance.now() - t0);
}

interface SizeResult {
  machines: number;
  processes: number;
  proxies: number;
  linksMs: number;
  servicesMs: number;
  stopMs: number;
}

async function converge(n: number): Promise<SizeResult> {
  const { plan } = loadTopologyTextOrThrow(meshYaml(n));
  const t0 = performance.now();
  const lab = await new Lab({ plan, handleSignals: false, pollMs: 20 }).start();
  const linksMs = Math.round(performance.now() - t0);
  try {
    await everyoneSeesEverything(lab, n, 60000);
    const servicesMs = Math.round(performance.now() - t0);
    const stopMs = await timed(() => lab.stop());
    return { machines: n, processes: plan.processes.length, proxies: plan.proxies.length, linksMs, servicesMs, stopMs };
  } finally {
    await lab.stop();
  }
}

/** On a 3-machine mesh: time for m1/app to stop seeing svc2 after each fault, and to see it again after healing. */
async function faults(): Promise<Record<string, number>> {
  const { plan } = loadTopologyTextOrThrow(meshYaml(3));
  const lab = await new Lab({ plan, handleSignals: false, pollMs: 10 }).start();
  const out: Record<string, number> = {};
  try {
    await everyoneSeesEverything(lab, 3, 20000);
    out.cutDetectMs = await timed(async () => {
      await lab.faults.cut("m1", "m2");
      await noLongerSeesService(lab, "m1/app", "svc2", 10000);
    });
    out.cutHealMs = await timed(async () => {
      await lab.faults.heal("m1", "m2");
      await seesService(lab, "m1/app", "svc2", 10000);
    });
    out.blackholeDetectMs = await timed(async () => {
      await lab.faults.blackhole("m1", "m2");
      await noLongerSeesService(lab, "m1/app", "svc2", 10000);
    });
    out.blackholeHealMs = await timed(async () => {
      await lab.faults.heal("m1", "m2");
      await seesService(lab, "m1/app", "svc2", 10000);
    });
    out.crashDetectMs = await timed(async () => {
      await lab.crash("m2");
      await noLongerSeesService(lab, "m1/app", "svc2", 10000);
    });
    out.restartConvergeMs = await timed(async () => {
      await lab.startAgain("m2");
      await seesService(lab, "m1/app", "svc2", 20000);
    });
  } finally {
    await lab.stop();
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const sizes = flag("--sizes", "3,6,12").split(",").map(Number);
  const runs = Number(flag("--runs", "3"));
  const out = args.find((a) => a.endsWith(".json"));
  const results: SizeResult[] = [];
  for (const n of sizes) {
    const samples: SizeResult[] = [];
    for (let r = 0; r < runs; r++) samples.push(await converge(n));
    results.push({
      ...samples[0],
      linksMs: median(samples.map((s) => s.linksMs)),
      servicesMs: median(samples.map((s) => s.servicesMs)),
      stopMs: median(samples.map((s) => s.stopMs)),
    });
  }
  const faultTimes = await faults();
  const table = [
    "| machines | processes | proxies | start → links active (ms) | start → every service seen (ms) | stop (ms) |",
    "|---:|---:|---:|---:|---:|---:|",
    ...results.map((r) => `| ${r.machines} | ${r.processes} | ${r.proxies} | ${r.linksMs} | ${r.servicesMs} | ${r.stopMs} |`),
    "",
    "| 3-machine mesh (heartbeat 200 ms × 3, retry 500 ms) | ms |",
    "|---|---:|",
    ...Object.entries(faultTimes).map(([k, v]) => `| ${k} | ${v} |`),
  ].join("\n");
  const json = JSON.stringify({ driver: "processes", runs, convergence: results, faults: faultTimes }, null, 2);
  if (out) {
    writeFileSync(out, json + "\n");
    process.stdout.write(table + "\n");
  } else {
    process.stderr.write(table + "\n");
    process.stdout.write(json + "\n");
  }
}

main().catch((err) => {
  process.stderr.write(`bench/lab-convergence: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
