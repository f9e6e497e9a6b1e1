import type { MachineInfo } from "./lib/setup";
import { cell, fmt, isFigure, type Result } from "./lib/stats";
import type { FaultProxyResult } from "./sections/faultproxy";
import type { MemoryResult } from "./sections/memory";
import type { SuiteResult } from "./sections/suite";
import type { LabWorkloadsResult } from "./sections/lab-workloads";
import type { ConvergeRow } from "./sections/mesh-converge";
import type { FaultRow } from "./sections/mesh-faults";
import type { MeshTiming } from "./sections/mesh-common";
import type { MessagingResult } from "./sections/messaging";

export interface BenchResults {
  benchmark: "exchange-lab";
  command: string;
  machine: MachineInfo;
  durationS?: number;
  messaging?: MessagingResult;
  lab?: { converge: ConvergeRow[]; convergeTiming: MeshTiming; faults: FaultRow[]; faultTiming: MeshTiming };
  faultProxy?: FaultProxyResult;
  memory?: MemoryResult;
  suite?: SuiteResult;
  workloads?: LabWorkloadsResult;
  targets: Target[];
  /** Sections that failed outright, with the error. */
  failures?: Record<string, string>;
}

export interface Target {
  target: string;
  measured: string;
  verdict: "pass" | "miss" | "not measured";
}

function check(target: string, r: Result | undefined, unit: string, ok: (v: number) => boolean): Target {
  if (!r || !isFigure(r))
    return { target, measured: r && !isFigure(r) ? r.notMeasured : "not run", verdict: "not measured" };
  return { target, measured: `${cell(r)} ${unit}`, verdict: ok(r.median) ? "pass" : "miss" };
}

/** The targets of issues 7 and 17, judged on the medians. */
export function judge(r: BenchResults): Target[] {
  const out: Target[] = [];
  if (!r.messaging) {
    for (const size of [16, 1024, 65536]) {
      out.push(check(`exchange req/rep p50 ≤ NATS (${bytes(size)})`, undefined, "", () => false));
      out.push(check(`exchange pipelined ≥ 0.5× NATS (${bytes(size)})`, undefined, "", () => false));
    }
    for (const size of [16, 1024])
      out.push(check(`exchange fan-out to 3 ≥ 1× NATS (${bytes(size)})`, undefined, "", () => false));
  }
  for (const row of r.messaging?.rows ?? []) {
    if (row.workload === "p50")
      out.push(check(`exchange req/rep p50 ≤ NATS (${bytes(row.payloadBytes)})`, row.ratio, "× NATS", (v) => v <= 1));
    if (row.workload === "pipelined")
      out.push(
        check(`exchange pipelined ≥ 0.5× NATS (${bytes(row.payloadBytes)})`, row.ratio, "× NATS", (v) => v >= 0.5),
      );
    if (row.workload === "fanout" && row.payloadBytes <= 1024)
      out.push(
        check(`exchange fan-out to 3 ≥ 1× NATS (${bytes(row.payloadBytes)})`, row.ratio, "× NATS", (v) => v >= 1),
      );
  }
  {
    const twelve = r.lab?.converge.find((c) => c.driver === "processes" && c.machines === 12);
    out.push(check("12-machine process mesh converged < 2 s", twelve?.converged, "ms", (v) => v < 2000));
    const crash = r.lab?.faults.find((f) => f.fault === "crash");
    out.push(check("crash → withdrawn everywhere < 50 ms", crash?.withdrawal, "ms", (v) => v < 50));
  }
  for (const setup of ["two processes", "one process"]) {
    const proxy = r.faultProxy?.rows.find((x) => x.setup === setup && x.target === "proxy (child process)");
    out.push(
      check(`fault proxy ≥ 0.8× direct throughput (ends in ${setup})`, proxy?.ratio, "× direct", (v) => v >= 0.8),
    );
    out.push(
      check(`fault proxy adds < 100 µs median latency (ends in ${setup})`, proxy?.addedP50, "µs", (v) => v < 100),
    );
  }
  if (r.suite) {
    const same = r.suite.sameResults;
    out.push(
      check(
        `bundled suite --parallel ${r.suite.workers} ≤ 0.65× serial wall time, same results`,
        r.suite.ratio,
        `× serial${same ? "" : " (results differ)"}`,
        (v) => v <= 0.65 && same,
      ),
    );
  }
  return out;
}

