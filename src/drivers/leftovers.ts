import { connect } from "node:net";
import { messageOf } from "../common";
import { envOf, groupMembers, signalGroup, type RunRecord } from "../runs";
import { PROCESS_GROUP, type SweepReport } from "./driver";
import { removeProxiesWithPrefix } from "./proxy-sweep";

/**
 * What the built-in sweeps share: the process groups a dead run tracked, and its proxies on a fault-proxy server
 * that outlived it. Records written before `resources` existed kept the groups in a top-level `groups` field.
 */
export function trackedGroups(r: RunRecord): Record<string, number> {
  const legacy = (r as { groups?: Record<string, number> }).groups ?? {};
  const all: Record<string, unknown> = { ...legacy, ...r.resources[PROCESS_GROUP] };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, number] => typeof e[1] === "number"));
}

/** Whether a process group still runs a process of the run (a pid may have been reused by someone else). */
export function belongsTo(pgid: number, runId: string): boolean {
  return groupMembers(pgid).some((pid) => envOf(pid, "EXLAB_RUN_ID") === runId);
}

/** SIGKILLs the run's tracked process groups that still run its processes; returns how many. */
export function killRunGroups(r: RunRecord): number {
  let killed = 0;
  for (const pgid of Object.values(trackedGroups(r))) {
    if (belongsTo(pgid, r.runId) && signalGroup(pgid, "SIGKILL")) killed++;
  }
  return killed;
}

/**
 * Deletes the run's proxies (by name prefix) from its fault-proxy server, unless that server is the run's own
 * process (tracked as the "faultproxy" group) still running, which killing the run's groups then stops.
 */
export async function removeRunProxies(
  r: RunRecord,
  report: Required<Pick<SweepReport, "proxiesRemoved" | "problems" | "lines">>,
): Promise<void> {
  const own = trackedGroups(r).faultproxy;
  if (!r.proxyServer || (own && belongsTo(own, r.runId))) return;
  try {
    report.proxiesRemoved += await removeProxiesWithPrefix(r.proxyServer.url, r.proxyServer.prefix);
  } catch (err) {
    // The run's own proxy server died with it: its proxies are gone with it, which is what cleaning wants.
    if (own && !(await answers(r.proxyServer.url))) {
      report.lines.push(
        `run ${r.runId}: its fault-proxy server (${r.proxyServer.url}) is gone with it, and its proxies`,
      );
    } else report.problems.push(`run ${r.runId}: proxies at ${r.proxyServer.url} not removed: ${messageOf(err)}`);
  }
}

/** Whether anything still accepts connections at the URL's host and port. */
function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 80), timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}
