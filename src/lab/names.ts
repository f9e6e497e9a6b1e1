import type { Plan, PlanProcess } from "../topology";
import { UnknownNameError } from "../common";

/** A name a step used, resolved against the plan. */
export type Resolved =
  { kind: "machine"; machine: string } | { kind: "process"; machine: string; process: PlanProcess };

/** Resolves a machine name or a process address; unknown names fail at once with the names that exist. */
export function resolveName(plan: Plan, name: string): Resolved {
  if (plan.machines.some((m) => m.name === name)) return { kind: "machine", machine: name };
  const process = plan.processes.find((p) => p.address === name);
  if (process) return { kind: "process", machine: process.machine, process };
  throw new UnknownNameError(name.includes("/") ? "process" : "machine or process", name, [
    ...plan.machines.map((m) => m.name),
    ...plan.processes.map((p) => p.address),
  ]);
}

export function resolveMachine(plan: Plan, name: string): string {
  if (plan.machines.some((m) => m.name === name)) return name;
  throw new UnknownNameError(
    "machine",
    name,
    plan.machines.map((m) => m.name),
  );
}

export function resolveProcess(plan: Plan, address: string): PlanProcess {
  const p = plan.processes.find((x) => x.address === address);
  if (p) return p;
  throw new UnknownNameError(
    "process",
    address,
    plan.processes.map((x) => x.address),
  );
}

/** Services declared in the plan (the lab adds those offered at run time). */
export function declaredServices(plan: Plan): string[] {
  return [...new Set(plan.processes.flatMap((p) => p.services.map((s) => s.name)))].sort();
}
