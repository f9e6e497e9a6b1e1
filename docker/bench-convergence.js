// Container-driver benchmark: time from start to a converged mesh for N containerized machines, and on 3 machines
// how long a crash, a cut and a blackhole take to be noticed and a heal/restart to re-converge. Same mesh and
// measures as bench/lab-convergence.ts (process driver), so the two tables compare.
//   npm run build && node docker/bench-convergence.js [--sizes 3,6] [--runs 3] [result.json]
// "links": start() resolved (network, fault-proxy container, proxies, machine containers, every link ACTIVE);
// "services": every process sees every service. Images are built before timing (first-run cost reported apart).
const { writeFileSync } = require("node:fs");
const { Lab, noLongerSeesService, seesService } = require("../dist/lab");
const { ContainerDriver, ensureMachineImage, ensureFaultProxyImage, getEngine } = require("../dist/lab/drivers/container");
const { loadTopologyTextOrThrow } = require("../dist/topology");

const meshYaml = (n) => `name: bench-mesh-${n}
timing: { heartbeat: 200ms, missedBeats: 3, retryDelay: 500ms, handshakeTimeout: 1s, requestTimeout: 5s }
mesh: full
machines:
${Array.from({ length: n }, (_, i) => `  m${i + 1}: { servers: [{ port: 11111 }], processes: { app: { services: [{ name: svc${i + 1} }] } } }`).join("\n")}
`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const now = () => performance.now();
const timed = async (f) => {
  const t0 = now();
  await f();
  return Math.round(now() - t0);
};

async function everyoneSeesEverything(lab, n, deadlineMs) {
  const want = Array.from({ length: n }, (_, i) => `svc${i + 1}`);
  const end = Date.now() + deadlineMs;
  for (;;) {
    const views = await Promise.all(lab.processes().filter((p) => p.endsWith("/app")).map((p) => lab.seenServices(p)));
    if (views.every((s) => want.every((w) => s.includes(w)))) return;
    if (Date.now() > end) throw new Error(`mesh of ${n} did not converge within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const newLab = (n, pollMs) => new Lab({ plan: loadTopologyTextOrThrow(meshYaml(n)).plan, driver: new ContainerDriver(), handleSignals: false, pollMs, readyTimeoutMs: 120000 });

async function converge(n) {
  const lab = newLab(n, 20);
  const t0 = now();
  const started = await lab.start();
  const linksMs = Math.round(now() - t0);
  try {
    await everyoneSeesEverything(started, n, 60000);
    const servicesMs = Math.round(now() - t0);
    const stopMs = await timed(() => started.stop());
    return { machines: n, processes: lab.plan.processes.length, proxies: lab.plan.proxies.length, linksMs, servicesMs, stopMs };
  } finally {
    await started.stop();
  }
}

async function faults() {
  const lab = await newLab(3, 10).start();
  const out = {};
  try {
    await everyoneSeesEverything(lab, 3, 20000);
    const pair = async (name, fault, heal) => {
      out[`${name}DetectMs`] = await timed(async () => {
        await fault();
        await noLongerSeesService(lab, "m1/app", "svc2", 10000);
      });
      out[`${name}${name === "crash" ? "RestartConvergeMs" : "HealMs"}`] = await timed(async () => {
        await heal();
        await seesService(lab, "m1/app", "svc2", 20000);
      });
    };
    await pair("cut", () => lab.faults.cut("m1", "m2"), () => lab.faults.heal("m1", "m2"));
    await pair("blackhole", () => lab.faults.blackhole("m1", "m2"), () => lab.faults.heal("m1", "m2"));
    await pair("crash", () => lab.crash("m2"), () => lab.startAgain("m2"));
  } finally {
    await lab.stop();
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const sizes = flag("--sizes", "3,6").split(",").map(Number);
  const runs = Number(flag("--runs", "3"));
  const engine = await getEngine();
  const images = { machine: await ensureMachineImage({ engine }), faultproxy: await ensureFaultProxyImage({ engine }) };
  const results = [];
  for (const n of sizes) {
    const samples = [];
    for (let r = 0; r < runs; r++) samples.push(await converge(n));
    results.push({ ...samples[0], linksMs: median(samples.map((s) => s.linksMs)), servicesMs: median(samples.map((s) => s.servicesMs)), stopMs: median(samples.map((s) => s.stopMs)), samples: samples.map((s) => s.servicesMs) });
  }
  const faultTimes = await faults();
  const table = [
    `images: machine ${images.machine.source} in ${images.machine.buildMs} ms, fault proxy ${images.faultproxy.source} in ${images.faultproxy.buildMs} ms`,
    "| containers | processes | proxies | start → links active (ms) | start → every service seen (ms) | stop (ms) |",
    "|---:|---:|---:|---:|---:|---:|",
    ...results.map((r) => `| ${r.machines} | ${r.processes} | ${r.proxies} | ${r.linksMs} | ${r.servicesMs} | ${r.stopMs} |`),
    "",
    "| 3 containers (heartbeat 200 ms × 3, retry 500 ms) | ms |",
    "|---|---:|",
    ...Object.entries(faultTimes).map(([k, v]) => `| ${k} | ${v} |`),
  ].join("\n");
  const json = JSON.stringify({ driver: "containers", runs, convergence: results, faults: faultTimes }, null, 2);
  const out = args.find((a) => a.endsWith(".json"));
  if (out) writeFileSync(out, json + "\n");
  process.stdout.write(table + "\n" + (out ? "" : json + "\n"));
}

main().catch((err) => {
  process.stderr.write(`docker/bench-convergence: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
