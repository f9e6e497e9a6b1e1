import { World, type IWorldOptions } from "@cucumber/cucumber";
import { join } from "node:path";
import { createDriver, driverNameFrom } from "../drivers";
import * as evidence from "../evidence";
import type { Recorder, TopologySummary } from "../evidence";
import * as L from "../lab";
import type { CallResult } from "../machine";
import type { StartedLab } from "../lab";
import { packageRoot } from "../runs";
import { pause } from "./interrupt";
import * as T from "../topology";

/** How often a waiting step looks at the history again. */
const POLL_MS = 100;
import type { Plan } from "../topology";

/** Parameters the runner passes (`worldParameters`). */
export interface LabWorldParameters {
  /** "processes" or "containers". @default $LAB_DRIVER or "processes" */
  driver?: string;
  /** Where topology names are looked up, in order. @default <cwd>/topologies, then the bundled topologies/ */
  topologiesDirs?: string[];
  /** Deadline of assertions written without one ("can call"). @default 10000 */
  defaultDeadlineMs?: number;
  /** The seed of random fault schedules whose step names none (`exlab run --seed N`). @default a fresh one */
  seed?: number;
}

/**
 * The Cucumber World: one lab per scenario, attached to the scenario's evidence Recorder. Its verbs are what the steps
 * call; assertions are the lab's own (src/lab/expectations.ts).
 */
export class LabWorld extends World<LabWorldParameters> {
  started?: StartedLab;
  recorder?: Recorder;
  readonly summary: TopologySummary = { name: "", processes: [] };
  scenario = { feature: "", name: "", tags: [] as string[] };
  /** The step running now: its place among the scenario's steps (a background's first) and its text. */
  currentStep = { index: -1, text: "" };
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
    const dirs = this.parameters.topologiesDirs ?? [
      join(process.cwd(), "topologies"),
      join(packageRoot(), "topologies"),
    ];
    const loaded = await T.loadTopology(nameOrPath, { topologiesDir: dirs });
    await this.startPlan(loaded.plan);
  }

  async startTopologyText(yaml: string): Promise<void> {
    const loaded = T.loadTopologyTextOrThrow(yaml, "<doc string>");
    await this.startPlan(loaded.plan);
  }

  private async startPlan(plan: Plan): Promise<void> {
    if (this.started) throw new Error(`a lab is already running in this scenario (${this.started.plan.name})`);
    Object.assign(this.summary, evidence.summarizePlan(plan));
    const lab = new L.Lab({ plan, runId: this.runId, driver: createDriver(driverNameFrom(this.driverName)) });
    this.started = await lab.start();
    this.offListener = this.recorder?.attach(this.started);
  }

  // ── actions ───────────────────────────────────────────────────────────────────────────────────────────────
  async addProcess(address: string, group: string, target: string): Promise<void> {
    await this.lab.addProcess(address, group, target);
    this.summary.processes.push(evidence.summarizeProcess(this.lab.plan.processes.find((p) => p.address === address)!));
  }

  async offer(address: string, service: string, audience?: string): Promise<void> {
    await this.lab.offer(address, service, audience);
    const entry = this.summary.processes.find((p) => p.address === address);
    if (entry && !entry.services.some((s) => s.name === service))
      entry.services.push({ name: service, audience: audience ?? "*", groups: [] });
  }

  /** The answer of the last call a step made (`When process … calls service …`), for the steps after it. */
  lastAnswer?: CallResult;
  /**
   * How long that call took, measured by the lab around it (ms; the control API's round trip included, a few ms
   * on processes). Undefined when the last answer came from a step that retries (`… answers '…'`).
   */
  lastAnswerMs?: number;

  answer(): CallResult {
    if (!this.lastAnswer) throw new Error("no call has been made in this scenario: `When process … calls service …`");
    return this.lastAnswer;
  }

  /** Fails unless the last call (`When process … calls service …`) was answered within `ms`, whatever it answered. */
  answerCameWithin(ms: number): void {
    const answer = this.answer();
    if (this.lastAnswerMs === undefined)
      throw new Error(
        "the last answer came from a step that retries until it holds, so it has no single duration; " +
          "time one call with `When process … calls service … with method … and arguments …`",
      );
    if (this.lastAnswerMs > ms)
      throw new L.ExpectationError(
        `the answer came after ${Math.round(this.lastAnswerMs)} ms, not within ${ms} ms; it was ` +
          JSON.stringify(answer.outcome),
        `${Math.round(this.lastAnswerMs)} ms`,
      );
  }

  wait(ms: number): Promise<void> {
    return pause(ms);
  }

  // ── evidence ──────────────────────────────────────────────────────────────────────────────────────────────
  /** The scenario's history so far, with every event the machines logged pulled first. */
  async recordedHistory(): Promise<evidence.ScenarioHistory> {
    if (this.started) await this.started.drainEvents();
    return this.recorder!.history();
  }

  /**
   * Waits until `problem` finds none, or until `withinMs` after `since` (scenario ms) has passed and the calls begun
   * by then have settled; then fails with the last problem found.
   */
  async untilRecovered(
    since: number,
    withinMs: number,
    problem: (h: evidence.ScenarioHistory) => string | undefined,
  ): Promise<void> {
    const settleMs = this.lab.plan.timing.requestTimeoutMs + 1000;
    for (;;) {
      const last = problem(await this.recordedHistory());
      if (last === undefined) return;
      if (this.recorder!.now() > since + withinMs + settleMs) throw new L.ExpectationError(last);
      await pause(POLL_MS);
    }
  }

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
      await this.started.workloads.stop().catch(() => {});
      await this.started.drainEvents().catch(() => {});
      this.offListener?.();
      await this.started.stop().catch((err: unknown) => (stopError = err));
    }
    const results = this.recorder!.check();
    const failed = results.filter((r) => r.status !== "passed");
    const refused = this.recorder!.refused;
    const clean = stepsPassed && !failed.length && !stopError && !refused.length;
    const keepLogs = !clean || !!process.env.EXLAB_KEEP_LOGS;
    if (this.started && !keepLogs) await this.started.discardLogs();
    const logsDir = this.started && keepLogs ? { logsDir: this.started.runDir } : {};
    await this.attach(JSON.stringify({ ...this.recorder!.history(), ...logsDir }), evidence.HISTORY_MEDIA_TYPE);
    if (failed.length) throw new Error(`invariants violated:\n${evidence.summarizeChecks(failed)}`);
    if (stopError) throw stopError;
    if (refused.length) throw new Error(`the recorder refused ${refused.length} event(s); first: ${refused[0]}`);
  }
}