const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map((h, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const timingText = (t: MeshTiming) =>
  `heartbeat ${t.heartbeat}, ${t.missedBeats} missed beats, retry delay ${t.retryDelay}, handshake timeout ${t.handshakeTimeout}`;

export function markdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = ["# exchange-lab benchmark", ""];
  out.push(
    `Measured ${m.date.slice(0, 16).replace("T", " ")} UTC on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}, ` +
      `load average ${m.loadAverageAtStart.join(" / ")} at start${m.loadAverageAtEnd ? ` and ${m.loadAverageAtEnd.join(" / ")} at the end` : ""}` +
      `${r.durationS ? `, ${r.durationS} s in all` : ""}. Command: \`${r.command}\`. ` +
      `Each figure is the median of several runs, with (min–max).`,
  );
  if (Math.max(m.loadAverageAtStart[0], m.loadAverageAtStart[1]) > m.cores) {
    out.push(
      "",
      `> The machine was busy (load ${m.loadAverageAtStart.slice(0, 2).join(" / ")} on ${m.cores} cores before the bench started): these numbers are noisy.`,
    );
  }
  out.push("", "The bench itself keeps the cores busy, so the load at the end includes it.");
  out.push(
    "",
    "## Targets",
    "",
    table(
      ["target", "measured (median, min–max)", "result"],
      r.targets.map((t) => [
        t.target,
        t.measured,
        t.verdict === "pass" ? "pass" : t.verdict === "miss" ? "**miss**" : t.verdict,
      ]),
    ),
  );
  if (r.messaging) {
    const msg = r.messaging;
    out.push("", "## Exchange vs NATS", "");
    out.push(
      `Client (bench process) → server A → server B → echo service; 3 servers in a full mesh, each in its own process; fan-out to 3 subscribers on servers A, B, C (a process each), and to 30, 10 per server (a process per server, a connection per subscriber). NATS: ${"version" in msg.nats ? `${msg.nats.version} (${msg.nats.how})` : `not measured — ${msg.nats.notMeasured}`}.`,
    );
    out.push(
      "",
      table(
        ["workload", "payload", "exchange", "NATS", "exchange / NATS"],
        msg.rows.map((x) => [
          `${x.title} (${x.unit})`,
          bytes(x.payloadBytes),
          cell(x.exchange),
          cell(x.nats),
          cell(x.ratio),
        ]),
      ),
    );
    out.push(
      "",
      "The CPU rows say where the time goes (user + system time of each role's processes over the pipelined runs, per request). " +
        "The client is one Node process for both systems (the exchange library, or the nats.js client): where it costs more per request, " +
        "it bounds that system's throughput on this machine. Report fan-out: the exchange's publisher filters (OSE semantics: per-subscriber edges and patterns) and sends each link one frame per burst naming the subscribers behind it, which every server splits by route; NATS matches subjects in the servers.",
    );
  }
  if (r.lab) {
    out.push(
      "",
      "## Lab",
      "",
      `Mesh of N machines (one server and one service process each, full mesh). Timings: ${timingText(r.lab.convergeTiming)}.`,
      "",
    );
    out.push(
      table(
        [
          "driver",
          "machines",
          "start → converged (ms)",
          "start() resolved (ms)",
          "CPU to converge, all processes (s)",
          "CPU to converge per machine (ms)",
          "`node -e 0` CPU (ms)",
          "per machine / `node -e 0`",
        ],
        r.lab.converge.map((c) => [
          c.driver,
          String(c.machines),
          cell(c.converged),
          cell(c.startResolved),
          cell(c.cpuToConverge),
          cell(c.cpuPerMachine),
          cell(c.bareNodeCpu),
          cell(c.perMachineOverBareNode),
        ]),
      ),
    );
    out.push(
      "",
      "CPU to converge: user + system time, from `Lab.start()` to the last AVAIL, of every process the lab started " +
        "(supervisors, process hosts, the fault proxy) and of the bench process running the lab. Per machine: that " +
        "divided by the machines (each a supervisor and two process hosts, so at least three Node starts). " +
        "`node -e 0`: one bare Node process with the same binary, measured after each run (mean of 5), the floor " +
        "every process pays before our code runs; the last column is the ratio, paired per run.",
    );
    const warm = r.lab.converge.find((c) => c.warmupMs !== undefined);
    if (warm)
      out.push(
        "",
        `Containers: an untimed first start of ${warm.machines} machines took ${fmt(warm.warmupMs!)} ms (images built or checked) before the timed runs.`,
      );
    out.push(
      "",
      `Faults on a 3-machine mesh, timings: ${timingText(r.lab.faultTiming)}. Withdrawal: from the fault to the last affected process's WITHDRAW; re-convergence: from heal (crash: the machine starting again) to the last AVAIL.`,
      "",
    );
    out.push(
      table(
        ["fault", "→ withdrawn everywhere (ms)", "heal → re-converged (ms)"],
        r.lab.faults.map((f) => [f.fault, cell(f.withdrawal), cell(f.reconvergence)]),
      ),
    );
  }
  if (r.faultProxy) {
    out.push(
      "",
      "## Fault proxy (no toxic)",
      "",
      `${r.faultProxy.setup.mibPerRun} MiB per throughput run, ${r.faultProxy.setup.pingsPerRun} ping-pongs of 64 B per latency run. ` +
        "Ends in two processes: the server runs in a child process, as the two ends of a lab link do; ends in one process: client and server share the bench's event loop, so the direct path has no process wake-up at all. " +
        "Ratios and added latency are against the direct connection of the same setup.",
      "",
    );
    out.push(
      table(
        ["ends in", "path", "MiB/s", "× direct", "RTT p50 (µs)", "RTT p99 (µs)", "added p50 (µs)"],
        r.faultProxy.rows.map((x) => [
          x.setup,
          x.target,
          cell(x.throughput),
          cell(x.ratio),
          cell(x.rttP50),
          cell(x.rttP99),
          cell(x.addedP50),
        ]),
      ),
    );
  }
  if (r.workloads) {
    const w = r.workloads;
    out.push("", "## Workloads on a 3-machine mesh", "");
    out.push(
      `\`gamma/reporter\` calls \`billing\` (three-machine-mesh, processes) with ${w.inFlight} calls in flight for ${w.seconds} s, every operation recorded by the process and pulled by the lab; the scenario (start, workload, stop) timed without a recorder and with one (history and every checker).`,
      "",
      table(
        ["operations/s", "scenario plain (s)", "scenario recorded (s)", "recorded / plain"],
        [[cell(w.opsPerSecond, 0), cell(w.plainS, 2), cell(w.recordedS, 2), cell(w.ratio)]],
      ),
    );
  }
  if (r.suite) {
    const su = r.suite;
    out.push("", "## The bundled suite, serial and parallel", "");
    out.push(
      `\`exlab run --driver processes\` on the bundled features, then the same with \`--parallel ${su.workers}\` (each scenario its own lab, subnet and proxies), run after run. Results (passed/failed) serial: ${su.results.serial.join(", ")}; parallel: ${su.results.parallel.join(", ")}.`,
      "",
      table(
        ["serial (s)", `--parallel ${su.workers} (s)`, "parallel / serial"],
        [[cell(su.serialS, 1), cell(su.parallelS, 1), cell(su.ratio)]],
      ),
    );
  }
  if (r.memory) {
    const mem = r.memory;
    out.push(
      "",
      "## Memory",
      "",
      table(
        [
          "exchange server carrying",
          "peak RSS (MiB)",
          "idle RSS (MiB)",
          "peak RSS per binding (B)",
          "heap kept per binding after GC (B)",
          "offer → held (ms)",
        ],
        [
          [
            `${fmt(mem.bindings)} bindings`,
            cell(mem.peakRssMiB),
            cell(mem.baselineRssMiB),
            cell(mem.bytesPerBinding),
            cell(mem.retainedHeapPerBinding),
            cell(mem.propagationMs),
          ],
        ],
      ),
    );
  }
  const unmeasured = notMeasuredNotes(r);
  if (unmeasured.length) out.push("", "## Not measured", "", ...unmeasured.map((n) => `- ${n}`));
  return out.join("\n") + "\n";
}

function bytes(n: number): string {
  return n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
}

function notMeasuredNotes(r: BenchResults): string[] {
  const notes = new Set<string>();
  const add = (what: string, x: Result | undefined) => x && !isFigure(x) && notes.add(`${what}: ${x.notMeasured}`);
  for (const row of r.messaging?.rows ?? []) add("NATS", row.nats);
  for (const c of r.lab?.converge ?? []) add(`lab (${c.driver})`, c.converged);
  for (const f of r.lab?.faults ?? []) add(`lab faults (${f.fault})`, f.withdrawal);
  for (const x of r.faultProxy?.rows ?? []) add("fault proxy", x.throughput);
  add("memory", r.memory?.peakRssMiB);
  for (const [section, error] of Object.entries(r.failures ?? {}))
    notes.add(`${section}: failed: ${error.split("\n")[0]}`);
  return [...notes];
}
