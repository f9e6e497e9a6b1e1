import { runCheckers, summarizeChecks } from "../checkers";
import { countRun } from "./html";
import { firstError, isFailure } from "./scenario-html";
import { type LatencyFigures, type Recovery, type WorkloadStats, isSuccess, workloadStats } from "../workload-stats";
import { describeWorkload } from "./describe";
import { duration, esc, escAttr, plural, seconds } from "./text";
import { numberRanges } from "./workload-plot";
import { percent } from "./workloads-html";
import type { RunReport, ScenarioReport } from "./types";
import { schedulesIn } from "./schedules-html";

/**
 * JUnit XML: one <testsuite> per feature, one <testcase> per scenario (classname = feature), a <failure>
 * whose message names the failing step and its error, and <system-out> with the steps and checker summary.
 */
export function renderJunit(run: RunReport): string {
  const features = new Map<string, ScenarioReport[]>();
  for (const s of run.scenarios) features.set(s.feature, [...(features.get(s.feature) ?? []), s]);
  const c = countRun(run);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`];
  out.push(
    `<testsuites name="exlab ${escAttr(run.runId)}" tests="${c.scenarios.total}" failures="${c.scenarios.failed}" errors="0" skipped="${c.scenarios.skipped}" time="${seconds(run.finishedAt - run.startedAt)}" timestamp="${new Date(run.startedAt).toISOString()}">`,
  );
  for (const [feature, list] of features) {
    const failures = list.filter((s) => s.verdict === "failed").length;
    const skipped = list.filter((s) => s.verdict === "skipped").length;
    const time = list.reduce((a, s) => a + s.durationMs, 0);
    out.push(
      `  <testsuite name="${escAttr(feature)}" tests="${list.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${new Date(Math.min(...list.map((s) => s.startedAt))).toISOString()}">`,
    );
    for (const s of list) out.push(testcase(s));
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`, "");
  return out.join("\n");
}

function testcase(s: ScenarioReport): string {
  const head = `    <testcase name="${escAttr(s.name)}" classname="${escAttr(s.feature)}" time="${seconds(s.durationMs)}"${s.uri ? ` file="${escAttr(s.uri)}"` : ""}>`;
  const parts = [head];
  const stats = s.history ? workloadStats(s.history) : [];
  const properties = [...scheduleProperties(s), ...workloadProperties(stats)];
  if (properties.length) {
    parts.push(`      <properties>`);
    for (const p of properties) parts.push(`        <property name="${escAttr(p.name)}" value="${escAttr(p.value)}"/>`);
    parts.push(`      </properties>`);
  }
  if (s.verdict === "failed") {
    const st = s.steps.find(isFailure);
    const body = st ? `Step: ${st.keyword}${st.text}\nStatus: ${st.status}\n\n${st.error ?? ""}` : (s.error ?? "");
    parts.push(
      `      <failure message="${escAttr(firstError(s))}" type="${escAttr(st ? `step ${st.status}` : "scenario failed")}">${esc(body)}</failure>`,
    );
  } else if (s.verdict === "skipped") parts.push(`      <skipped/>`);
  parts.push(`      <system-out>${esc(systemOut(s))}</system-out>`);
  parts.push(`    </testcase>`);
  return parts.join("\n");
}

function systemOut(s: ScenarioReport): string {
  const steps = s.steps.map(
    (st, i) => `${String(i + 1).padStart(2)}. [${st.status}] ${st.keyword}${st.text} (${duration(st.durationMs)})`,
  );
  const checks = s.history
    ? summarizeChecks(s.history.checks ?? runCheckers(s.history))
    : "No recorded history: invariants not checked.";
  const workloads = s.history ? workloadStats(s.history).map(workloadLine) : [];
  const schedules = schedulesIn(s.history).map(
    (sc) =>
      `Random faults: seed ${sc.seed}, ${sc.faults.length} fault(s)${sc.error ? `, stopped: ${sc.error}` : ""}; again with exlab run --seed ${sc.seed}`,
  );
  if (schedules.length && s.replay?.file) schedules.push(`Replay: ${s.replay.file} (in the report's folder)`);
  return `Steps:\n${steps.join("\n")}\n\nInvariants:\n${checks}\n${schedules.length ? `\n${schedules.join("\n")}\n` : ""}${workloads.length ? `\nWorkloads:\n${workloads.join("\n")}\n` : ""}`;
}

/**
 * A scenario's random fault schedules as JUnit properties: `seed` (the first schedule's; `seed.2`… for more),
 * `schedule.faults` (how many were drawn, all schedules) and `replay` (the replay's file in the report folder).
 */
