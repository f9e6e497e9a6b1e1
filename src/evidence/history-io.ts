import { BadHistoryError } from "./errors";
import type { ScenarioHistory } from "./history";
import { messageOf } from "../common";

/**
 * Reads a history back from JSON (an attachment body). Checks the shape the reports rely on and throws a
 * {@link BadHistoryError} naming the first problem.
 */
export function parseHistory(text: string): ScenarioHistory {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new BadHistoryError(
      `A scenario history is not valid JSON (${messageOf(err)}); it starts with ${JSON.stringify(text.slice(0, 80))}.`,
      { cause: err },
    );
  }
  const problem = historyProblem(v);
  if (problem) throw new BadHistoryError(`A scenario history has the wrong shape: ${problem}.`);
  return v as ScenarioHistory;
}

function historyProblem(v: unknown): string | undefined {
  if (!v || typeof v !== "object") return "it is not an object";
  const h = v as Record<string, unknown>;
  for (const k of ["runId", "feature", "scenario"]) if (typeof h[k] !== "string") return `"${k}" must be a string`;
  if (typeof h.startedAt !== "number") return `"startedAt" must be epoch milliseconds`;
  if (!Array.isArray(h.tags)) return `"tags" must be an array`;
  const topo = h.topology as Record<string, unknown> | undefined;
  if (!topo || typeof topo !== "object" || !Array.isArray(topo.processes))
    return `"topology.processes" must be an array`;
  if (!Array.isArray(h.events)) return `"events" must be an array`;
  for (const [i, e] of (h.events as unknown[]).entries()) {
    const ev = e as Record<string, unknown> | null;
    if (
      !ev ||
      typeof ev !== "object" ||
      typeof ev.kind !== "string" ||
      typeof ev.t !== "number" ||
      typeof ev.id !== "number"
    )
      return `events[${i}] needs "kind", "t" and "id"`;
    if (ev.kind === "exchange" && (typeof ev.process !== "string" || !ev.event || typeof ev.event !== "object"))
      return `events[${i}] (exchange) needs "process" and "event"`;
  }
  if (h.checks !== undefined && !Array.isArray(h.checks)) return `"checks" must be an array when present`;
  if (h.logsDir !== undefined && typeof h.logsDir !== "string") return `"logsDir" must be a string when present`;
  return undefined;
}
