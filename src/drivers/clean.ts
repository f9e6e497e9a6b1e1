import type { ImagePruneReport, ImageRepositories } from "./container";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { messageOf } from "../common";
import { defaultRunsDir } from "../runs";
import { envOf, isAlive, processesWithEnv, signalGroup, signalPid } from "../runs";
import { RunState, defaultStateDir, type RunRecord } from "../runs";
import { driverNames, sweepDriver } from "./registry";

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
  /** Log directories of runs that are over (in runsDir) removed. */
  logsRemoved: number;
  /** What each driver's sweep said beyond the counts, in registry order (e.g. containers: removed 2 container(s)). */
  swept: { driver: string; lines: string[] }[];
  problems: string[];
}

export interface CleanOptions {
  stateDir?: string;
  /** Also clean runs whose runner is alive. @default false */
  force?: boolean;
  /** Where labs keep their runs' logs (one directory per run id). @default defaultRunsDir() */
  runsDir?: string;
  /** Epoch ms now. @default Date.now */
  now?: () => number;
  /**
   * The registered drivers whose sweep runs. A sweep may remove what any run not live in `stateDir` left (the
   * container driver's: every labelled container): tests with their own stateDir name the drivers they mean.
   * @default every registered driver
   */
  drivers?: readonly string[];
}

/** A run directory this young may belong to a lab still starting (its record not yet written): left alone. */
const FRESH_MS = 60_000;

/**
 * Removes what killed runs left behind: each registered driver sweeps what its runs that are over tracked (process
 * groups, proxies on a shared Toxiproxy, subnet locks; labelled containers and networks…), and the records of the
 * runs swept are forgotten; then kills any process still carrying the EXLAB_RUN_ID of a run that is not live, and
 * removes the logs of runs that are over.
 */
export async function cleanAll(options: CleanOptions = {}): Promise<CleanReport> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const report: CleanReport = {
    cleaned: [],
    live: [],
    groupsKilled: 0,
    proxiesRemoved: 0,
    orphansKilled: 0,
    logsRemoved: 0,
    swept: [],
    problems: [],
  };
  const over: RunRecord[] = [];
  const live = new Set<string>();
  for (const r of RunState.list(stateDir)) {
    if (!options.force && isAlive(r.runnerPid)) {
      live.add(r.runId);
      report.live.push(r.runId);
    } else over.push(r);
  }
  const swept = await sweepDrivers(over, stateDir, options, report);
  for (const r of over) {
    if (!swept.has(r.runId)) continue;
    RunState.removeRecord(stateDir, r.runId);
    report.cleaned.push(r.runId);
  }
  for (const p of processesWithEnv("EXLAB_RUN_ID")) {
    const runner = Number(envOf(p.pid, "EXLAB_RUNNER_PID"));
    if (live.has(p.value)) continue;
    if (!options.force && runner > 0 && isAlive(runner)) {
      live.add(p.value);
      continue;
    }
    const leader = envOf(p.pgrp, "EXLAB_RUN_ID") === p.value;
    if (leader ? signalGroup(p.pgrp, "SIGKILL") : signalPid(p.pid, "SIGKILL")) report.orphansKilled++;
  }
  removeRunLogs(
    options.runsDir ?? defaultRunsDir(),
    live,
    options.force ? Infinity : (options.now ?? Date.now)() - FRESH_MS,
    report,
  );
  return report;
}

/** Each chosen driver's sweep, with the runs that are over of that driver; returns the runs swept. */
async function sweepDrivers(
  over: readonly RunRecord[],
  stateDir: string,
  options: CleanOptions,
  report: CleanReport,
): Promise<Set<string>> {
  const registered = driverNames();
  const chosen = options.drivers ?? registered;
  const swept = new Set<string>();
  for (const driver of chosen) {
    const runs = over.filter((r) => r.driver === driver);
    try {
      const s = await sweepDriver(driver, { stateDir, runs, live: report.live, force: options.force ?? false });
      report.groupsKilled += s.groupsKilled ?? 0;
      report.proxiesRemoved += s.proxiesRemoved ?? 0;
      report.problems.push(...(s.problems ?? []));
      report.swept.push({ driver, lines: s.lines ?? [] });
      const mine = new Set(runs.map((r) => r.runId));
      for (const id of s.cleaned) if (mine.has(id)) swept.add(id);
    } catch (err) {
      report.swept.push({ driver, lines: [`sweep failed: ${messageOf(err)}`] });
    }
  }
  for (const r of over) {
    if (registered.includes(r.driver)) continue;
    report.problems.push(
      `run ${r.runId}: no driver "${r.driver}" is registered to sweep what it left ` +
        `(registered: ${registered.join(", ")}; EXLAB_DRIVERS adds modules); its record stays`,
    );
  }
  return swept;
}

