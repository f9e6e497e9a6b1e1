import { runCheckers, summarizeChecks } from "../checkers";
import { countRun } from "./html";
import { firstError, isFailure } from "./scenario-html";
import { duration, esc, escAttr, seconds } from "./text";
import type { RunReport, ScenarioReport } from "./types";

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
  return `Steps:\n${steps.join("\n")}\n\nInvariants:\n${checks}\n`;
}
