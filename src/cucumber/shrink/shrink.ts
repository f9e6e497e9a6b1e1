import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { faultsBegun, keepFaults, replaySteps } from "../../lab";
import type { ScenarioReport } from "../../evidence";
import { replayFeature, schedulesOf } from "../formatter/replay";
import { ddmin, type Outcome } from "./ddmin";
import { describeFailure, failureOf, sameFailure, type Failure } from "./failure";
import type { ScenarioRunner } from "./run-candidate";

export interface ShrinkOptions {
  /** The failing scenario, from a report (`exlab run`'s) or as run just now from `feature:line`. */
  scenario: ScenarioReport;
  /** Where candidates, their reports and the result go. */
  workDir: string;
  /** Where the minimal scenario is written. @default <workDir>/minimal.feature */
  out?: string;
  /** Stop shrinking after this long (ms); the smallest failing scenario found so far is written. */
  budgetMs: number;
  run: ScenarioRunner;
  stdout: Writable;
  /** @default Date.now */
  now?: () => number;
}

export type ShrinkResult =
  | { status: "passed" }
  | { status: "no schedule" }
  | { status: "flaky"; failure: Failure; again?: Failure; runs: number }
  | {
      status: "shrunk";
      failure: Failure;
      file: string;
      /** Faults before and after, as `<step index>:<fault number>`. */
      before: string[];
      kept: string[];
      /** No single fault kept can be left out (false when the budget ran out first). */
      minimal: boolean;
      runs: number;
    };

const itemOf = (step: number, fault: number) => `${step}:${fault}`;

/**
 * Shrinks a failing scenario's random fault schedules (README "exlab shrink"): replays its realized schedule as
 * named steps to see the failure come back (else it is flaky, and nothing is shrunk), then delta-debugs the list of
 * faults — each candidate keeps the faults' relative timing — until no fault can be left out without the failure
 * (the same failing step, or an invariant in common) going away, or the budget is spent. Writes the smallest failing
 * scenario found.
 */
export async function shrinkScenario(o: ShrinkOptions): Promise<ShrinkResult> {
  const now = o.now ?? Date.now;
  const started = now();
  const say = (line: string) => o.stdout.write(`${line}\n`);
  const failure = failureOf(o.scenario);
  if (!failure) return { status: "passed" };
  const schedules = schedulesOf(o.scenario.history);
  if (schedules.size === 0) return { status: "no schedule" };
  const all = [...schedules].flatMap(([step, s]) => faultsBegun(s.actions).map((n) => itemOf(step, n)));
  const scheduleTexts = new Set(
    [...schedules.values()].flatMap((s) => replaySteps(s.actions, s.settings).map((r) => r.text)),
  );
  mkdirSync(o.workDir, { recursive: true });
  say(`shrink: ${o.scenario.name}: ${describeFailure(failure)}; ${all.length} fault(s) to shrink`);

  let runs = 0;
  let smallest = all.length;
  const candidate = (items: readonly string[]) =>
    replayFeature(
      o.scenario,
      (s) =>
        keepFaults(
          s.actions,
          items.filter((i) => i.startsWith(`${s.step.index}:`)).map((i) => Number(i.split(":")[1])),
        ),
      `shrunk to ${items.length} of ${all.length} fault(s)`,
    )!;
  const attempt = async (items: string[]): Promise<{ outcome: Outcome; failure?: Failure }> => {
    if (now() - started > o.budgetMs) return { outcome: "out of time" };
    runs++;
    const name = `candidate-${String(runs).padStart(2, "0")}`;
    const file = join(o.workDir, `${name}.feature`);
    writeFileSync(file, candidate(items));
    const t0 = now();
    const report = await o.run(file, join(o.workDir, name));
    const again = failureOf(report, scheduleTexts);
    const fails = sameFailure(failure, again);
    if (fails) smallest = Math.min(smallest, items.length);
    say(
      `shrink: run ${runs} · ${items.length} of ${all.length} fault(s) · ${fails ? "fails the same way" : again ? `fails otherwise (${describeFailure(again)})` : "passes"}` +
        ` · ${secs(now() - t0)} · ${secs(now() - started)} of ${secs(o.budgetMs)} · smallest so far ${smallest}`,
    );
    return { outcome: fails ? "fails" : "passes", ...(again ? { failure: again } : {}) };
  };

  const first = await attempt(all);
  if (first.outcome !== "fails")
    return { status: "flaky", failure, ...(first.failure ? { again: first.failure } : {}), runs };
  const result = await ddmin(all, async (items) => (await attempt(items)).outcome);
  // ddmin only ever narrows to subsets that failed: its result is the smallest failing scenario found.
  const file = resolve(o.out ?? join(o.workDir, "minimal.feature"));
  writeFileSync(file, candidate(result.items));
  return { status: "shrunk", failure, file, before: all, kept: result.items, minimal: result.minimal, runs };
}

const secs = (ms: number) =>
  ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s`;

/** A work folder name for a scenario. */
export function shrinkFolderName(s: ScenarioReport): string {
  return `shrink-${basename(s.uri ?? "scenario").replace(/\.feature$/, "")}-${s.line ?? 0}`;
}
