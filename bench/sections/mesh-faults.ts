import { createDriver } from "../../src/drivers";
import type { StartedLab } from "../../src/lab";
import type { Plan } from "../../src/topology";
import { figure, notMeasured, sleep, type Result } from "../lib/stats";
import { TimedDriver } from "../lib/timed-driver";
import {
  everyoneSeesAll,
  lastFirstChange,
  machineName,
  meshPlan,
  newLab,
  serviceOf,
  type MeshTiming,
  type Pair,
} from "./mesh-common";

/** Fast timings of the fault measurements, stated in the results. */
export const FAULT_TIMING: MeshTiming = {
  heartbeat: "100ms",
  missedBeats: 3,
  retryDelay: "200ms",
  handshakeTimeout: "500ms",
};

export interface FaultRow {
  fault: "crash" | "cut" | "blackhole";
  /** From the fault to the last affected process's WITHDRAW of the lost service. */
  withdrawal: Result;
  /** From heal (for a crash: the machine starting again) to the last affected process's AVAIL. */
  reconvergence: Result;
  /** How long applying the fault through the lab took (part of `withdrawal` for cut and blackhole). */
  applyMs?: Result;
}

const procsOn = (plan: Plan, m: string) => plan.processes.filter((p) => p.machine === m).map((p) => p.address);
const procsNotOn = (plan: Plan, m: string) => plan.processes.filter((p) => p.machine !== m).map((p) => p.address);
const cross = (procs: string[], services: string[]): Pair[] => procs.flatMap((p) => services.map((s): Pair => [p, s]));

/** Pairs that lose a service when the link a–b goes (one-hop forwarding: no detour through a third server). */
const linkPairs = (plan: Plan, a: string, b: string): Pair[] => [
  ...cross(procsOn(plan, b), [serviceOf(a)]),
  ...cross(procsOn(plan, a), [serviceOf(b)]),
];

async function settle(lab: StartedLab): Promise<void> {
  await everyoneSeesAll(lab);
  await sleep(300);
}

export async function faultsSection(runs: number, log: (s: string) => void): Promise<FaultRow[]> {
  const plan = meshPlan(3, FAULT_TIMING);
  const driver = new TimedDriver(createDriver("processes"));
  const [a, b] = [machineName(0), machineName(1)];
  const rows: FaultRow[] = [];
  let lab: StartedLab | undefined;
  try {
    lab = await newLab(plan, driver).start();
    const l = lab;
    const all = plan.machines.map((m) => serviceOf(m.name));
    rows.push(
      await measure("crash", runs, log, async () => {
        await settle(l);
        await l.crash(a);
        const t0 = driver.crashedAt.get(a)!;
        const withdrawn = await lastFirstChange(l, "WITHDRAW", cross(procsNotOn(plan, a), [serviceOf(a)]), t0);
        const th = Date.now();
        await l.startAgain(a);
        const back = await lastFirstChange(
          l,
          "AVAIL",
          [...cross(procsNotOn(plan, a), [serviceOf(a)]), ...cross(procsOn(plan, a), all)],
          th,
        );
        return { withdrawal: withdrawn - t0, reconvergence: back - th };
      }),
    );
    for (const fault of ["cut", "blackhole"] as const) {
      rows.push(
        await measure(fault, runs, log, async () => {
          await settle(l);
          const t0 = Date.now();
          await (fault === "cut" ? l.faults.cut(a, b) : l.faults.blackhole(a, b));
          const apply = Date.now() - t0;
          const withdrawn = await lastFirstChange(l, "WITHDRAW", linkPairs(plan, a, b), t0);
          const th = Date.now();
          await l.faults.heal(a, b);
          const back = await lastFirstChange(l, "AVAIL", linkPairs(plan, a, b), th);
          return { withdrawal: withdrawn - t0, reconvergence: back - th, apply };
        }),
      );
    }
  } catch (err) {
    const why = `failed: ${(err as Error).message.split("\n")[0]}`;
    log(`lab faults: ${why}`);
    for (const fault of ["crash", "cut", "blackhole"] as const) {
      if (!rows.some((r) => r.fault === fault))
        rows.push({ fault, withdrawal: notMeasured(why), reconvergence: notMeasured(why) });
    }
  } finally {
    await lab?.discardLogs();
  }
  return rows;
}

async function measure(
  fault: FaultRow["fault"],
  runs: number,
  log: (s: string) => void,
  once: () => Promise<{ withdrawal: number; reconvergence: number; apply?: number }>,
): Promise<FaultRow> {
  const w: number[] = [];
  const rc: number[] = [];
  const ap: number[] = [];
  for (let r = 0; r < runs; r++) {
    const m = await once();
    w.push(m.withdrawal);
    rc.push(m.reconvergence);
    if (m.apply !== undefined) ap.push(m.apply);
    log(
      `lab faults: ${fault}: withdrawn everywhere after ${m.withdrawal} ms, re-converged ${m.reconvergence} ms after heal`,
    );
  }
  return {
    fault,
    withdrawal: figure(w, "ms"),
    reconvergence: figure(rc, "ms"),
    ...(ap.length ? { applyMs: figure(ap, "ms") } : {}),
  };
}
