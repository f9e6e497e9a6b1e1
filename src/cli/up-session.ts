import { messageOf } from "../common";
import { join, resolve } from "node:path";
import { Recorder, sessionReport, summarizePlan, writeRunReport, type WrittenReport } from "../evidence";
import type { Lab, StartedLab } from "../lab";
import { execute } from "./console";

/** The keyword console commands carry in the report: they read as typed. */
const PROMPT = "exlab> ";

/** reports/up-<UTC time>, relative to `cwd`. */
export function defaultUpReportDir(cwd: string, now = new Date()): string {
  return resolve(cwd, join("reports", `up-${now.toISOString().replace(/[:.]/g, "-").slice(0, 19)}`));
}

/**
 * One `exlab up` session as evidence: the lab's events and each console command (a step with its status) on one
 * recorder, from before the lab starts. `finish` stops the lab, checks the invariants over the history and writes
 * the same report as `exlab run` (one scenario named after the topology).
 */
export class UpSession {
  readonly recorder: Recorder;
  private started?: StartedLab;
  private detach?: () => void;

  constructor(
    private readonly lab: Lab,
    driver: string,
  ) {
    this.recorder = new Recorder({
      topology: summarizePlan(lab.plan),
      runId: lab.runId,
      feature: "exlab up",
      scenario: lab.plan.name,
      driver,
    });
  }

  /** Starts the lab (recorded as a first step) and records everything it tells from then on. */
  async start(): Promise<StartedLab> {
    const startedAt = this.recorder.now();
    this.started = await this.lab.start();
    this.detach = this.recorder.attach(this.started);
    this.recorder.step({
      keyword: "Given ",
      text: `the topology "${this.lab.plan.name}" is running`,
      status: "passed",
      startedAt,
      durationMs: this.recorder.now() - startedAt,
    });
    return this.started;
  }

  /** Runs one console line (see console.ts), recorded as a step unless it is empty or ends the session. */
  async execute(line: string): Promise<string | "quit"> {
    const lab = this.started;
    if (!lab) throw new Error("the lab is not running");
    const text = line.trim();
    const startedAt = this.recorder.now();
    const step = (status: "passed" | "failed", error?: string) =>
      this.recorder.step({
        keyword: PROMPT,
        text,
        status,
        startedAt,
        durationMs: this.recorder.now() - startedAt,
        ...(error !== undefined ? { error } : {}),
      });
    try {
      const out = await execute(lab, line);
      if (text && out !== "quit") step("passed");
      return out;
    } catch (err) {
      step("failed", messageOf(err));
      throw err;
    }
  }

  /**
   * Pulls the last events, stops the lab, checks the invariants and writes index.html and junit.xml into `dir`.
   * The lab's logs stay where they are; the report says where. A failure to stop is returned, not thrown.
   */
  async finish(dir: string): Promise<SessionEnd> {
    const lab = this.started;
    let stopError: unknown;
    if (lab) {
      await lab.drainEvents().catch(() => {});
      this.detach?.();
      await lab.stop().catch((err: unknown) => (stopError = err));
    }
    this.recorder.check();
    const history = { ...this.recorder.history(), ...(lab ? { logsDir: lab.runDir } : {}) };
    const run = sessionReport(history, Date.now());
    const written = await writeRunReport(dir, run);
    return {
      written,
      verdict: run.scenarios[0].verdict,
      refused: [...this.recorder.refused],
      ...(stopError !== undefined ? { stopError } : {}),
    };
  }
}

export interface SessionEnd {
  written: WrittenReport;
  /** "failed" when a command failed or an invariant was violated. */
  verdict: "passed" | "failed" | "skipped";
  /** Why lab events were not recorded, if some were not. */
  refused: string[];
  /** What `StartedLab.stop()` threw, if it did. */
  stopError?: unknown;
}
