import { rmSync } from "node:fs";
import { expectedLinks, type ExpectedLink, type Plan } from "../topology";
import type { CallResult, MachineClient, MachineLogEntry, MachineSpec, ProcessView, ReceivedReport } from "../machine";
import { registerLab } from "../runs";
import type { DriverRun, StartedMachine } from "../drivers";
import { UnknownNameError, messageOf } from "../common";
import { LabError, type ProcessStartError } from "./errors";
import type { LabEvent, LabListener, LabLifecycleState } from "./events";
import { LabMachines, type MachineState, type ProcessState } from "./lab-machines";

export type { MachineState, ProcessState } from "./lab-machines";
import type { CreatedProxy, FaultInjector } from "./faults/injector";
import { FaultBook } from "./faults/fault-book";
import { LabFaults } from "./faults/lab-faults";
import type { LabConfig } from "./config";
import { declaredServices, resolveMachine, resolveName, resolveProcess } from "./names";
import { signalGroup } from "../runs";
import { addProcessToPlan } from "./add-process";
import { startLook } from "./convergence";
import type { RunState } from "../runs";
import { processSpec, type SpecContext } from "./specs";
import { pollUntil } from "./wait";
import { LabWorkloads } from "./workloads";

/** What the lab knows about one machine. */
export interface MachineInfo {
  name: string;
  index: number;
  state: MachineState;
  /**
   * Where the other machines of the run reach this one: process driver, its loopback address (127.X.0.N);
   * container driver, its IP on the run's network while it runs, else its name (its alias on that network).
   */
  host: string;
  controlUrl?: string;
  id?: string;
  processes: string[];
}

export interface StartedLabContext {
  lab: LabConfig;
  plan: Plan;
  run: DriverRun;
  injector: FaultInjector;
  proxies: Map<string, CreatedProxy>;
  specs: MachineSpec[];
  machines: StartedMachine[];
  state: RunState;
  groups: Set<number>;
}

/**
 * A running lab: the probes and actions the steps use. Names are machine names (`alpha`) or process addresses
 * (`alpha/web`); an unknown name fails at once listing those that exist. Every action is told to the listeners
 * (`on`) as a {@link LabEvent}, together with every event pulled from the machines.
 */
export class StartedLab {
  readonly runId: string;
  readonly plan: Plan;
  readonly runDir: string;
  readonly faults: LabFaults;
  /** Background traffic inside the processes (workloads.ts). */
  readonly workloads: LabWorkloads;
  private readonly m: LabMachines;
  private readonly log: LabEvent[] = [];
  private readonly listeners = new Set<LabListener>();
  private readonly known = new Set<string>();
  private readonly unregister: () => void;
  private stopping?: Promise<void>;

  constructor(private readonly ctx: StartedLabContext) {
    this.runId = ctx.lab.runId;
    this.plan = ctx.plan;
    this.runDir = ctx.lab.runDir;
    for (const s of declaredServices(this.plan)) this.known.add(s);
    this.m = new LabMachines(
      this.plan,
      ctx.specs,
      ctx.machines,
      (target, state, detail) => this.lifecycle(target, state, detail),
      (machine, entry) => this.deliver(machine, entry),
      (msg) => ctx.lab.logger.warn(msg),
    );
    this.workloads = new LabWorkloads({
      target: (a) => this.target(a),
      requestTimeoutMs: this.plan.timing.requestTimeoutMs,
      emit: (action, workload) => this.emit({ type: "workload", time: ctx.lab.now(), action, workload }),
    });
    this.faults = new LabFaults(
      ctx.injector,
      new FaultBook(),
      (name) => this.endpoint(name),
      (e) => this.emit(e),
      ctx.lab.now,
    );
    this.unregister = registerLab(
      { runId: this.runId, stop: () => this.stop(), killNow: () => this.killNow() },
      ctx.lab.handleSignals,
    );
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────────────────
  /** Calls `listener` with every future event; returns the unsubscribe function. */
  on(listener: LabListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every event so far, in arrival order. */
  events(): readonly LabEvent[] {
    return this.log;
  }

  /** Pulls what the machines logged so far (before checking a history). */
  drainEvents(): Promise<void> {
    return this.m.pump.drain();
  }

  private emit(event: LabEvent): void {
    this.log.push(event);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.ctx.lab.logger.warn(`a lab listener failed on a ${event.type} event: ${messageOf(err)}`);
      }
    }
  }

  private lifecycle(target: string, state: LabLifecycleState, detail?: string): void {
    this.emit({ type: "lifecycle", time: this.ctx.lab.now(), target, state, ...(detail ? { detail } : {}) });
  }

  private deliver(machine: string, entry: MachineLogEntry): void {
    const base = { time: entry.time, machine, process: `${machine}/${entry.process}` };
    if (entry.kind === "exchange") this.emit({ type: "exchange", ...base, event: entry.event });
    else if (entry.kind === "report") this.emit({ type: "report", ...base, report: entry.event });
    else if (entry.kind === "operation") this.emit({ type: "operation", ...base, operation: entry.event });
    else this.emit({ type: "process", ...base, event: entry.event });
  }

