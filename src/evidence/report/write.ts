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

/** Writes `index.html`, `junit.xml` and `report.json` into `dir` (created if needed). */
export async function writeRunReport(dir: string, run: RunReport): Promise<WrittenReport> {
  const abs = path.resolve(dir);
  const html = path.join(abs, "index.html");
  const junit = path.join(abs, "junit.xml");
  const json = path.join(abs, REPORT_JSON);
  try {
    await mkdir(abs, { recursive: true });
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
