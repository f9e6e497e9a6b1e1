import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { runFeatures } from "../../cucumber";
import { driverOptionHelp, driversHelp } from "../../drivers";
import { seedOf } from "./seed";
import { setExit } from "../exit";

interface RunOptions {
  driver?: string;
  tags?: string;
  name?: string[];
  profile?: string[];
  parallel?: string;
  failFast?: boolean;
  dryRun?: boolean;
  format?: string[];
  shard?: string;
  report?: string;
  seed?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A CI's suite counts (`EXLAB_COUNTS_DIR`, set by this repository's test scripts): `<dir>/<suite>.json`. */
function writeCounts(dir: string, suite: string, passed: number, failed: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${suite}.json`), `${JSON.stringify({ passed, failed })}\n`);
}

function parallelOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--parallel takes a whole number of workers, not "${value}"`);
  return n;
}

function shardOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    throw new Error(`--shard takes i/n with 1 ≤ i ≤ n (e.g. 2/4), not "${value}"`);
  }
  return value;
}

/** `exlab run [paths…]`: the project's (or given) features on one driver, with the evidence report. */
export const registerRun = (program: Command): void => {
  program
    .command("run")
    .description("run Gherkin features against real machines, with fault proxies on every cross-machine link")
    .argument("[paths...]", "feature files or folders (default: features/ of this project, else the bundled ones)")
    .option("--driver <name>", driverOptionHelp())
    .option("--tags <expr>", "only scenarios matching this cucumber tag expression")
    .option("--name <regexp>", "only scenarios whose name matches (repeatable)", collect)
    .option("--profile <name>", "a profile of the project's cucumber configuration (repeatable)", collect)
    .option("--parallel <n>", "run n scenarios at once, each with its own lab, subnet and proxies")
    .option("--fail-fast", "stop at the first failing scenario; the rest are skipped")
    .option("--dry-run", "check that every step is defined; start nothing")
    .option("--format <name[:path]>", "another cucumber formatter; without a path it replaces the progress", collect)
    .option("--shard <i/n>", "run only shard i of n (a deterministic split for several CI machines)")
    .option("--seed <n>", "the seed of random fault schedules whose step names none (replays a printed one)")
    .option("--report <dir>", "where the HTML/JUnit report goes (default: reports/<driver>-<time>-<id>)")
    .addHelpText("after", driversHelp)
    .action(async (paths: string[], options: RunOptions) => {
      const result = await runFeatures({
        paths,
        driver: options.driver,
        tags: options.tags,
        name: options.name,
        profiles: options.profile,
        parallel: parallelOf(options.parallel),
        failFast: options.failFast,
        dryRun: options.dryRun,
        format: options.format,
        shard: shardOf(options.shard),
        reportDir: options.report,
        seed: seedOf(options.seed),
      });
      const counts = process.env.EXLAB_COUNTS_DIR;
      const suite = process.env.EXLAB_COUNTS_NAME ?? `features-${result.driver}`;
      if (counts) writeCounts(counts, suite, result.passed, result.failed);
      if (result.stepProblems.length) {
        setExit(1);
        return;
      }
      if (options.dryRun) {
        setExit(result.success ? 0 : 1);
        return;
      }
      const skipped = result.skipped ? `, ${result.skipped} skipped` : "";
      process.stdout.write(
        `exlab run (${result.driver}): ${result.passed} passed, ${result.failed} failed${skipped}; report in ${result.reportDir}\n`,
      );
      setExit(result.interrupted ? 130 : result.success && result.failed === 0 ? 0 : 1);
    });
};
