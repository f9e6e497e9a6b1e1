import { replaySteps, type RealizedAction } from "../../lab";
import { schedulesIn, type GherkinStepSource, type RecordedSchedule, type ScenarioHistory } from "../../evidence";
import type { ScenarioReport } from "../../evidence";
import type { PickleStep } from "./envelopes";

/** Which actions of a schedule a replay keeps (a shrink's candidate): all realized ones by default. */
export type ReplayChoice = (s: RecordedSchedule) => RealizedAction[];

/** A pickle's steps as written, with their keywords. */
export function stepSources(
  steps: readonly PickleStep[],
  keywordOf: (astNodeId: string) => string,
): GherkinStepSource[] {
  return steps.map((ps) => {
    const doc = ps.argument?.docString;
    const table = ps.argument?.dataTable;
    return {
      keyword: keywordOf(ps.astNodeIds[0] ?? ""),
      text: ps.text,
      ...(doc ? { docString: { content: doc.content, ...(doc.mediaType ? { mediaType: doc.mediaType } : {}) } } : {}),
      ...(table ? { dataTable: table.rows.map((r) => r.cells.map((c) => c.value)) } : {}),
    };
  });
}

const cell = (v: string) => v.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, "\\n");

function argumentLines(step: GherkinStepSource): string[] {
  if (step.dataTable) return step.dataTable.map((r) => `      | ${r.map(cell).join(" | ")} |`);
  const doc = step.docString;
  if (!doc) return [];
  const fence = doc.content.includes('"""') ? "```" : '"""';
  return [
    `      ${fence}${doc.mediaType ?? ""}`,
    ...doc.content.split("\n").map((l) => `      ${l}`),
    `      ${fence}`,
  ];
}

/** The schedules a history recorded, by the index of the step that ran them. */
export function schedulesOf(h: ScenarioHistory | undefined): Map<number, RecordedSchedule> {
  return new Map(schedulesIn(h).map((s) => [s.step.index, s]));
}

/**
 * A scenario whose random schedules are written as the named steps that replay them (README "Random fault
 * schedules"): every other step as it was, each random step replaced by its realized actions (all of them, or those
 * `choose` keeps), the recovery it waited for and its quiet period. Undefined when the scenario ran no schedule.
 */
export function replayFeature(
  scenario: Pick<ScenarioReport, "feature" | "name" | "uri" | "line" | "tags" | "history" | "source">,
  choose: ReplayChoice = (s) => s.actions,
  title = "replayed",
): string | undefined {
  const schedules = schedulesOf(scenario.history);
  if (schedules.size === 0 || !scenario.source) return undefined;
  const seeds = [...schedules.values()].map((s) => s.seed).join(", ");
  const where = scenario.uri ? ` (${scenario.uri}${scenario.line ? `:${scenario.line}` : ""})` : "";
  const lines = [
    `# The random faults of "${scenario.name}"${where}, seed ${seeds}, written by exlab as named steps:`,
    `# no randomness; the same faults, targets and offsets. Run it with: exlab run <this file>`,
    `Feature: ${scenario.feature}`,
    "",
  ];
  if (scenario.tags.length) lines.push(`  ${scenario.tags.join(" ")}`);
  lines.push(`  Scenario: ${scenario.name} (seed ${seeds}, ${title})`);
  scenario.source.forEach((step, i) => {
    const s = schedules.get(i);
    if (!s) {
      lines.push(`    ${step.keyword || "* "}${step.text}`, ...argumentLines(step));
      return;
    }
    lines.push(`    # ${step.keyword}${step.text}  (seed ${s.seed})`);
    for (const r of replaySteps(choose(s), s.settings)) lines.push(`    ${r.keyword} ${r.text}`);
  });
  return `${lines.join("\n")}\n`;
}
