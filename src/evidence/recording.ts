import type { StartedLab } from "../lab";
import { summarizeChecks } from "./checkers";
import type { CheckResult, ScenarioHistory } from "./history";
import { Recorder } from "./recorder";
import { summarizePlan } from "./summary";

/** A started lab's history, recorded for a test runner other than Cucumber (node:test, mocha, jest, vitest). */
export interface LabRecording {
  readonly recorder: Recorder;
  /** The history so far (after the events the machines still held have been pulled). */
  history(): Promise<ScenarioHistory>;
  /** Runs every invariant checker over the history so far. */
  check(): Promise<CheckResult[]>;
  /** Like `check`, but throws an error naming every violated invariant and its events. */
  assertInvariants(): Promise<void>;
  /** Stops following the lab (the history stays). */
  detach(): void;
}

/**
 * Records a started lab: what it reported so far, then every event until `detach()` or the lab stops, so that a
 * test can end with `await recording.assertInvariants()`, the library's "Then every invariant holds".
 */
export function recordLab(lab: StartedLab, options: { name?: string } = {}): LabRecording {
  const name = options.name ?? lab.plan.name;
  const recorder = new Recorder({
    topology: summarizePlan(lab.plan),
    runId: lab.runId,
    feature: "library",
    scenario: name,
    driver: lab.driver,
  });
  const detach = recorder.attach(lab);
  const pulled = async () => {
    await lab.drainEvents().catch(() => {});
  };
  return {
    recorder,
    detach,
    async history() {
      await pulled();
      return recorder.history();
    },
    async check() {
      await pulled();
      return recorder.check();
    },
    async assertInvariants() {
      await pulled();
      const failed = recorder.check().filter((r) => r.status !== "passed");
      if (failed.length) throw new Error(`invariants violated:\n${summarizeChecks(failed)}`);
      if (recorder.refused.length) throw new Error(`events not recorded: ${recorder.refused.join("; ")}`);
    },
  };
}
