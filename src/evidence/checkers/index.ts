import type { ScenarioHistory } from "../history";
import { audienceSafety } from "./audience";
import { cacheSemantics } from "./cache-semantics";
import { eventOrder } from "./event-order";
import { failureContainment } from "./failure-containment";
import { groupIsolation } from "./group-isolation";
import { livenessDetection } from "./liveness-detection";
import { noDuplicate } from "./no-duplicate";
import { noGhosts } from "./no-ghosts";
import { oneHop } from "./one-hop";
import { oneOutcome } from "./one-outcome";
import { reconnectProgress } from "./reconnect-progress";
import { reportFifo } from "./report-fifo";
import type { Checker, CheckResult } from "./types";
import { uniqueBinding } from "./unique-binding";
import { uniqueLink } from "./unique-link";
import { workloadCalls } from "./workload-calls";
import { workloadReportLoss } from "./workload-report-loss";
import { workloadReportOrder } from "./workload-report-order";
import { workloadSettled } from "./workload-settled";
import { messageOf } from "../../common";

/** Every checker, in invariant order, then the workload checkers. */
export const checkers: readonly Checker[] = [
  audienceSafety,
  noGhosts,
  uniqueLink,
  uniqueBinding,
  eventOrder,
  oneOutcome,
  noDuplicate,
  reportFifo,
  cacheSemantics,
  groupIsolation,
  oneHop,
  livenessDetection,
  reconnectProgress,
  failureContainment,
  workloadSettled,
  workloadReportOrder,
  workloadReportLoss,
  workloadCalls,
];

/** Runs every checker (or the given ones) over the history: one result per invariant. Never throws. */
export function runCheckers(h: ScenarioHistory, only: readonly Checker[] = checkers): CheckResult[] {
  return only.map((c) => {
    try {
      const out = c.check(h);
      return {
        invariant: c.invariant,
        title: c.title,
        status: out.violations.length > 0 ? "failed" : "passed",
        violations: out.violations,
        checked: out.checked,
        notes: dedupe(out.notes),
      };
    } catch (err) {
      const message = messageOf(err);
      return {
        invariant: c.invariant,
        title: c.title,
        status: "error",
        violations: [],
        checked: 0,
        notes: [],
        error: `The ${c.invariant} checker could not run: ${message}`,
      };
    }
  });
}

/** One line per invariant, e.g. "I1 Audience safety: passed (12 checked)". */
export function summarizeChecks(results: readonly CheckResult[]): string {
  return results
    .map((r) => {
      const head = `${r.invariant} ${r.title}: ${r.status === "failed" ? `FAILED (${r.violations.length} violation${r.violations.length === 1 ? "" : "s"})` : r.status === "error" ? "ERROR" : "passed"} (${r.checked} checked)`;
      const lines = [
        head,
        ...(r.error ? [`  ${r.error}`] : []),
        ...r.violations.map((v) => `  - ${v.message} [events ${v.events.map((e) => `#${e.id}`).join(", ")}]`),
      ];
      return lines.join("\n");
    })
    .join("\n");
}

function dedupe(notes: string[]): string[] {
  return [...new Set(notes)];
}
