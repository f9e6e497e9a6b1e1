import { join, resolve } from "node:path";
import { existsSync } from "node:fs";
import type { Envelope } from "@cucumber/messages";
import { driverNameFrom, driverTagExpression, type DriverName } from "../drivers";
import { stopAllLabs } from "../runs";
import { PROGRESS_FORMATTER, REPORT_FORMATTER } from "./formatter/paths";
import { packageRoot } from "../runs";

/** Options of a features run (what `exlab run` passes). */
export interface RunFeaturesOptions {
  /** Feature files or folders. @default ["features"] (of the working directory, else of the package) */
  paths?: string[];
  /** @default $LAB_DRIVER or "processes" */
  driver?: string;
  /** A cucumber tag expression, combined with the driver's own filter. */
  tags?: string;
  /** Where the evidence report goes. @default reports/<driver>-<time> */
  reportDir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: import("node:stream").Writable;
  stderr?: import("node:stream").Writable;
}

export interface RunFeaturesResult {
  success: boolean;
  passed: number;
  failed: number;
  skipped: number;
  driver: DriverName;
  reportDir: string;
}

/** The filter of scenarios tagged for other drivers (drivers/tags.ts; cucumber.js uses it too). */
export { driverTagExpression };

/** Scenario verdicts from cucumber's message stream: a scenario fails if any of its steps did not pass or skip. */
export class ScenarioCounter {
  private readonly status = new Map<string, "passed" | "failed" | "skipped">();
  private readonly retried = new Set<string>();

  onMessage(m: Envelope): void {
    if (m.testCaseStarted) this.status.set(m.testCaseStarted.id, "passed");
    if (m.testStepFinished) {
      const id = m.testStepFinished.testCaseStartedId;
      const s = m.testStepFinished.testStepResult.status;
      if (s === "SKIPPED") {
        if (this.status.get(id) === "passed") this.status.set(id, "skipped");
      } else if (s !== "PASSED") this.status.set(id, "failed");
    }
    if (m.testCaseFinished?.willBeRetried) this.retried.add(m.testCaseFinished.testCaseStartedId);
  }

  counts(): { passed: number; failed: number; skipped: number } {
    const c = { passed: 0, failed: 0, skipped: 0 };
    for (const [id, s] of this.status) if (!this.retried.has(id)) c[s]++;
    return c;
  }
}

/** Console progress, the evidence report (index.html + junit.xml in reportDir), cucumber's message stream. */
function evidenceFormatters(reportDir: string): [string, string?][] {
  return [
    [PROGRESS_FORMATTER],
    [REPORT_FORMATTER, join(reportDir, "formatter.log")],
    ["message", join(reportDir, "messages.ndjson")],
  ];
}

/** Runs features with cucumber-js (configuration from cucumber.js of the package) and the evidence formatters. */
export async function runFeatures(options: RunFeaturesOptions = {}): Promise<RunFeaturesResult> {
  const { loadConfiguration, runCucumber } = await import("@cucumber/cucumber/api");
  const env = options.env ?? process.env;
  const driver = driverNameFrom(options.driver ?? env.LAB_DRIVER);
  const root = packageRoot();
  const cwd = options.cwd ?? process.cwd();
  const defaultPaths = existsSync(join(cwd, "features")) ? [join(cwd, "features")] : [join(root, "features")];
  const paths = (options.paths?.length ? options.paths : defaultPaths).map((p) => resolve(cwd, p));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const reportDir = resolve(cwd, options.reportDir ?? join("reports", `${driver}-${stamp}`));
  const environment = {
    cwd: root,
    env: { ...env, LAB_DRIVER: driver },
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
  };
  const { runConfiguration } = await loadConfiguration(
    {
      file: "cucumber.js",
      profiles: ["lab"],
      provided: {
        paths,
        tags: driverTagExpression(driver, options.tags),
        format: evidenceFormatters(reportDir),
        formatOptions: { exlab: { reportDir, driver } },
        worldParameters: {
          driver,
          topologiesDir: existsSync(join(cwd, "topologies")) ? join(cwd, "topologies") : join(root, "topologies"),
        },
      },
    },
    environment,
  );
  const counter = new ScenarioCounter();
  let result: { success: boolean };
  try {
    result = await runCucumber(runConfiguration, environment, (m) => counter.onMessage(m));
  } finally {
    await stopAllLabs();
  }
  return { success: result.success, ...counter.counts(), driver, reportDir };
}
