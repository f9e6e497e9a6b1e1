import type { SweepOptions, SweepReport } from "../driver";
import { killRunGroups, removeRunProxies } from "../leftovers";
import { sweepAll } from "./cleanup";
import { checkEngine } from "./engine";

/**
 * The container driver's sweep: for each run that is over, its proxies (when its fault-proxy container still
 * answers) and its reaper's process group; then every labelled container and network of the lab whose run is not
 * live, whichever run made it (the records of killed runs may be gone: the labels say whose they are).
 */
export async function sweep(options: SweepOptions): Promise<SweepReport> {
  const report = {
    cleaned: [] as string[],
    groupsKilled: 0,
    proxiesRemoved: 0,
    lines: [] as string[],
    problems: [] as string[],
  };
  for (const r of options.runs) {
    await removeRunProxies(r, report);
    report.groupsKilled += killRunGroups(r);
    report.cleaned.push(r.runId);
  }
  report.lines.push(await sweepEngine(options.live).catch((err: Error) => `sweep failed: ${err.message}`));
  return report;
}

async function sweepEngine(live: readonly string[]): Promise<string> {
  try {
    await checkEngine({ timeoutMs: 2000 });
  } catch {
    return "no Docker engine answers; nothing to sweep";
  }
  const swept = await sweepAll({ keepRuns: live });
  const kept = live.length ? ` (spared ${live.length} live run(s); --force removes them too)` : "";
  return `removed ${swept.containers.length} container(s), ${swept.networks.length} network(s)${kept}`;
}
