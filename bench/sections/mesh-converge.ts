import { createDriver } from "../../src/drivers";
import type { StartedLab } from "../../src/lab";
import { bareNodeCpuMs, cpuMicros, descendants } from "../lib/proc";
import { isEngineAnswering } from "../lib/setup";
import { figure, notMeasured, type Result } from "../lib/stats";
import { TimedDriver } from "../lib/timed-driver";
import { allPairs, everyoneSeesAll, lastFirstChange, meshPlan, newLab, type MeshTiming } from "./mesh-common";

export const CONVERGE_TIMING: MeshTiming = {
  heartbeat: "200ms",
  missedBeats: 3,
  retryDelay: "200ms",
  handshakeTimeout: "1s",
};

export interface ConvergeRow {
  driver: "processes" | "containers";
  machines: number;
  /** Lab.start() to the instant the last process saw the last service (its AVAIL event). */
  converged: Result;
  /** Lab.start() to its promise resolving (every process ready, every configured link active, polled every 20 ms). */
  startResolved: Result;
  /** Containers: an untimed first start before the runs (it builds or checks the images), ms. */
  warmupMs?: number;
  /**
   * CPU time spent until converged by every process the lab started (supervisors, hosts, fault proxy) and the bench.
   */
  cpuToConverge?: Result;
  /** The same CPU divided by the number of machines (each: a supervisor and two process hosts), ms. */
  cpuPerMachine?: Result;
  /** CPU of one bare `node -e 0` with the same Node, measured after each run (the mean of 5), ms. */
  bareNodeCpu?: Result;
  /** CPU per machine over the bare Node's, paired per run: how many bare Node starts a machine costs. */
  perMachineOverBareNode?: Result;
}

/** Times Lab.start() → converged for a mesh of `n` machines, `runs` times (fresh lab each time). */
async function converge(
  driverName: "processes" | "containers",
  n: number,
  runs: number,
  log: (s: string) => void,
): Promise<ConvergeRow> {
  const conv: number[] = [];
  const resolved: number[] = [];
  const cpu: number[] = [];
  const bare: number[] = [];
  const perMachine: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < runs; r++) {
    const plan = meshPlan(n, CONVERGE_TIMING);
    const before = descendants();
    const own0 = process.cpuUsage();
    const t0 = Date.now();
    let lab: StartedLab | undefined;
    try {
      lab = await newLab(plan, new TimedDriver(createDriver(driverName))).start();
      resolved.push(Date.now() - t0);
      const last = await lastFirstChange(lab, "AVAIL", allPairs(plan), t0, 30000);
      const own = process.cpuUsage(own0);
      const spent = cpuMicros(descendants().filter((p) => !before.includes(p))) + own.user + own.system;
      await everyoneSeesAll(lab);
      conv.push(last - t0);
      if (spent > 0 && driverName === "processes") cpu.push(spent / 1e6);
      log(
        `lab: ${driverName} × ${n}: converged in ${last - t0} ms (start() resolved after ${resolved.at(-1)} ms${driverName === "processes" ? `; ${(spent / 1e6).toFixed(2)} s CPU, ${(spent / 1e3 / n).toFixed(0)} ms per machine` : ""})`,
      );
    } finally {
      await lab?.discardLogs();
    }
    // Measured once the lab is gone, so that it competes with nothing of ours.
    if (driverName === "processes" && cpu.length > perMachine.length) {
      const mine = (cpu[cpu.length - 1] * 1000) / n;
      perMachine.push(mine);
      const ms = bareNodeCpuMs();
      if (ms !== undefined) {
        bare.push(ms);
        ratio.push(mine / ms);
        log(`lab: node -e 0: ${ms.toFixed(0)} ms CPU; a machine costs ${(mine / ms).toFixed(1)}× that`);
      }
    }
  }
  return {
    driver: driverName,
    machines: n,
    converged: figure(conv, "ms"),
    startResolved: figure(resolved, "ms"),
    ...(cpu.length ? { cpuToConverge: figure(cpu, "s") } : {}),
    ...(perMachine.length ? { cpuPerMachine: figure(perMachine, "ms") } : {}),
    ...(bare.length ? { bareNodeCpu: figure(bare, "ms"), perMachineOverBareNode: figure(ratio, "×") } : {}),
  };
}

export interface ConvergeOptions {
  processCounts: number[];
  containerCounts: number[];
  runs: number;
}

export async function convergeSection(o: ConvergeOptions, log: (s: string) => void): Promise<ConvergeRow[]> {
  const rows: ConvergeRow[] = [];
  for (const n of o.processCounts) {
    try {
      rows.push(await converge("processes", n, o.runs, log));
    } catch (err) {
      const why = `failed: ${(err as Error).message.split("\n")[0]}`;
      log(`lab: processes × ${n}: ${why}`);
      rows.push({ driver: "processes", machines: n, converged: notMeasured(why), startResolved: notMeasured(why) });
    }
  }
  let why = o.containerCounts.length ? containerUnavailable() : "";
  if (why) log(`lab: containers not measured: ${why}`);
  let warmupMs: number | undefined;
  if (!why && o.containerCounts.length) {
    const t0 = Date.now();
    try {
      await converge("containers", Math.min(...o.containerCounts), 1, () => undefined);
      warmupMs = Date.now() - t0;
      log(`lab: containers: first (untimed) start took ${warmupMs} ms, images included`);
    } catch (err) {
      why = `failed: ${(err as Error).message.split("\n")[0]}`;
      log(`lab: containers: ${why}`);
    }
  }
  for (const n of o.containerCounts) {
    if (why) {
      rows.push({ driver: "containers", machines: n, converged: notMeasured(why), startResolved: notMeasured(why) });
      continue;
    }
    try {
      rows.push({
        ...(await converge("containers", n, o.runs, log)),
        ...(warmupMs !== undefined && n === Math.min(...o.containerCounts) ? { warmupMs } : {}),
      });
    } catch (err) {
      const failed = `failed: ${(err as Error).message.split("\n")[0]}`;
      log(`lab: containers × ${n}: ${failed}`);
      rows.push({
        driver: "containers",
        machines: n,
        converged: notMeasured(failed),
        startResolved: notMeasured(failed),
      });
    }
  }
  return rows;
}

/** Why the container driver cannot run here, or "" when it can. */
function containerUnavailable(): string {
  if (!isEngineAnswering()) return "no Docker engine answers";
  try {
    createDriver("containers");
    return "";
  } catch (err) {
    return (err as Error).message;
  }
}
