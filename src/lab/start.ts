import { mkdirSync, rmdirSync } from "node:fs";
import { DEFAULT_READY_TIMEOUT_MS, expectedLinks, type Plan } from "../topology";
import { PROCESS_GROUP, type DriverRun, type StartedMachine } from "../drivers";
import { FaultInjector, type CreatedProxy } from "./faults/injector";
import type { LabConfig } from "./config";
import { RunState } from "../runs";
import { listenPorts, machineSpec, type SpecContext } from "./specs";
import { StartedLab } from "./started-lab";

/** The proxy-name prefix of a run on a (possibly shared) Toxiproxy server. */
export function proxyPrefix(runId: string): string {
  return `exlab-${runId}-`;
}

export async function startLab(lab: LabConfig): Promise<StartedLab> {
  const plan = structuredClone(lab.plan);
  const logger = lab.logger;
  mkdirSync(lab.runDir, { recursive: true });
  const state = new RunState(lab.stateDir, {
    runId: lab.runId,
    runnerPid: process.pid,
    startedAt: new Date(lab.now()).toISOString(),
    driver: lab.driver.name,
    topology: plan.name,
    resources: {},
    runDir: lab.runDir,
  });
  state.save();
  const groups = new Set<number>();
  logger.info(
    `Starting lab "${plan.name}" (run ${lab.runId}, ${plan.machines.length} machines, driver ${lab.driver.name})…`,
  );
  let run: DriverRun | undefined;
  const started: StartedMachine[] = [];
  try {
    run = await lab.driver.open({
      runId: lab.runId,
      runDir: lab.runDir,
      machines: plan.machines.map((m) => ({ name: m.name, index: m.index, ports: listenPorts(plan, m.name) })),
      logger,
      env: lab.env,
      projectDir: lab.projectDir,
      track: (kind, name, id) => {
        if (kind === PROCESS_GROUP && typeof id === "number") groups.add(id);
        state.update((r) => ((r.resources[kind] ??= {})[name] = id));
      },
    });
    const driverRun = run;
    state.update((r) => {
      r.proxyServer = {
        url: driverRun.proxyServer.url,
        prefix: proxyPrefix(lab.runId),
        pid: driverRun.proxyServer.pid,
      };
    });
    const injector = new FaultInjector(run.proxyServer.url, proxyPrefix(lab.runId), {
      proxies: plan.proxies,
      dials: plan.dials,
    });
    const created = await injector.createProxies(
      plan.proxies.map((p) => ({
        name: p.name,
        listen: `${driverRun.placement(p.fromMachine).proxyListenHost}:0`,
        upstream: `${driverRun.placement(p.toMachine).upstreamHost}:${p.port}`,
      })),
    );
    const proxies = new Map<string, CreatedProxy>(created.map((c) => [c.name, c]));
    const ctx: SpecContext = { plan, placement: (m) => driverRun.placement(m), proxies, runDir: lab.runDir };
    const specs = plan.machines.map((m) => machineSpec(ctx, m.name));
    await Promise.all(
      specs.map(async (spec) => {
        started.push(await driverRun.start(spec));
        logger.info(`Started machine "${spec.machine}" at ${spec.bindHost}`);
      }),
    );
    const startedLab = new StartedLab({ lab, plan, run, injector, proxies, specs, machines: started, state, groups });
    try {
      await startedLab.waitUntilRunning(readyDeadline(lab.readyTimeoutMs, plan), expectedLinks(plan));
    } catch (err) {
      await startedLab.stop();
      throw err;
    }
    logger.info(`Lab "${plan.name}" is running (run ${lab.runId})`);
    return startedLab;
  } catch (err) {
    await run?.close().catch(() => {});
    state.remove();
    if (lab.ownsRunDir) removeIfEmpty(lab.runDir); // logs of a failed start stay; an empty directory does not
    throw err;
  }
}

/** The lab's readiness deadline, long enough for every program's own (a program's failure says more than ours). */
function readyDeadline(labMs: number, plan: Plan): number {
  const programs = plan.processes.map((p) => p.program?.readyTimeoutMs ?? (p.program ? DEFAULT_READY_TIMEOUT_MS : 0));
  return Math.max(labMs, Math.max(0, ...programs) + 5000);
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    /* not empty, or gone */
  }
}
