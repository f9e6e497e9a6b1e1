import path from "node:path";
import type { MachineSpec, ProcessSpec } from "../machine";
import type { Plan, PlanProcess } from "../topology";
import type { MachinePlacement } from "../drivers";
import type { CreatedProxy } from "./faults/injector";

/**
 * From a Plan to the machines' runtime specs. Dials inside a machine go straight to the machine's own address;
 * dials across machines go to the listen address of their fault proxy:
 *
 *     alpha/web ──(direct)──▶ alpha/exchange ──▶ proxy "alpha-to-beta.exchange" (127.X.0.1:p) ──▶ beta/exchange
 */
export interface SpecContext {
  plan: Plan;
  placement(machine: string): MachinePlacement;
  /** Created proxies by plan name. */
  proxies: ReadonlyMap<string, CreatedProxy>;
  runDir: string;
}

export function exchangeTiming(plan: Plan): MachineSpec["timing"] {
  const t = plan.timing;
  return {
    heartbeatMs: t.heartbeatMs,
    missedBeats: t.missedBeats,
    retryDelayMs: t.retryDelayMs,
    handshakeTimeoutMs: t.handshakeTimeoutMs,
    requestTimeoutMs: t.requestTimeoutMs,
  };
}

export function processSpec(ctx: SpecContext, p: PlanProcess): ProcessSpec {
  const delayMs = ctx.plan.timing.retryDelayMs;
  return {
    address: p.address,
    name: p.name,
    kind: p.kind,
    nodeName: p.address,
    endpoints: p.endpoints.map((e) => ({
      group: e.group,
      role: e.role,
      ...(e.listen !== undefined ? { listen: e.listen } : {}),
      connect: e.dials.map((d) => {
        if (!d.crossMachine) return { host: ctx.placement(d.toMachine).localHost, port: d.port, delayMs, target: d.to };
        const proxy = d.proxy === undefined ? undefined : ctx.proxies.get(d.proxy);
        if (!proxy)
          throw new Error(`dial ${d.from} → ${d.to} crosses machines but its proxy "${d.proxy}" was not created`);
        return {
          host: ctx.placement(p.machine).proxyDialHost(proxy.listenHost),
          port: proxy.listenPort,
          delayMs,
          target: d.to,
        };
      }),
    })),
    services: p.services.map((s) => ({ name: s.name, audience: s.audience, groups: [...s.groups] })),
    ...(p.program
      ? {
          program: {
            argv: [...p.program.argv],
            cwd: path.posix.join(ctx.placement(p.machine).projectDir, p.program.cwd),
            env: { ...p.program.env },
          },
          ...(p.program.readyTimeoutMs !== undefined ? { readyTimeoutMs: p.program.readyTimeoutMs } : {}),
        }
      : {}),
  };
}

export function machineSpec(ctx: SpecContext, machine: string): MachineSpec {
  const placement = ctx.placement(machine);
  return {
    machine,
    bindHost: placement.bindHost,
    controlPort: placement.controlPort,
    runDir: `${ctx.runDir}/${machine}`,
    timing: exchangeTiming(ctx.plan),
    processes: ctx.plan.processes.filter((p) => p.machine === machine).map((p) => processSpec(ctx, p)),
  };
}

/** The ports a machine listens on (exchange server endpoints), for address probing. */
export function listenPorts(plan: Plan, machine: string): number[] {
  return plan.processes
    .filter((p) => p.machine === machine)
    .flatMap((p) => p.endpoints.flatMap((e) => (e.listen !== undefined ? [e.listen] : [])));
}
