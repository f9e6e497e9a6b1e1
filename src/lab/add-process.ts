import { findProcess, serverOf, type Plan, type PlanDial, type PlanProcess, type PlanProxy } from "../topology";
import { UnknownNameError } from "../common";
import { LabError } from "./errors";
import { resolveMachine } from "./names";

/**
 * Adds a run-time process to a (lab-owned) plan: one client endpoint of `group` dialling `target` (a server process,
 * or a machine: its server of that group). When the target has no server endpoint of that group, the dial goes to
 * its first server endpoint anyway, so that a mismatch is refused (GROUP_MISMATCH) rather than never tried.
 * Returns the new process and the proxy to create when the dial crosses machines and no proxy exists for it yet.
 */
export function addProcessToPlan(
  plan: Plan,
  address: string,
  group: string,
  target: string,
): { process: PlanProcess; proxy?: PlanProxy } {
  const slash = address.indexOf("/");
  if (slash <= 0 || slash === address.length - 1)
    throw new LabError("LAB_UNKNOWN_NAME", `"${address}" is not a process address (machine/process)`);
  const machine = resolveMachine(plan, address.slice(0, slash));
  const name = address.slice(slash + 1);
  if (findProcess(plan, address)) throw new LabError("LAB_STATE", `process "${address}" already exists`);
  const servers = plan.processes.filter((p) => p.endpoints.some((e) => e.role === "server"));
  const to = target.includes("/")
    ? findProcess(plan, target)
    : (serverOf(plan, resolveMachine(plan, target), group) ?? servers.find((p) => p.machine === target));
  if (!to || !to.endpoints.some((e) => e.role === "server")) {
    throw new UnknownNameError(
      "server process",
      target,
      servers.map((p) => p.address),
    );
  }
  const endpoint =
    to.endpoints.find((e) => e.role === "server" && e.group === group) ??
    to.endpoints.find((e) => e.role === "server")!;
  const port = endpoint.listen!;
  const crossMachine = to.machine !== machine;
  let proxy = crossMachine
    ? plan.proxies.find((p) => p.fromMachine === machine && p.to === to.address && p.port === port)
    : undefined;
  let created: PlanProxy | undefined;
  if (crossMachine && !proxy) {
    const base = `${machine}-to-${to.machine}.${to.name}`;
    const taken = new Set(plan.proxies.map((p) => p.name));
    created = proxy = {
      name: taken.has(base) ? `${base}.${port}` : base,
      fromMachine: machine,
      to: to.address,
      toMachine: to.machine,
      group: endpoint.group,
      port,
    };
    plan.proxies.push(created);
  }
  const dial: PlanDial = {
    from: address,
    group,
    to: to.address,
    toMachine: to.machine,
    port,
    crossMachine,
    fromMesh: false,
    ...(proxy ? { proxy: proxy.name } : {}),
  };
  const process: PlanProcess = {
    address,
    machine,
    name,
    kind: "process",
    endpoints: [{ group, role: "client", dials: [dial] }],
    services: [],
  };
  plan.dials.push(dial);
  plan.processes.push(process);
  plan.machines.find((m) => m.name === machine)!.processes.push(address);
  return { process, ...(created ? { proxy: created } : {}) };
}
