import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { PassThrough, type Writable } from "node:stream";
import type { Envelope } from "@cucumber/messages";
import { driverNameFrom, driverTagExpression, type DriverName } from "../drivers";
import { projectLayout, type ProjectLayout } from "../project";
import { stopAllLabs } from "../runs";
import { PROGRESS_FORMATTER, REPORT_FORMATTER } from "./formatter/paths";
import { interruptedBy } from "./interrupt";
import { formatStepProblems, StepChecker, type StepProblem } from "./step-check";

/** Options of a features run (what `exlab run` passes). */
export interface RunFeaturesOptions {
  /** Feature files or folders. @default the project's features/, else the bundled ones */
  paths?: string[];
  /** @default $LAB_DRIVER or "processes" */
  driver?: string;
  /** A cucumber tag expression, combined with the driver's own filter and the configuration's. */
  tags?: string;
  /** Only scenarios whose name matches one of these regular expressions (cucumber's `--name`). */
  name?: string[];
  /** Profiles of the project's cucumber configuration. @default cucumber's ("default" when there is one) */
  profiles?: string[];
  /** Workers running scenarios at once, each scenario with its own lab, subnet and proxies. @default 0 (serial) */
  parallel?: number;
  /** Stop after the first failing scenario (the rest are skipped). */
  failFast?: boolean;
  /** Check that every step is defined, start nothing. */
  dryRun?: boolean;
  /** More cucumber formatters (`name` or `name:path`); one without a path replaces the console progress. */
  format?: string[];
  /** Run only shard `i/n` of the scenarios (a deterministic split across CI machines). */
  shard?: string;
  /** The seed of random fault schedules whose step names none. @default a fresh one per schedule */
  seed?: number;
  /** Where the evidence report goes. @default reports/<driver>-<time>-<random>, and reports/latest leads to it */
  reportDir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: Writable;
  stderr?: Writable;
}

export interface RunFeaturesResult {
  success: boolean;
  passed: number;
  failed: number;
  skipped: number;
  driver: DriverName;
  reportDir: string;
  /** Steps no definition matches, or several do: the run stopped before anything started. */
  stepProblems: StepProblem[];
  /** The signal that interrupted the run, if one did. */
  interrupted?: string;
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
function formats(reportDir: string, extra: readonly string[]): { stdout: string; files: Record<string, string> } {
  const files: Record<string, string> = {
    [join(reportDir, "formatter.log")]: REPORT_FORMATTER,
    [join(reportDir, "messages.ndjson")]: "message",
  };
  let stdout = PROGRESS_FORMATTER;
  for (const f of extra) {
    const at = f.search(/:(?![\\/])/);
    if (at > 0) files[resolve(f.slice(at + 1))] = f.slice(0, at);
    else stdout = f;
  }
  return { stdout, files };
}

/** A folder of its own for every run, even two started in the same second. */
export function newReportDir(cwd: string, driver: string, now = new Date(), random = randomBytes(2)): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return resolve(cwd, "reports", `${driver}-${stamp}-${random.toString("hex")}`);
}

/** reports/latest → the newest run's folder (replaced atomically; where links cannot be made, nothing). */
function linkLatest(reportDir: string): void {
  const link = join(dirname(reportDir), "latest");
  const temp = `${link}.${process.pid}.tmp`;
  try {
    rmSync(temp, { force: true });
    symlinkSync(relative(dirname(reportDir), reportDir), temp, "dir");
    renameSync(temp, link);
  } catch {
    rmSync(temp, { force: true });
  }
}

const unique = (xs: readonly string[]) => [...new Set(xs)];
const BUNDLED_STEPS = join(__dirname, "steps", "index.js");
const TS_REGISTER = join(__dirname, "ts-register.js");

/**
 * Runs a project's features with cucumber-js: the project's cucumber configuration (profiles, cucumber.js or
 * cucumber.json…) and own steps beside the bundled ones, the driver's tag filter, the evidence formatters. A dry
 * run first checks that every step is defined, so an undefined or ambiguous step fails before any machine starts.
 */
