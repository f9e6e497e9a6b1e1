import type { Command } from "commander";
import { mergeRunReports, readRunReport, writeRunReport } from "../../evidence";
import { setExit } from "../exit";

/** `exlab merge-reports <dir…>`: the shards' reports of one suite (`exlab run --shard i/n`) as one report. */
export const registerMergeReports = (program: Command): void => {
  program
    .command("merge-reports")
    .description("join the report folders of several runs (e.g. the shards of --shard i/n) into one HTML/JUnit report")
    .argument("<dirs...>", "report folders written by exlab run (each holds report.json)")
    .option("--out <dir>", "where the merged report goes", "reports/merged")
    .action(async (dirs: string[], options: { out: string }) => {
      const merged = mergeRunReports(await Promise.all(dirs.map(readRunReport)));
      const written = await writeRunReport(options.out, merged);
      const failed = merged.scenarios.filter((s) => s.verdict === "failed").length;
      process.stdout.write(
        `merged ${dirs.length} report(s): ${merged.scenarios.length} scenarios, ${failed} failed\n` +
          `report: ${written.html}\njunit: ${written.junit}\n`,
      );
      setExit(failed ? 1 : 0);
    });
};
