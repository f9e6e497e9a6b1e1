import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { readRunReport, type ScenarioReport } from "../../evidence";
import { packageRoot } from "../../runs";

/** Runs one feature (or `feature:line`) as a user would, `exlab run … --report <dir>`; its only scenario's report. */
export type ScenarioRunner = (feature: string, reportDir: string) => Promise<ScenarioReport>;

/**
 * The runner a shrink uses: `exlab run` in a child process (its own labs, its own cleanup) from `cwd`, with the
 * driver and seed given, its output kept in `<reportDir>.log`.
 */
export function exlabRunner(o: {
  cwd: string;
  driver?: string;
  seed?: number;
  env?: NodeJS.ProcessEnv;
}): ScenarioRunner {
  return async (feature, reportDir) => {
    const args = [join(packageRoot(), "bin", "exlab.js"), "run", feature, "--report", reportDir];
    if (o.driver) args.push("--driver", o.driver);
    if (o.seed !== undefined) args.push("--seed", String(o.seed));
    const log = `${reportDir}.log`;
    mkdirSync(dirname(log), { recursive: true });
    const env = { ...(o.env ?? process.env) };
    delete env.EXLAB_COUNTS_DIR;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(log);
      const child = spawn(process.execPath, args, { cwd: o.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
      child.on("error", reject);
      child.on("close", () => out.end(resolve));
    });
    if (!existsSync(join(reportDir, "report.json")))
      throw new Error(`exlab run ${feature} wrote no report (its output: ${log})`);
    const run = await readRunReport(reportDir);
    const ran = run.scenarios.filter((s) => s.verdict !== "skipped");
    if (ran.length !== 1)
      throw new Error(`exlab run ${feature} ran ${ran.length} scenarios, not one (its output: ${log})`);
    return ran[0];
  };
}
