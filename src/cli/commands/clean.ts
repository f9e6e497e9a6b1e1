import type { Command } from "commander";
import { cleanAll, cleanImages, describeImageClean, driverNames } from "../../drivers";
import { messageOf } from "../../common";
import { setExit } from "../exit";

/**
 * `exlab clean`: remove what killed runs left behind (each registered driver sweeps its own: processes, proxies,
 * locks, containers, networks…) and their logs; with `--images`, also every image the lab built that no container
 * uses (the next run builds them again).
 */
export const registerClean = (program: Command): void => {
  program
    .command("clean")
    .description(
      `remove what runs that are over left (each driver sweeps its own: ${driverNames().join(", ")}) and their logs`,
    )
    .option("--force", "also clean runs whose runner is still alive")
    .option(
      "--images",
      "also remove the lab's images (exlab-base, exlab-machine, exlab-faultproxy, exlab-project) that no container uses",
    )
    .action(async (options: { force?: boolean; images?: boolean }) => {
      const report = await cleanAll({ force: options.force });
      const lines = [
        `runs cleaned: ${report.cleaned.length ? report.cleaned.join(", ") : "none"}`,
        ...(report.live.length ? [`runs still live (left alone): ${report.live.join(", ")}`] : []),
        `process groups killed: ${report.groupsKilled}, stray processes killed: ${report.orphansKilled}, proxies removed: ${report.proxiesRemoved}`,
        `run logs removed: ${report.logsRemoved} director${report.logsRemoved === 1 ? "y" : "ies"}`,
        ...report.swept.flatMap((s) => s.lines.map((line) => `${s.driver}: ${line}`)),
      ];
      const problems = [...report.problems];
      if (options.images) {
        const images = await cleanImages({ force: options.force }).then(describeImageClean, (err: unknown) => ({
          lines: [],
          problems: [`images: removal failed: ${messageOf(err)}`],
        }));
        lines.push(...images.lines);
        problems.push(...images.problems);
      }
      lines.push(...problems.map((p) => `problem: ${p}`));
      process.stdout.write(lines.join("\n") + "\n");
      setExit(problems.length ? 1 : 0);
    });
};
