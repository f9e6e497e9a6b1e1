import { World, type IWorldOptions } from "@cucumber/cucumber";
import { join } from "node:path";
import { createDriver, driverNameFrom } from "../drivers";
import * as evidence from "../evidence";
import type { Recorder, TopologySummary } from "../evidence";
import * as L from "../lab";
import type { LabEvent, StartedLab } from "../lab";
import * as T from "../topology";
import type { Plan } from "../topology";
import { messageOf } from "../common";

/** Parameters the runner passes (`worldParameters`). */
export interface LabWorldParameters {
  /** "processes" or "containers". @default $LAB_DRIVER or "processes" */
  driver?: string;
  /** Where topology names are looked up. @default <cwd>/topologies */
  topologiesDir?: string;
  /** Deadline of assertions written without one ("can call"). @default 10000 */
  defaultDeadlineMs?: number;
}

/**
 * The Cucumber World: one lab per scenario, recorded into the evidence Recorder. Its verbs are what the steps
 * call; assertions are the lab's own (src/lab/expectations.ts).
 */
export class LabWorld extends World<LabWorldParameters> {
  started?: StartedLab;
  recorder?: Recorder;
  readonly summary: TopologySummary = { name: "", processes: [] };
  scenario = { feature: "", name: "", tags: [] as string[] };
  private offListener?: () => void;

  constructor(options: IWorldOptions<LabWorldParameters>) {
    super(options);
  }

  get driverName(): string {
    return driverNameFrom(this.parameters.driver ?? process.env.LAB_DRIVER);
  }

  get defaultDeadlineMs(): number {
    return this.parameters.defaultDeadlineMs ?? 10000;
  }

  /** The running lab; a step that needs one before `Given … is running` fails clearly. */
  get lab(): StartedLab {
    if (!this.started) throw new Error('no lab is running: start with `Given the topology "<name>" is running`');
    return this.started;
  }

  readonly runId = L.newRunId();

  beginScenario(feature: string, name: string, tags: string[]): void {
    this.scenario = { feature, name, tags };
    this.recorder = new evidence.Recorder({
      topology: this.summary,
      runId: this.runId,
      feature,
      scenario: name,
      tags,
      driver: this.driverName,
    });
  }

  // ── setup ─────────────────────────────────────────────────────────────────────────────────────────────────
  async startTopology(nameOrPath: string): Promise<void> {
    const dir = this.parameters.topologiesDir ?? join(process.cwd(), "topologies");
    const loaded = await T.loadTopologyOrThrow(nameOrPath, { topologiesDir: dir });
    await this.startPlan(loaded.plan);
  }

  async startTopologyText(yaml: string): Promise<void> {
    const loaded = T.loadTopologyTextOrThrow(yaml, "<doc string>");
    await this.startPlan(loaded.plan);
  }

  private async startPlan(plan: Plan): Promise<void> {
    if (this.started) throw new Error(`a lab is already running in this scenario (${this.started.plan.name})`);
    this.summarize(plan);
    const lab = new L.Lab({ plan, runId: this.runId, driver: createDriver(driverNameFrom(this.driverName)) });
    const record = (e: LabEvent) => this.record(e);
    this.started = await lab.start();
    this.offListener = this.started.on(record);
    for (const e of this.started.events()) record(e);
  }

  private summarize(plan: Plan): void {
    this.summary.name = plan.name;
    this.summary.processes.length = 0;
    for (const p of plan.processes) this.addToSummary(p);
  }

  private addToSummary(p: Plan["processes"][number]): void {
    this.summary.processes.push({
      address: p.address,
      machine: p.machine,
      kind: p.kind,
      endpoints: p.endpoints.map((e) => ({ group: e.group, role: e.role })),
      services: p.services.map((s) => ({ name: s.name, audience: s.audience, groups: [...s.groups] })),
    });
  }

  /** Events the recorder refused (a broken contract between the parts): they fail the scenario at the end. */
  readonly refused: string[] = [];

  private record(e: LabEvent): void {
    try {
      this.recordOne(e);
    } catch (err) {
      this.refused.push(messageOf(err));
    }
  }

  /** LabEvent → the evidence recorder. */
  private recordOne(e: LabEvent): void {
    const r = this.recorder;
    if (!r) return;
    switch (e.type) {
      case "exchange":
        r.exchange(e.machine, e.process, e.event);
        return;
      case "fault":
        r.fault(e.action, e.faultId, e.fault);
        return;
      case "lifecycle":
        r.lifecycle(e.target, e.state, e.detail);
        return;
      case "process":
        if (e.event.type === "started") r.lifecycle(e.process, "ready", `pid ${e.event.pid}, run ${e.event.run}`);
        else if (e.event.type === "exited" && !e.event.expected)
          r.lifecycle(e.process, "exited", `code ${e.event.code}, signal ${e.event.signal}`);
        else if (e.event.type === "failed") r.lifecycle(e.process, "exited", `failed to start: ${e.event.error}`);
        return;
      case "report":
        return;
    }
  }

  // ── actions ───────────────────────────────────────────────────────────────────────────────────────────────
  async addProcess(address: string, group: string, target: string): Promise<void> {
    await this.lab.addProcess(address, group, target);
    this.addToSummary(this.lab.plan.processes.find((p) => p.address === address)!);
  }

  async offer(address: string, service: string, audience?: string): Promise<void> {
    await this.lab.offer(address, service, audience);
    const entry = this.summary.processes.find((p) => p.address === address);
    if (entry && !entry.services.some((s) => s.name === service))
      entry.services.push({ name: service, audience: audience ?? "*", groups: [] });
  }

  wait(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  // ── evidence ──────────────────────────────────────────────────────────────────────────────────────────────
  /** Runs the invariant checkers over the history so far; throws with the proof when one is violated. */
  async checkInvariants(): Promise<void> {
    if (this.started) await this.started.drainEvents();
    const results = this.recorder!.check();
    const failed = results.filter((r) => r.status !== "passed");
    if (failed.length) throw new Error(`invariants violated:\n${evidence.summarizeChecks(failed)}`);
  }

  /**
   * After the scenario: pull the last events, stop the lab, check, attach the history. The run's logs are removed
   * when everything passed (EXLAB_KEEP_LOGS=1 keeps them); otherwise the report says where they are.
   */
  async finish(stepsPassed: boolean): Promise<void> {
    let stopError: unknown;
    if (this.started) {
      await this.started.drainEvents().catch(() => {});
      this.offListener?.();
      await this.started.stop().catch((err: unknown) => (stopError = err));
    }
    const results = this.recorder!.check();
    const failed = results.filter((r) => r.status !== "passed");
    const clean = stepsPassed && !failed.length && !stopError && !this.refused.length;
    const keepLogs = !clean || !!process.env.EXLAB_KEEP_LOGS;
    if (this.started && !keepLogs) await this.started.discardLogs();
    const logsDir = this.started && keepLogs ? { logsDir: this.started.runDir } : {};
    await this.attach(JSON.stringify({ ...this.recorder!.history(), ...logsDir }), evidence.HISTORY_MEDIA_TYPE);
    if (failed.length) throw new Error(`invariants violated:\n${evidence.summarizeChecks(failed)}`);
    if (stopError) throw stopError;
    if (this.refused.length)
      throw new Error(`the recorder refused ${this.refused.length} event(s); first: ${this.refused[0]}`);
  }
}
