import { join } from "node:path";
import type { MachineSpec } from "../../machine";
import { leaseSubnet, type SubnetLease } from "./addresses";
import { UnknownNameError } from "../../common";
import { startProxyServer, type StartedProxyServer } from "./proxy-server";
import { groupMembers, signalGroup } from "../../runs";
import { defaultStateDir } from "../../runs";
import {
  PROCESS_GROUP,
  type DriverRun,
  type DriverRunOptions,
  type MachineDriver,
  type MachinePlacement,
  type StartedMachine,
} from "../driver";
import { ProcessMachine } from "./process-machine";
import { SUBNET, SUBNET_NAME } from "./sweep";

export interface ProcessDriverOptions {
  /** Where subnet locks live. @default defaultStateDir() */
  stateDir?: string;
  /** Port of every machine's control API (each machine has its own address). @default 7700 */
  controlPort?: number;
  /** Port of the fault-proxy API, on 127.X.1.1. @default 8474 */
  proxyApiPort?: number;
  /** Deadline for a supervisor's EXLAB_READY line. @default 20000 */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace on shutdown. @default 5000 */
  stopGraceMs?: number;
}

/**
 * The embedded default driver: machine N of a run is a supervisor process (own process group) bound to
 * 127.X.0.N; the run's fault proxy listens on 127.X.1.1. crash = SIGKILL to the group, shutdown = SIGTERM,
 * freeze/thaw = SIGSTOP/SIGCONT, start again = spawn the same spec again.
 */
export class ProcessDriver implements MachineDriver {
  readonly name = "processes";
  constructor(private readonly options: ProcessDriverOptions = {}) {}

  async open(run: DriverRunOptions): Promise<DriverRun> {
    const controlPort = this.options.controlPort ?? 7700;
    const proxyApiPort = this.options.proxyApiPort ?? 8474;
    const lease = await leaseSubnet({
      stateDir: this.options.stateDir ?? defaultStateDir(run.env),
      runId: run.runId,
      probe: (octet) => [
        { host: `127.${octet}.1.1`, port: proxyApiPort },
        ...run.machines.flatMap((m) =>
          [controlPort, ...m.ports].map((port) => ({ host: `127.${octet}.0.${m.index}`, port })),
        ),
      ],
    });
    run.track(SUBNET, SUBNET_NAME, lease.octet);
    try {
      const proxy = await startProxyServer({
        host: `127.${lease.octet}.1.1`,
        port: proxyApiPort,
        env: run.env,
        logFile: join(run.runDir, "faultproxy.log"),
        runId: run.runId,
        logger: run.logger,
        track: (pgid) => run.track(PROCESS_GROUP, "faultproxy", pgid),
      });
      return new ProcessDriverRun(run, lease, proxy, controlPort, this.options);
    } catch (err) {
      lease.release();
      throw err;
    }
  }
}

class ProcessDriverRun implements DriverRun {
  readonly driver = "processes";
  private readonly live = new Set<ProcessMachine>();
  private readonly indexes: Map<string, number>;
  private closed = false;

  constructor(
    private readonly run: DriverRunOptions,
    private readonly lease: SubnetLease,
    private readonly proxy: StartedProxyServer,
    private readonly controlPort: number,
    private readonly options: ProcessDriverOptions,
  ) {
    this.indexes = new Map(run.machines.map((m) => [m.name, m.index]));
  }

  get proxyServer() {
    return { url: this.proxy.url, kind: this.proxy.kind, pid: this.proxy.pid };
  }

  placement(machine: string): MachinePlacement {
    const index = this.indexes.get(machine);
    if (index === undefined) throw new UnknownNameError("machine", machine, [...this.indexes.keys()]);
    const host = this.lease.host(index);
    return {
      bindHost: host,
      localHost: host,
      upstreamHost: host,
      proxyListenHost: host,
      proxyDialHost: (h) => h,
      controlPort: this.controlPort,
      projectDir: this.run.projectDir,
    };
  }

  async start(spec: MachineSpec): Promise<StartedMachine> {
    const machine = await ProcessMachine.start({
      spec,
      runId: this.run.runId,
      logDir: this.run.runDir,
      env: this.run.env,
      readyTimeoutMs: this.options.readyTimeoutMs ?? 20000,
      stopGraceMs: this.options.stopGraceMs ?? 5000,
      track: (pgid) => this.run.track(PROCESS_GROUP, `${spec.machine}#${pgid}`, pgid),
      onStarted: (m) => {
        this.live.add(m);
        if (this.closed) void m.crash();
      },
      onGone: (m) => this.live.delete(m),
    });
    return machine;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const machines = [...this.live];
    for (const m of machines) signalGroup(m.pid, "SIGKILL");
    await Promise.all(machines.map((m) => m.crash()));
    await this.proxy.close();
    for (const m of machines) if (groupMembers(m.pid).length) signalGroup(m.pid, "SIGKILL");
    this.lease.release();
  }
}
