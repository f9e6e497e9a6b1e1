import type { MachineDriver } from "../../src/drivers";
import { Lab, type StartedLab } from "../../src/lab";
import { loadTopologyTextOrThrow, type Plan } from "../../src/topology";
import { sleep } from "../lib/stats";

/** Timings written into a bench topology (the YAML `timing:` block). */
export interface MeshTiming {
  heartbeat: string;
  missedBeats: number;
  retryDelay: string;
  handshakeTimeout: string;
}

export const machineName = (i: number) => `m${String(i + 1).padStart(2, "0")}`;

/**
 * N machines, each with one exchange server (port 11111, full mesh) and one process `p` offering `svc-<machine>`:
 * converged when every process (servers included) sees every machine's service.
 */
export function meshPlan(n: number, timing: MeshTiming): Plan {
  const machines = Array.from({ length: n }, (_, i) => machineName(i))
    .map((m) => `  ${m}:\n    servers: [{ port: 11111 }]\n    processes:\n      p: { services: [{ name: svc-${m} }] }`)
    .join("\n");
  const t = `{ heartbeat: ${timing.heartbeat}, missedBeats: ${timing.missedBeats}, retryDelay: ${timing.retryDelay}, handshakeTimeout: ${timing.handshakeTimeout} }`;
  const yaml = `name: bench-mesh-${n}\ntiming: ${t}\nmesh: full\nmachines:\n${machines}\n`;
  return loadTopologyTextOrThrow(yaml, `bench-mesh-${n}.yaml`).plan;
}

export function newLab(plan: Plan, driver: MachineDriver): Lab {
  return new Lab({ plan, driver, pollMs: 20, handleSignals: false, readyTimeoutMs: 60000 });
}

/** (observer process, service) pairs. */
export type Pair = [process: string, service: string];

export const serviceOf = (machine: string) => `svc-${machine}`;

/** Every process of the plan, with every machine's service. */
export function allPairs(plan: Plan): Pair[] {
  return plan.processes.flatMap((p) => plan.machines.map((m): Pair => [p.address, serviceOf(m.name)]));
}

/**
 * Waits until, for every pair, the observer's exchange emitted a binding event of `change` for the service at or
 * after `since` (emitter's clock: same host), and returns the latest of those first instants.
 */
export async function lastFirstChange(
  lab: StartedLab,
  change: "AVAIL" | "WITHDRAW",
  pairs: Pair[],
  since: number,
  timeoutMs = 15000,
): Promise<number> {
  const want = new Map(pairs.map(([p, s]) => [`${p}\u0000${s}`, Infinity]));
  const deadline = Date.now() + timeoutMs;
  let scanned = 0;
  for (;;) {
    const events = lab.events();
    for (; scanned < events.length; scanned++) {
      const e = events[scanned];
      if (e.type !== "exchange" || e.event.type !== "binding" || e.event.change !== change || e.event.time < since)
        continue;
      const key = `${e.process}\u0000${e.event.serviceName}`;
      if ((want.get(key) ?? -1) === Infinity) want.set(key, e.event.time);
    }
    const missing = [...want].filter(([, t]) => t === Infinity);
    if (missing.length === 0) return Math.max(...want.values());
    if (Date.now() > deadline) {
      const some = missing
        .slice(0, 5)
        .map(([k]) => k.replace("\u0000", " → "))
        .join(", ");
      throw new Error(
        `no ${change} within ${timeoutMs} ms for ${missing.length} of ${want.size} (process → service), e.g. ${some}`,
      );
    }
    await sleep(20);
  }
}

/** Every process sees every service, checked on the processes' views (the state, not the event stream). */
export async function everyoneSeesAll(lab: StartedLab, timeoutMs = 15000): Promise<void> {
  const services = lab.plan.machines.map((m) => serviceOf(m.name));
  await lab.waitFor("every process sees every service", timeoutMs, async () => {
    const seen = await Promise.all(lab.plan.processes.map((p) => lab.seenServices(p.address)));
    const gaps = seen.flatMap((s, i) =>
      services.filter((x) => !s.includes(x)).map((x) => `${lab.plan.processes[i].address} lacks ${x}`),
    );
    return gaps.length ? { ok: false, seen: gaps.slice(0, 4).join(", ") } : { ok: true, value: undefined };
  });
}