/**
 * Removes the log directories of runs that are over: every `<runsDir>/<runId>` whose run is not live and that was
 * last changed before `olderThan` (epoch ms). Failed scenarios keep theirs until then; `exlab clean` ends that.
 */
export function removeRunLogs(
  runsDir: string,
  live: ReadonlySet<string>,
  olderThan: number,
  report: Pick<CleanReport, "logsRemoved" | "problems">,
): void {
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (live.has(name)) continue;
    const dir = join(runsDir, name);
    try {
      const st = statSync(dir);
      if (!st.isDirectory() || st.mtimeMs >= olderThan) continue;
      rmSync(dir, { recursive: true, force: true });
      report.logsRemoved++;
    } catch (err) {
      report.problems.push(`logs in ${dir} not removed: ${messageOf(err)}`);
    }
  }
}

export interface ImageCleanOptions {
  /** Where live lab processes lease their images. @default defaultStateDir() */
  stateDir?: string;
  /** Also remove images leased by live lab processes (runs under way). @default false */
  force?: boolean;
  /** @default the lab's: exlab-base, exlab-machine, exlab-faultproxy, exlab-project (tests use their own) */
  repositories?: ImageRepositories;
}

/** What `cleanImages` did: nothing (no container driver, no engine), or a prune report. */
export type ImageCleanResult =
  | { done: false; reason: string }
  | {
      done: true;
      report: ImagePruneReport;
      /** The space freed, e.g. `9.12 MB`, when the engine says. */ freed?: string;
    };

/**
 * `exlab clean --images`: removes every image the lab built (exlab-base, exlab-machine, exlab-faultproxy,
 * exlab-project, carrying its labels), the current ones included, except those a container uses (running or
 * stopped) and, unless `force`, those leased by a live lab process. The next run builds what it needs again.
 */
export async function cleanImages(options: ImageCleanOptions = {}): Promise<ImageCleanResult> {
  let mod: typeof import("./container");
  try {
    mod = require("./container");
  } catch {
    return { done: false, reason: "the container driver is not built" };
  }
  let engine;
  try {
    engine = await mod.checkEngine({ timeoutMs: 2000 });
  } catch {
    return { done: false, reason: "no Docker engine answers; nothing to remove" };
  }
  const report = await mod.pruneImages({
    engine,
    keep: 0,
    repositories: options.repositories,
    stateDir: options.stateDir ?? defaultStateDir(),
    honourLeases: !options.force,
  });
  return {
    done: true,
    report,
    freed: report.freedBytes === undefined ? undefined : mod.formatBytes(report.freedBytes),
  };
}

/** The lines `exlab clean --images` prints, and problems (removals the engine refused for another reason than use). */
export function describeImageClean(result: ImageCleanResult): { lines: string[]; problems: string[] } {
  if (!result.done) return { lines: [`images: ${result.reason}`], problems: [] };
  const { report } = result;
  const lines: string[] = [];
  if (report.removed.length) {
    const freed =
      result.freed !== undefined ? `freed ${result.freed}` : "the engine did not say how much space that freed";
    lines.push(`images: removed ${report.removed.length} image(s), ${freed}:`);
    for (const r of report.removed)
      lines.push(`  ${r.ref}${r.deleted ? "" : " (tag only: the image has other tags or children)"}`);
  } else {
    lines.push("images: none removed");
  }
  const byContainer = report.kept.filter((k) => k.reason === "used by a container").map((k) => k.ref);
  const inUse = [...byContainer, ...report.failed.filter((f) => f.inUse).map((f) => f.ref)];
  if (inUse.length) lines.push(`images: kept ${inUse.length} used by a container: ${inUse.join(", ")}`);
  const leased = report.kept.filter((k) => k.reason === "leased by a live run").map((k) => k.ref);
  if (leased.length)
    lines.push(`images: kept ${leased.length} used by a live run (--force removes them too): ${leased.join(", ")}`);
  const bases = report.kept.filter((k) => k.reason === "base of a kept image").map((k) => k.ref);
  if (bases.length) lines.push(`images: kept ${bases.length} base image(s) of those: ${bases.join(", ")}`);
  const problems = report.failed.filter((f) => !f.inUse).map((f) => `image ${f.ref} not removed: ${f.error}`);
  return { lines, problems };
}