  // ── names ─────────────────────────────────────────────────────────────────────────────────────────────────
  machines(): string[] {
    return this.plan.machines.map((m) => m.name);
  }

  processes(): string[] {
    return this.plan.processes.map((p) => p.address);
  }

  /** Service names declared in the topology or offered through the lab. */
  knownServices(): string[] {
    return [...this.known].sort();
  }

  /** Fails at once when no process declares or was asked to offer `service`. */
  checkService(service: string): void {
    if (!this.known.has(service)) throw new UnknownNameError("service", service, this.knownServices());
  }

  machine(name: string): MachineInfo {
    const m = this.plan.machines.find((x) => x.name === resolveMachine(this.plan, name))!;
    const slot = this.m.slot(m.name);
    const up = slot.state === "running" || slot.state === "frozen";
    return {
      name: m.name,
      index: m.index,
      state: slot.state,
      host: (up ? slot.started?.address : undefined) ?? this.ctx.run.placement(m.name).upstreamHost,
      controlUrl: slot.started?.controlUrl,
      id: slot.started?.id,
      processes: [...m.processes],
    };
  }

  process(address: string): {
    address: string;
    machine: string;
    name: string;
    kind: string;
    state: ProcessState;
    machineState: MachineState;
  } {
    const p = resolveProcess(this.plan, address);
    return {
      address,
      machine: p.machine,
      name: p.name,
      kind: p.kind,
      state: this.m.procStates.get(address) ?? "up",
      machineState: this.m.slot(p.machine).state,
    };
  }

  /** True when the process runs and its machine runs (not frozen): it can be asked for a view. */
  isUp(address: string): boolean {
    const p = this.process(address);
    return p.state === "up" && p.machineState === "running";
  }

  /** The proxies this run created: plan name → where it listens and what it forwards to. */
  proxies(): CreatedProxy[] {
    return [...this.ctx.proxies.values()];
  }

  get proxyServer(): { url: string; kind: string; pid?: number } {
    return this.ctx.run.proxyServer;
  }

  get driver(): string {
    return this.ctx.run.driver;
  }

  private endpoint(name: string): { machine: string; process?: string } {
    const r = resolveName(this.plan, name);
    return r.kind === "machine" ? { machine: r.machine } : { machine: r.machine, process: r.process.address };
  }

  /** The control-API client of a running machine. */
  client(machine: string): MachineClient {
    return this.m.client(machine);
  }

  private target(address: string): { client: MachineClient; name: string; address: string } {
    const p = resolveProcess(this.plan, address);
    return { client: this.client(p.machine), name: p.name, address: p.address };
  }

  // ── probes ────────────────────────────────────────────────────────────────────────────────────────────────
  view(address: string): Promise<ProcessView> {
    const t = this.target(address);
    return t.client.view(t.name);
  }

  async seenServices(address: string): Promise<string[]> {
    return (await this.view(address)).seen.services;
  }

  call(
    from: string,
    service: string,
    options: { method?: string; args?: unknown; timeoutMs?: number } = {},
  ): Promise<CallResult> {
    const t = this.target(from);
    return t.client.call(t.name, { service, ...options });
  }

  async offer(address: string, service: string, audience?: string, groups?: string[]): Promise<void> {
    const t = this.target(address);
    this.known.add(service);
    await t.client.offer(t.name, {
      name: service,
      ...(audience !== undefined ? { audience } : {}),
      ...(groups ? { groups } : {}),
    });
  }

  async withdraw(address: string, service: string): Promise<void> {
    const t = this.target(address);
    await t.client.withdraw(t.name, service);
  }

  async join(address: string, service: string, group: string): Promise<void> {
    const t = this.target(address);
    await t.client.joinGroup(t.name, service, group);
  }

  async leave(address: string, service: string, group: string): Promise<void> {
    const t = this.target(address);
    await t.client.leaveGroup(t.name, service, group);
  }

  async publish(address: string, service: string, subject: string, content: unknown, lifetime?: number): Promise<void> {
    const t = this.target(address);
    await t.client.publish(t.name, { service, subject, content, ...(lifetime !== undefined ? { lifetime } : {}) });
  }

  async subscribe(address: string, service: string, pattern: string): Promise<void> {
    const t = this.target(address);
    await t.client.subscribe(t.name, { service, pattern });
  }

  /** Reports a process received so far (all its runs), from the pulled machine logs. */
  reportsReceived(address: string): ReceivedReport[] {
    resolveProcess(this.plan, address);
    return this.log.flatMap((e) => (e.type === "report" && e.process === address ? [e.report] : []));
  }

  // ── machines and processes ────────────────────────────────────────────────────────────────────────────────
  /** A machine or a process crashes (SIGKILL to the machine's process group / to the process). */
  crash(name: string): Promise<void> {
    return this.m.crash(name);
  }

  /** A machine or a process shuts down gracefully (SIGTERM). */
  shutdown(name: string): Promise<void> {
    return this.m.shutdown(name);
  }

  /** SIGSTOP to the machine's process group. */
  freeze(machine: string): Promise<void> {
    return this.m.freeze(machine);
  }

