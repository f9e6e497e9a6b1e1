import type { RunRecord } from "../../runs";
import type { SweepOptions, SweepReport } from "../driver";
import { killRunGroups, removeRunProxies } from "../leftovers";
import { releaseSubnet } from "./addresses";

/** The kind and name under which the process driver tracks its run's loopback subnet (the second octet X). */
export const SUBNET = "subnet";
export const SUBNET_NAME = "loopback";

/** The subnet octet a run leased, from its record (records written before `resources`: a top-level `subnet`). */
function subnetOf(r: RunRecord): number | undefined {
  const octet = r.resources[SUBNET]?.[SUBNET_NAME] ?? (r as { subnet?: number }).subnet;
  return typeof octet === "number" ? octet : undefined;
}

/**
 * The process driver's sweep of runs that are over: deletes their proxies on a shared Toxiproxy (when their own
 * proxy server is gone), kills their machines' process groups, releases their subnet locks.
 */
export async function sweep(options: SweepOptions): Promise<SweepReport> {
  const report = {
    cleaned: [] as string[],
    groupsKilled: 0,
    proxiesRemoved: 0,
    problems: [] as string[],
    lines: [] as string[],
  };
  for (const r of options.runs) {
    await removeRunProxies(r, report);
    report.groupsKilled += killRunGroups(r);
    const octet = subnetOf(r);
    if (octet !== undefined) releaseSubnet(options.stateDir, octet);
    report.cleaned.push(r.runId);
  }
  return report;
}
