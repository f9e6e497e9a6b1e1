import type { Command } from "commander";
import { cleanAll, cleanImages, describeImageClean, type CleanReport } from "../../drivers";
import { messageOf } from "../../common";
import { setExit } from "../exit";

async function sweepContainers(report: CleanReport): Promise<string> {
  let mod: {
    sweepAll?: (o?: { keepRuns?: readonly string[] }) => Promise<{ containers: unknown[]; networks: unknown[] }>;
    checkEngine?: (o?: { timeoutMs?: number }) => Promise<unknown>;
  };
  try {
    mod = require("../../drivers");
  } catch {
    return "containers: the container driver is not built";
  }
  if (!mod.sweepAll || !mod.checkEngine) return "containers: no sweep available";
  try {
    await mod.checkEngine({ timeoutMs: 2000 });
  } catch {
    return "containers: no Docker engine answers; nothing to sweep";
  }
  const swept = await mod.sweepAll({ keepRuns: report.live });
  const kept = report.live.length ? ` (spared ${report.live.length} live run(s); --force removes them too)` : "";
  return `containers: removed ${swept.containers.length} container(s), ${swept.networks.length} network(s)${kept}`;
}

/**
 * `exlab clean`: remove what killed runs left behind (processes, proxies, locks, containers, networks); with
 * `--images`, also every image the lab built that no container uses (the next run builds them again).
 */
export const registerClean = (program: Command): void => {
  program
    .command("clean")
    .description("remove processes, proxies, containers, networks and logs left by runs that are over")
    .option("--force", "also clean runs whose runner is still alive")
    .option(
      "--images",
      "also remove the lab's images (exlab-base, exlab-machine, exlab-faultproxy) that no container uses",
    )
    .action(async (options: { force?: boolean; images?: boolean }) => {
      const report = await cleanAll({ force: options.force });
      const lines = [
        `runs cleaned: ${report.cleaned.length ? report.cleaned.join(", ") : "none"}`,
        ...(report.live.length ? [`runs still live (left alone): ${report.live.join(", ")}`] : []),
        `process groups killed: ${report.groupsKilled}, stray processes killed: ${report.orphansKilled}, proxies removed: ${report.proxiesRemoved}`,
        `run logs removed: ${report.logsRemoved} director${report.logsRemoved === 1 ? "y" : "ies"}`,
        await sweepContainers(report).catch((err: unknown) => `containers: sweep failed: ${messageOf(err)}`),
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
