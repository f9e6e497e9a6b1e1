import type { Command } from "commander";
import { cleanAll, type CleanReport } from "../../lab/clean";
import { setExit } from "./index";

async function sweepContainers(report: CleanReport): Promise<string> {
  let mod: { sweepAll?: () => Promise<{ containers: unknown[]; networks: unknown[] }>; checkEngine?: (o?: { timeoutMs?: number }) => Promise<unknown> };
  try {
    mod = require("../../lab/drivers/container");
  } catch {
    return "containers: the container driver is not built";
  }
  if (!mod.sweepAll || !mod.checkEngine) return "containers: no sweep available";
  try {
    await mod.checkEngine({ timeoutMs: 2000 });
  } catch {
    return "containers: no Docker engine answers; nothing to sweep";
  }
  if (report.live.length) return `containers: not swept, ${report.live.length} run(s) still live (use --force)`;
  const swept = await mod.sweepAll();
  return `containers: removed ${swept.containers.length} container(s), ${swept.networks.length} network(s)`;
}

/** `exlab clean`: remove what killed runs left behind (processes, proxies, locks, containers, networks). */
export const registerClean = (program: Command): void => {
  program
    .command("clean")
    .description("remove processes, proxies, containers and networks left by runs that were killed")
    .option("--force", "also clean runs whose runner is still alive")
    .action(async (options: { force?: boolean }) => {
      const report = await cleanAll({ force: options.force });
      const lines = [
        `runs cleaned: ${report.cleaned.length ? report.cleaned.join(", ") : "none"}`,
        ...(report.live.length ? [`runs still live (left alone): ${report.live.join(", ")}`] : []),
        `process groups killed: ${report.groupsKilled}, stray processes killed: ${report.orphansKilled}, proxies removed: ${report.proxiesRemoved}`,
        await sweepContainers(report).catch((err: Error) => `containers: sweep failed: ${err.message}`),
        ...report.problems.map((p) => `problem: ${p}`),
      ];
      process.stdout.write(lines.join("\n") + "\n");
      setExit(report.problems.length ? 1 : 0);
    });
};