  /** SIGCONT to the machine's process group. */
  thaw(machine: string): Promise<void> {
    return this.m.thaw(machine);
  }

  /** A crashed or stopped machine or process starts again; resolves once its processes are up. */
  startAgain(name: string): Promise<void> {
    return this.m.startAgain(name);
  }

  /** A new process with one client endpoint of `group` dialling `target` (a server process or a machine). */
  async addProcess(address: string, group: string, target: string): Promise<void> {
    const added = addProcessToPlan(this.plan, address, group, target);
    const machine = added.process.machine;
    if (added.proxy) {
      const [created] = await this.ctx.injector.createProxies([
        {
          name: added.proxy.name,
          listen: `${this.ctx.run.placement(machine).proxyListenHost}:0`,
          upstream: `${this.ctx.run.placement(added.proxy.toMachine).upstreamHost}:${added.proxy.port}`,
        },
      ]);
      this.ctx.proxies.set(created.name, created);
    }
    const sctx: SpecContext = {
      plan: this.plan,
      placement: (m) => this.ctx.run.placement(m),
      proxies: this.ctx.proxies,
      runDir: this.runDir,
    };
    const spec = processSpec(sctx, added.process);
    await this.client(machine).addProcess(spec);
    this.m.slot(machine).spec.processes.push(spec);
    this.m.procStates.set(address, "up");
    this.lifecycle(
      address,
      "started",
      `new process in group "${group}" dialling ${added.process.endpoints[0].dials[0].to}`,
    );
  }

  // ── waiting ───────────────────────────────────────────────────────────────────────────────────────────────
  /** Polls `look` until it holds or `timeoutMs` passes; the error says what was seen instead. */
  waitFor<T>(failure: string, timeoutMs: number, look: Parameters<typeof pollUntil<T>>[2]): Promise<T> {
    return pollUntil(failure, timeoutMs, look, { intervalMs: this.ctx.lab.pollMs });
  }

  /** Every process up and every expected link ACTIVE at both ends. */
  async waitUntilRunning(
    timeoutMs: number,
    links: ExpectedLink[],
    failure = "the lab did not converge",
  ): Promise<void> {
    let failed: ProcessStartError | undefined;
    try {
      failed = await this.waitFor(failure, timeoutMs, () => startLook(this, links));
    } catch (err) {
      const tails = [...this.m.slots.values()]
        .map((s) => `  ${s.name}: ${(s.started?.logs(5) ?? []).join(" | ")}`)
        .join("\n");
      throw new LabError(
        "LAB_TIMEOUT",
        `${messageOf(err)}\n machine logs (last lines):\n${tails}\n logs in ${this.runDir}`,
        { cause: err },
      );
    }
    if (failed) throw failed;
  }

  /**
   * After faults: every machine and process of the plan running again (none frozen, down or failed) and every link
   * the plan dials ACTIVE at both ends, within `timeoutMs`; a LAB_TIMEOUT error says what was still missing.
   */
  async waitUntilRecovered(timeoutMs: number): Promise<void> {
    const still = [
      ...this.plan.machines.map((m) => ({
        what: `machine ${m.name}`,
        state: this.m.slot(m.name).state,
        ok: "running",
      })),
      ...this.plan.processes.map((p) => ({
        what: `process ${p.address}`,
        state: this.process(p.address).state,
        ok: "up",
      })),
    ]
      .filter((x) => x.state !== x.ok)
      .map((x) => `${x.what} is ${x.state}`);
    if (still.length) throw new LabError("LAB_STATE", `the lab cannot recover by itself: ${still.join(", ")}`);
    await this.waitUntilRunning(timeoutMs, expectedLinks(this.plan), `the lab did not recover within ${timeoutMs} ms`);
  }

  // ── stopping ──────────────────────────────────────────────────────────────────────────────────────────────
  /** Stops everything the lab started (machines, proxies, proxy server). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.m.pump.stop();
      if (this.ctx.run.proxyServer.kind === "external") await this.ctx.injector.removeAll();
      await this.ctx.run.close();
      this.ctx.state.remove();
      this.unregister();
      this.ctx.lab.logger.info(`Stopped lab "${this.plan.name}" (run ${this.runId})`);
    })();
    return this.stopping;
  }

  /** `await using lab = await new Lab({ plan }).start()`: the lab stops when the block is left, however. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * Stops the lab if it runs, then removes its run directory (machine, process and proxy logs, journals) when
   * the lab owns it (no runDir was given). Resolves true when it was removed; a failure to remove is logged.
   */
  async discardLogs(): Promise<boolean> {
    await this.stop();
    if (!this.ctx.lab.ownsRunDir) return false;
    try {
      rmSync(this.runDir, { recursive: true, force: true });
      return true;
    } catch (err) {
      this.ctx.lab.logger.warn(`Could not remove the logs in ${this.runDir}: ${messageOf(err)}`);
      return false;
    }
  }

  private killNow(): void {
    for (const g of this.ctx.groups) signalGroup(g, "SIGKILL");
  }
}
