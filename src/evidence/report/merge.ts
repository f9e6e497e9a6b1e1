import { readFile } from "node:fs/promises";
import path from "node:path";
import { BadHistoryError } from "../errors";
import type { RunReport, ScenarioReport } from "./types";
import { REPORT_JSON } from "./write";

/** Reads the run report a report folder holds (`report.json`, written beside index.html and junit.xml). */
export async function readRunReport(dir: string): Promise<RunReport> {
  const file = path.join(path.resolve(dir), REPORT_JSON);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new BadHistoryError(`${file} cannot be read: is ${dir} the report folder of an exlab run?`, { cause: err });
  }
  const run = JSON.parse(text) as RunReport;
  if (!Array.isArray(run.scenarios)) throw new BadHistoryError(`${file} holds no run report (no scenarios)`);
  return run;
}

const key = (s: ScenarioReport) => `${s.uri ?? s.feature}:${s.line ?? ""}:${s.name}`;

/**
 * One run out of several (the shards of one suite, run on several CI machines): every scenario once, in feature
 * order, the earliest start and the latest finish. A scenario found in two reports keeps its later run.
 */
export function mergeRunReports(runs: readonly RunReport[]): RunReport {
  if (!runs.length) throw new BadHistoryError("no run reports to merge");
  const scenarios = new Map<string, ScenarioReport>();
  for (const run of [...runs].sort((a, b) => a.startedAt - b.startedAt)) {
    for (const s of run.scenarios) scenarios.set(key(s), s);
  }
  const drivers = [...new Set(runs.map((r) => r.driver).filter(Boolean))];
  return {
    runId: [...new Set(runs.map((r) => r.runId))].join("+"),
    startedAt: Math.min(...runs.map((r) => r.startedAt)),
    finishedAt: Math.max(...runs.map((r) => r.finishedAt)),
    ...(drivers.length ? { driver: drivers.join(", ") } : {}),
    scenarios: [...scenarios.values()].sort(
      (a, b) => (a.uri ?? a.feature).localeCompare(b.uri ?? b.feature) || (a.line ?? 0) - (b.line ?? 0),
    ),
  };
}
