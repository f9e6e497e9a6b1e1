import type { Plan } from "../topology";
import { journalPath, MachineClient, readJournal, type MachineLogEntry, type MachineSpec } from "../machine";
import type { StartedMachine, StoppedMachine } from "../drivers";
import { LabError } from "./errors";
import type { LabLifecycleState } from "./events";
import { EventPump } from "./event-pump";
import { processStartError, startFailure } from "./convergence";
import type { ProcessStartError } from "./errors";
import { notYet, ok, pollUntil } from "./wait";

/** How long a machine started again may take until every process of it is ready. */
const MACHINE_READY_MS = 20_000;
import { resolveMachine, resolveName } from "./names";
import { messageOf } from "../common";

export type MachineState = "running" | "frozen" | "crashed" | "stopped";
export type ProcessState = "up" | "crashed" | "stopped";

export interface Slot {
  name: string;
  spec: MachineSpec;
  state: MachineState;
  started?: StartedMachine;
  stopped?: StoppedMachine;
  client?: MachineClient;
  pumpClient?: MachineClient;
}

/**
 * The machines of a started lab and their processes' states: one slot per machine holding its current
 * started/stopped handle and control-API clients, and the event pump over them.
 */
export class LabMachines {
  readonly slots = new Map<string, Slot>();
  readonly procStates = new Map<string, ProcessState>();
  readonly pump: EventPump;

  constructor(
    private readonly plan: Plan,
    specs: MachineSpec[],
    started: StartedMachine[],
    private readonly lifecycle: (target: string, state: LabLifecycleState, detail?: string) => void,
    deliver: (machine: string, entry: MachineLogEntry) => void,
    private readonly warn: (msg: string) => void,
  ) {
    for (const p of plan.processes) this.procStates.set(p.address, "up");
    for (const spec of specs) {
      const slot: Slot = { name: spec.machine, spec, state: "running" };
      this.slots.set(spec.machine, slot);
      const handle = started.find((m) => m.machine === spec.machine);
      if (handle) this.attach(slot, handle);
    }
    this.pump = new EventPump(
      () =>
        [...this.slots.values()].map((s) => ({
          machine: s.name,
          client: () => s.pumpClient,
          pollable: () => s.state === "running",
        })),
      deliver,
      {},
      warn,
    );
    this.pump.start();
  }

  slot(machine: string): Slot {
    return this.slots.get(resolveMachine(this.plan, machine))!;
  }

  client(machine: string): MachineClient {
    const slot = this.slot(machine);
    if (!slot.client || slot.state === "crashed" || slot.state === "stopped") {
      throw new LabError("LAB_STATE", `machine "${machine}" is ${slot.state}: start it again first`);
    }
    return slot.client;
  }

  private attach(slot: Slot, started: StartedMachine): void {
    Object.assign(slot, { started, stopped: undefined, state: "running" });
    slot.client = new MachineClient(started.controlUrl, { timeoutMs: 10000 });
    slot.pumpClient = new MachineClient(started.controlUrl, { timeoutMs: 1000 });
    started.exited.then((exit) => {
      if (slot.started !== started || slot.state === "crashed" || slot.state === "stopped") return;
      slot.state = "stopped";
      slot.client = slot.pumpClient = undefined;
      void this.recover(slot).then(() =>
        this.lifecycle(slot.name, "exited", `supervisor exited by itself (code ${exit.code}, signal ${exit.signal})`),
      );
    });
  }

  /** Delivers what the machine logged after the last pull, from its journal (journal.ts), once it is down. */
  private async recover(slot: Slot): Promise<void> {
    await this.pump
      .recover(slot.name, (since) => readJournal(journalPath(slot.spec.runDir), since))
      .catch((err: unknown) => this.warn(`machine "${slot.name}": its journal could not be read: ${messageOf(err)}`));
  }

  private running(machine: string): Slot & { started: StartedMachine } {
    const slot = this.slot(machine);
    if (!slot.started || (slot.state !== "running" && slot.state !== "frozen")) {
      throw new LabError("LAB_STATE", `machine "${slot.name}" is ${slot.state}`);
    }
    return slot as Slot & { started: StartedMachine };
  }

  private async down(machine: string, how: "crash" | "shutdown"): Promise<void> {
    const slot = this.running(machine);
    if (slot.state === "running") await this.pump.drain([slot.name], 500);
    const started = slot.started;
    slot.state = how === "crash" ? "crashed" : "stopped";
    slot.client = slot.pumpClient = undefined;
    const stopped = how === "crash" ? await started.crash() : await started.shutdown();
    Object.assign(slot, { stopped, started: undefined });
    await this.recover(slot);
    const state = how === "crash" ? "crashed" : "stopped";
    this.lifecycle(slot.name, state);
    for (const p of slot.spec.processes)
      this.lifecycle(p.address, state, `machine "${slot.name}" ${how === "crash" ? "crashed" : "shut down"}`);
  }

  async crash(name: string): Promise<void> {
    const r = resolveName(this.plan, name);
    if (r.kind === "machine") return this.down(r.machine, "crash");
    await this.client(r.machine).crash(r.process.name);
    this.procStates.set(name, "crashed");
    this.lifecycle(name, "crashed");
  }

  async shutdown(name: string): Promise<void> {
    const r = resolveName(this.plan, name);
    if (r.kind === "machine") return this.down(r.machine, "shutdown");
    await this.client(r.machine).stop(r.process.name);
    this.procStates.set(name, "stopped");
    this.lifecycle(name, "stopped");
  }

  async freeze(machine: string): Promise<void> {
    const slot = this.running(machine);
    await slot.started.freeze();
    slot.state = "frozen";
    this.lifecycle(slot.name, "frozen");
  }

  async thaw(machine: string): Promise<void> {
    const slot = this.running(machine);
    await slot.started.thaw();
    slot.state = "running";
    this.lifecycle(slot.name, "thawed");
  }

  async startAgain(name: string): Promise<void> {
    const r = resolveName(this.plan, name);
    if (r.kind === "process") {
      await this.client(r.machine)
        .start(r.process.name)
        .catch((err: unknown) => {
          throw processStartError(r.process.address, err) ?? err;
        });
      this.procStates.set(name, "up");
      this.lifecycle(name, "started");
      return;
    }
    const slot = this.slot(r.machine);
    if (!slot.stopped)
      throw new LabError(
        "LAB_STATE",
        `machine "${slot.name}" is ${slot.state}: only a crashed or stopped machine starts again`,
      );
    const started = await slot.stopped.start(slot.spec);
    this.pump.reset(slot.name);
    this.attach(slot, started);
    for (const p of slot.spec.processes) this.procStates.set(p.address, "up");
    this.lifecycle(slot.name, "started");
    const client = slot.client!;
    let failed: ProcessStartError | undefined;
    await pollUntil(`machine "${slot.name}" did not become ready`, MACHINE_READY_MS, async () => {
      failed = await startFailure({ machines: () => [slot.name], client: () => client });
      return failed || (await client.health()).ready ? ok(undefined) : notYet("not every process is ready");
    });
    if (failed) throw failed;
    this.lifecycle(slot.name, "ready");
  }
}
