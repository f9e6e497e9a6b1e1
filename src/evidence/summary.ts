import type { StartedLab } from "../lab";
import type { ProcessSummary, TopologySummary } from "./history";

/** A topology plan, as the lab runs it (the topology loader's `Plan`). */
type LabPlan = StartedLab["plan"];

/** What the checkers and the report need to know of a plan: each process's endpoints and services. */
export function summarizePlan(plan: LabPlan): TopologySummary {
  return { name: plan.name, processes: plan.processes.map(summarizeProcess) };
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
