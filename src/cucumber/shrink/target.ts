import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { readRunReport, type ScenarioReport } from "../../evidence";
import { schedulesOf } from "../formatter/replay";
import type { ScenarioRunner } from "./run-candidate";
import { shrinkFolderName } from "./shrink";

/** What `exlab shrink` works on: the failing scenario and the folder its candidates go to. */
export interface ShrinkTarget {
  scenario: ScenarioReport;
  workDir: string;
  /** Other failing scenarios with a random schedule in the report, not chosen. */
  others: string[];
}

const FEATURE_LINE = /^(.*\.feature):(\d+)$/;

/**
 * The scenario a shrink starts from: `feature:line` is run once now (with `run`, so with the given seed), into
 * `reports/<shrink…>/original`; a report folder (or its report.json) gives its first failing scenario that ran a
 * random schedule — the first whose name matches `name`, when given.
 */
export async function shrinkTarget(
  target: string,
  o: { cwd: string; run: ScenarioRunner; name?: RegExp; stamp: string },
): Promise<ShrinkTarget> {
  const m = FEATURE_LINE.exec(target);
  if (m) {
    if (!existsSync(resolve(o.cwd, m[1]))) throw new Error(`${m[1]}: no such feature file`);
    const workDir = resolve(o.cwd, "reports", `shrink-${basename(m[1], ".feature")}-${m[2]}-${o.stamp}`);
    const scenario = await o.run(target, join(workDir, "original"));
    return { scenario, workDir, others: [] };
  }
  const abs = resolve(o.cwd, target);
  if (!existsSync(abs))
    throw new Error(
      `${target}: neither a report folder (or its report.json) nor feature:line (e.g. features/x.feature:12)`,
    );
  const dir = statSync(abs).isDirectory() ? abs : dirname(abs);
  const run = await readRunReport(dir);
  const random = run.scenarios.filter((s) => schedulesOf(s.history).size > 0);
  const failing = random.filter((s) => s.verdict === "failed" && (!o.name || o.name.test(s.name)));
  if (failing.length === 0)
    throw new Error(
      random.length
        ? `no failing scenario with random faults in ${dir}${o.name ? ` whose name matches ${o.name}` : ""}: ${random.map((s) => `"${s.name}" ${s.verdict}`).join(", ")}`
        : `no scenario in ${dir} ran random faults (When random faults strike for …)`,
    );
  const [scenario, ...rest] = failing;
  return { scenario, workDir: join(dir, shrinkFolderName(scenario)), others: rest.map((s) => s.name) };
}
