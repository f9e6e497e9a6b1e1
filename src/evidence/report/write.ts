import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ReportWriteError } from "../errors";
import { renderRunHtml } from "./html";
import { renderJunit } from "./junit";
import type { RunReport } from "./types";
import { messageOf } from "../../common";

export interface WrittenReport {
  dir: string;
  html: string;
  junit: string;
  /** The run report as data (`report.json`): what `exlab merge-reports` joins. */
  json: string;
}

/** The file of a report folder that holds the run as data. */
export const REPORT_JSON = "report.json";

/** The folder of a report where the replays of random fault schedules go. */
export const REPLAYS_DIR = "replays";

/** Writes each scenario's replay (`replays/<n>-<name>.feature`) and returns the run with their file names. */
async function writeReplays(dir: string, run: RunReport): Promise<RunReport> {
  if (!run.scenarios.some((s) => s.replay)) return run;
  await mkdir(path.join(dir, REPLAYS_DIR), { recursive: true });
  const scenarios = await Promise.all(
    run.scenarios.map(async (s, i) => {
      if (!s.replay) return s;
      const slug =
        s.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "")
          .slice(0, 60) || "scenario";
      const file = path.posix.join(REPLAYS_DIR, `${String(i + 1).padStart(2, "0")}-${slug}.feature`);
      await writeFile(path.join(dir, file), s.replay.text, "utf8");
      return { ...s, replay: { ...s.replay, file } };
    }),
  );
  return { ...run, scenarios };
}

/** Writes `index.html`, `junit.xml` and `report.json` into `dir` (created if needed). */
export async function writeRunReport(dir: string, input: RunReport): Promise<WrittenReport> {
  const abs = path.resolve(dir);
  const html = path.join(abs, "index.html");
  const junit = path.join(abs, "junit.xml");
  const json = path.join(abs, REPORT_JSON);
  let run = input;
  try {
    await mkdir(abs, { recursive: true });
    run = await writeReplays(abs, run);
    await writeFile(html, renderRunHtml(run), "utf8");
    await writeFile(junit, renderJunit(run), "utf8");
    await writeFile(json, JSON.stringify(run), "utf8");
  } catch (err) {
    throw new ReportWriteError(
      `Could not write the run report into ${abs}: ${messageOf(err)}. Check that the directory is writable or pass another reportDir.`,
      { cause: err },
    );
  }
  return { dir: abs, html, junit, json };
}
