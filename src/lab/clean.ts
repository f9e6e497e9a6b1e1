import { releaseSubnet } from "./addresses";
import { removeProxiesWithPrefix } from "./faults/injector";
import { envOf, groupMembers, isAlive, processesWithEnv, signalGroup, signalPid } from "./proc";
import { RunState, defaultStateDir, type RunRecord } from "./run-state";

/** What `cleanAll` removed. */
export interface CleanReport {
  /** Runs whose leftovers were removed. */
  cleaned: string[];
  /** Runs left alone because their runner still lives. */
  live: string[];
  groupsKilled: number;
  proxiesRemoved: number;
  /** Processes of unknown or dead runs found by their EXLAB_RUN_ID and killed. */
  orphansKilled: number;
  problems: string[];
}

export interface CleanOptions {
  stateDir?: string;
  /** Also clean runs whose runner is alive. @default false */
  force?: boolean;
}

function belongsTo(pgid: number, runId: string): boolean {
  const members = groupMembers(pgid);
  return members.some((pid) => envOf(pid, "EXLAB_RUN_ID") === runId);
}

async function cleanRun(r: RunRecord, stateDir: string, report: CleanReport): Promise<void> {
  const proxyGroup = r.groups.faultproxy;
  if (r.proxyServer && !(proxyGroup && belongsTo(proxyGroup, r.runId))) {
    try {
      report.proxiesRemoved += await removeProxiesWithPrefix(r.proxyServer.url, r.proxyServer.prefix);
    } catch (err) {
      report.problems.push(`run ${r.runId}: proxies at ${r.proxyServer.url} not removed: ${(err as Error).message}`);
    }
  }
  for (const pgid of Object.values(r.groups)) {
    if (belongsTo(pgid, r.runId) && signalGroup(pgid, "SIGKILL")) report.groupsKilled++;
  }
  if (r.subnet !== undefined) releaseSubnet(stateDir, r.subnet);
  RunState.removeRecord(stateDir, r.runId);
  report.cleaned.push(r.runId);
}

/**
 * Removes what killed runs left behind: their machines' process groups, their proxies on a shared Toxiproxy, their
 * subnet locks and records; then kills any process still carrying the EXLAB_RUN_ID of a run that is not live.
 */
export async function cleanAll(options: CleanOptions = {}): Promise<CleanReport> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const report: CleanReport = { cleaned: [], live: [], groupsKilled: 0, proxiesRemoved: 0, orphansKilled: 0, problems: [] };
  const records = RunState.list(stateDir);
  const live = new Set<string>();
  for (const r of records) {
    if (!options.force && isAlive(r.runnerPid)) {
      live.add(r.runId);
      report.live.push(r.runId);
      continue;
    }
    await cleanRun(r, stateDir, report);
  }
  for (const p of processesWithEnv("EXLAB_RUN_ID")) {
    const runner = Number(envOf(p.pid, "EXLAB_RUNNER_PID"));
    if (live.has(p.value) || (!options.force && runner > 0 && isAlive(runner))) continue;
    const leader = envOf(p.pgrp, "EXLAB_RUN_ID") === p.value;
    if (leader ? signalGroup(p.pgrp, "SIGKILL") : signalPid(p.pid, "SIGKILL")) report.orphansKilled++;
  }
  return report;
}
