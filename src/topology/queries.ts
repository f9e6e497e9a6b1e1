import type { ExpectedLink, Plan, PlanProcess, PlanProxy } from "./types";

/** The process at `address` (`alpha/billing`), if any. */
export function findProcess(plan: Plan, address: string): PlanProcess | undefined {
  return plan.processes.find((p) => p.address === address);
}

/**
 * The process of `machine` that listens in `group` (default ""): its server process (`servers:`) if it
 * has one, else a bridge process with a server endpoint of that group.
 */
export function serverOf(plan: Plan, machine: string, group = ""): PlanProcess | undefined {
  const candidates = plan.processes.filter(
    (p) => p.machine === machine && p.endpoints.some((e) => e.role === "server" && e.group === group),
  );
  return candidates.find((p) => p.kind === "server") ?? candidates[0];
}

/** The proxies between two machines, both directions (what a cut or a blackhole acts on). */
export function linksBetween(plan: Plan, machineA: string, machineB: string): PlanProxy[] {
  return plan.proxies.filter(
    (p) =>
      (p.fromMachine === machineA && p.toMachine === machineB) ||
      (p.fromMachine === machineB && p.toMachine === machineA),
  );
}

/**
 * Process pairs that should each end with exactly one ACTIVE link once the topology has converged: one
 * per dialled (pair, group), mutual dials counted once. `a` comes before `b` in plan order.
 */
export function expectedLinks(plan: Plan): ExpectedLink[] {
  const order = new Map(plan.processes.map((p, i) => [p.address, i]));
  const links: ExpectedLink[] = [];
  const seen = new Set<string>();
  for (const d of plan.dials) {
    const [a, b] = (order.get(d.from) ?? 0) <= (order.get(d.to) ?? 0) ? [d.from, d.to] : [d.to, d.from];
    const key = JSON.stringify([a, b, d.group]);
    if (seen.has(key)) continue;
    seen.add(key);
    links.push({ a, b, group: d.group });
  }
  return links;
}

/** Every name a step may use: machine names, then process addresses, in plan order. */
export function allAddresses(plan: Plan): string[] {
  return [...plan.machines.map((m) => m.name), ...plan.processes.map((p) => p.address)];
}