function scheduleProperties(s: ScenarioReport): { name: string; value: string }[] {
  const schedules = schedulesIn(s.history);
  if (schedules.length === 0) return [];
  return [
    ...schedules.map((sc, i) => ({ name: i === 0 ? "seed" : `seed.${i + 1}`, value: String(sc.seed) })),
    { name: "schedule.faults", value: String(schedules.reduce((n, sc) => n + sc.faults.length, 0)) },
    ...(s.replay?.file ? [{ name: "replay", value: s.replay.file }] : []),
  ];
}

/** A number as a property value: at most 3 decimals (6 for a ratio), no exponent. */
const num = (v: number, decimals = 3) => String(+v.toFixed(decimals));

/**
 * The figures of a scenario's workloads as JUnit properties, e.g. `workload.w1.operations`,
 * `workload.w1.availability`, `workload.w1.p99_ms`, `workload.w1.recovery_ms.1` (README: all of them).
 */
export function workloadProperties(stats: readonly WorkloadStats[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const put = (name: string, value: string | number | undefined, decimals?: number) => {
    if (value !== undefined) out.push({ name, value: typeof value === "number" ? num(value, decimals) : value });
  };
  const figures = (prefix: string, f: LatencyFigures) => {
    put(`${prefix}.operations`, f.operations);
    put(`${prefix}.succeeded`, f.succeeded);
    put(`${prefix}.failed`, f.operations - f.succeeded);
    put(`${prefix}.availability`, f.availability, 6);
    put(`${prefix}.p50_ms`, f.p50Ms);
    put(`${prefix}.p99_ms`, f.p99Ms);
    put(`${prefix}.max_ms`, f.maxMs);
  };
  const recovered = (prefix: string, recs: readonly Recovery[]) =>
    recs.forEach((r, i) => {
      put(`${prefix}.recovery_ms.${i + 1}`, r.recoveryMs ?? "not recovered");
      put(`${prefix}.recovery_after.${i + 1}`, `${r.heal} ended at ${num(r.healAt / 1000)} s`);
    });
  for (const w of stats) {
    const p = `workload.${w.id}`;
    put(`${p}.description`, describeWorkload(w.summary));
    figures(p, w);
    for (const o of w.byOutcome) put(`${p}.outcome.${o.outcome}`, o.count);
    figures(`${p}.outside_faults`, w.outside);
    if (w.summary.kind !== "publish") recovered(p, w.recoveries);
    for (const sub of w.subscribers) {
      const sp = `${p}.subscriber.${sub.process}`;
      put(`${sp}.received`, sub.received);
      put(`${sp}.cached`, sub.cached);
      put(`${sp}.duplicates`, sub.duplicates);
      put(`${sp}.reordered`, sub.reordered);
      put(`${sp}.not_received`, sub.notReceived.length);
      if (sub.notReceived.length) put(`${sp}.not_received_numbers`, numberRanges(sub.notReceived, 50));
      recovered(sp, sub.recoveries);
    }
  }
  return out;
}

/** "w1 gamma/reporter calls billing every 10 ms: 3000 operations, 2186 succeeded (72.87 %), …" */
function workloadLine(w: WorkloadStats): string {
  const ms = (v: number | undefined) => (v === undefined ? "–" : `${num(v, 1)} ms`);
  const failed = w.byOutcome.filter((o) => !isSuccess(o.outcome)).map((o) => `${o.outcome} ${o.count}`);
  const recs = (w.summary.kind === "publish" ? [] : w.recoveries).map(
    (r) => `after ${r.heal}: ${r.recoveryMs !== undefined ? `recovered in ${ms(r.recoveryMs)}` : "not recovered"}`,
  );
  const subs = w.subscribers.map(
    (s) =>
      `${s.process} received ${s.received}${s.notReceived.length ? `, never received ${numberRanges(s.notReceived)}` : ""}${s.duplicates ? `, ${s.duplicates} twice` : ""}${s.reordered ? `, ${s.reordered} out of order` : ""}`,
  );
  return [
    `${w.id} ${describeWorkload(w.summary)}: ${plural(w.operations, "operation")}, ${w.succeeded} succeeded (${percent(w.availability)})${failed.length ? `, failed: ${failed.join(", ")}` : ""}`,
    `   latency p50 ${ms(w.p50Ms)}, p99 ${ms(w.p99Ms)}; outside fault windows ${percent(w.outside.availability)}, p50 ${ms(w.outside.p50Ms)}, p99 ${ms(w.outside.p99Ms)}`,
    ...[...recs, ...subs].map((l) => `   ${l}`),
  ].join("\n");
}
