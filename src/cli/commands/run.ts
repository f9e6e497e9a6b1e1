import type { Command } from "commander";
import { runFeatures } from "../../cucumber";
import { driverOptionHelp, driversHelp } from "../../drivers";
import { setExit } from "../exit";

interface RunOptions {
  driver?: string;
  tags?: string;
  report?: string;
}

/** Writes reports/counts/features-<driver>.json with the lead's counts helper (scripts/counts.js). */
function writeCounts(suite: string, passed: number, failed: number): void {
  const { writeCounts: write } = require("../../../scripts/counts") as {
    writeCounts(s: string, p: number, f: number): void;
  };
  write(suite, passed, failed);
}

/** `exlab run [paths…]`: the bundled (or given) features on one driver, with the evidence report. */
export const registerRun = (program: Command): void => {
  program
    .command("run")
    .description("run Gherkin features against real machines, with fault proxies on every cross-machine link")
    .argument("[paths...]", "feature files or folders (default: features/)")
    .option("--driver <name>", driverOptionHelp())
    .addHelpText("after", driversHelp)
    .option("--tags <expr>", "only scenarios matching this cucumber tag expression")
    .option("--report <dir>", "where the HTML/JUnit report goes (default: reports/<driver>-<time>)")
    .action(async (paths: string[], options: RunOptions) => {
      const result = await runFeatures({
        paths,
        driver: options.driver,
        tags: options.tags,
        reportDir: options.report,
      });
      // A run nested inside a test suite must not overwrite the suite counts CI adds up.
      if (!process.env.EXLAB_NO_COUNTS) writeCounts(`features-${result.driver}`, result.passed, result.failed);
      process.stdout.write(
        `exlab run (${result.driver}): ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ""}; report in ${result.reportDir}\n`,
      );
      setExit(result.success && result.failed === 0 ? 0 : 1);
    });
};