export async function runFeatures(options: RunFeaturesOptions = {}): Promise<RunFeaturesResult> {
  const { loadConfiguration, loadSupport, runCucumber } = await import("@cucumber/cucumber/api");
  const env = options.env ?? process.env;
  const driver = driverNameFrom(options.driver ?? env.LAB_DRIVER);
  const cwd = resolve(options.cwd ?? process.cwd());
  const layout = projectLayout(cwd);
  const reportDir = options.reportDir ? resolve(cwd, options.reportDir) : newReportDir(cwd, driver);
  const stdout = options.stdout ?? process.stdout;
  const environment = { cwd, env: { ...env, LAB_DRIVER: driver }, stdout, stderr: options.stderr ?? process.stderr };
  const { useConfiguration, runConfiguration } = await loadConfiguration(
    {
      file: layout.configFile ?? false,
      ...(options.profiles?.length ? { profiles: options.profiles } : {}),
      provided: {
        tags: driverTagExpression(driver, options.tags),
        ...(options.name?.length ? { name: options.name } : {}),
        ...(options.failFast ? { failFast: true } : {}),
        ...(options.parallel ? { parallel: options.parallel } : {}),
        ...(options.shard ? { shard: options.shard } : {}),
        formatOptions: { exlab: { reportDir, driver } },
        worldParameters: {
          driver,
          topologiesDirs: layout.topologiesDirs,
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
        },
      },
    },
    environment,
  );
  const rc = runConfiguration;
  rc.sources.paths = options.paths?.length
    ? options.paths.map((p) => resolve(cwd, p))
    : useConfiguration.paths.length
      ? rc.sources.paths
      : layout.features;
  supportOf(rc.support, layout, useConfiguration.require.length + useConfiguration.import.length > 0);
  rc.formats = { ...rc.formats, ...formats(reportDir, options.format ?? []) };

  const support = await loadSupport(rc, environment);
  const checker = new StepChecker();
  const quiet = new PassThrough().resume();
  await runCucumber(
    {
      ...rc,
      support,
      runtime: { ...rc.runtime, dryRun: true, parallel: 0 },
      formats: { ...rc.formats, stdout: "summary", files: {} },
    },
    { ...environment, stdout: quiet },
    (m) => checker.onMessage(m),
  );
  const problems = checker.result();
  const base = { driver, reportDir, stepProblems: problems, passed: 0, failed: 0, skipped: 0 };
  if (problems.length) {
    environment.stderr.write(`${formatStepProblems(problems)}\nexlab: nothing was started.\n`);
    return { ...base, success: false, failed: problems.length };
  }
  if (options.dryRun) {
    stdout.write("dry run: every step is defined; nothing was started\n");
    return { ...base, success: true };
  }
  mkdirSync(reportDir, { recursive: true });
  if (!options.reportDir) linkLatest(reportDir);
  const counter = new ScenarioCounter();
  let result: { success: boolean };
  try {
    // The library loaded for the dry run serves the real one too (parallel workers load their own from it).
    result = await runCucumber({ ...rc, support }, environment, (m) => counter.onMessage(m));
  } finally {
    await stopAllLabs();
  }
  const interrupted = interruptedBy();
  return {
    ...base,
    success: result.success && !interrupted,
    ...counter.counts(),
    ...(interrupted ? { interrupted } : {}),
  };
}

/** The bundled steps always; the project's own steps unless its configuration names its support code itself. */
function supportOf(
  support: { requireModules?: string[]; requirePaths?: string[]; importPaths?: string[] },
  layout: ProjectLayout,
  configured: boolean,
): void {
  const own = configured ? { javascript: [], typescript: [] } : layout.support;
  support.requirePaths = unique([BUNDLED_STEPS, ...(support.requirePaths ?? []), ...own.typescript]);
  support.importPaths = unique([...(support.importPaths ?? []), ...own.javascript]);
  const modules = support.requireModules ?? [];
  const typescript = support.requirePaths.some((p) => /\.(c|m)?ts$/.test(p));
  // A project that registers a TypeScript loader itself keeps it; otherwise ts-node with the pinned TypeScript.
  support.requireModules = typescript && !modules.length ? [TS_REGISTER] : modules;
}
