import type { StartedLab } from "../lab";
import type { LinkSummary, ProcessSummary, TimingSummary, TopologySummary } from "./history";

/** A topology plan, as the lab runs it (the topology loader's `Plan`). */
type LabPlan = StartedLab["plan"];

/**
 * What the checkers and the report need to know of a plan: each process's endpoints and services, the exchanges'
 * timing (detection and reconnect bounds) and the links the plan dials (what "converged" means).
 */
export function summarizePlan(plan: LabPlan): TopologySummary {
  return {
    name: plan.name,
    processes: plan.processes.map(summarizeProcess),
    timing: summarizeTiming(plan.timing),
    links: plannedLinks(plan),
  };
}

/** One process of a plan (also for a process added to a running lab). */
export function summarizeProcess(p: LabPlan["processes"][number]): ProcessSummary {
  return {
    address: p.address,
    machine: p.machine,
    kind: p.kind,
    endpoints: p.endpoints.map((e) => ({ group: e.group, role: e.role })),
    services: p.services.map((s) => ({ name: s.name, audience: s.audience, groups: [...s.groups] })),
  };
}

function summarizeTiming(t: LabPlan["timing"]): TimingSummary {
  return {
    heartbeatMs: t.heartbeatMs,
    missedBeats: t.missedBeats,
    retryDelayMs: t.retryDelayMs,
    handshakeTimeoutMs: t.handshakeTimeoutMs,
    requestTimeoutMs: t.requestTimeoutMs,
  };
}

/** One per dialled (pair, group), mutual dials once, `a` before `b` in plan order (as the lab's convergence). */
function plannedLinks(plan: LabPlan): LinkSummary[] {
  const order = new Map(plan.processes.map((p, i) => [p.address, i]));
  const links: LinkSummary[] = [];
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
