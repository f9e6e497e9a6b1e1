import path from "node:path";

/** Options under `formatOptions.exlab`, shared by the report and progress formatters. */
export interface ExlabFormatOptions {
  /** Where the run report goes; relative to cucumber's cwd. @default reports/<runId> */
  reportDir?: string;
  /** @default runId of the first attached history, else "run-<UTC date>-<time>" of the test run start */
  runId?: string;
  /** Shown in the report. @default $LAB_DRIVER, else the histories' driver */
  driver?: string;
  /** Non-TTY progress: print "still running" for a step every this many ms. @default 15000 */
  heartbeatMs?: number;
}

export function exlabOptions(parsed: Record<string, unknown> | undefined): ExlabFormatOptions | undefined {
  const o = parsed?.exlab;
  return o && typeof o === "object" ? (o as ExlabFormatOptions) : undefined;
}

/** run-20240501-130502-123 (UTC), from the test run's start. */
export function defaultRunId(startedAt: number): string {
  const iso = new Date(startedAt).toISOString();
  return `run-${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}-${iso.slice(20, 23)}`;
}

export function resolveReportDir(cwd: string, o: ExlabFormatOptions | undefined, runId: string): string {
  return path.resolve(cwd, o?.reportDir ?? path.join("reports", runId));
}
