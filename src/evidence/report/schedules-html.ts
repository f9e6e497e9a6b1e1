import type { RecordedSchedule, ScenarioHistory } from "../history";
import { esc, escAttr } from "./text";
import type { ScenarioReport } from "./types";

/** The random fault schedules a history recorded, in order. */
export function schedulesIn(h: ScenarioHistory | undefined): RecordedSchedule[] {
  return (h?.events ?? []).filter((e): e is RecordedSchedule => e.kind === "schedule");
}

const ms = (v: number) => `${(v / 1000).toFixed(2)} s`;

function faultWhat(f: RecordedSchedule["faults"][number]): string {
  const p = f.params ?? {};
  const detail =
    p.latencyMs !== undefined
      ? ` (${p.latencyMs} ms${p.jitterMs ? ` ± ${p.jitterMs} ms` : ""})`
      : p.rateKBps !== undefined
        ? ` (${p.rateKBps} KB/s)`
        : "";
  return `${f.kind} ${f.targets.join(f.kind === "one-way" ? " → " : " ⇄ ")}${detail}`;
}

/**
 * A scenario's random fault schedules: the seed (and how to run it again), each fault drawn with when it was due and
 * when it began, and the replay written beside the report.
 */
export function schedulesHtml(s: ScenarioReport): string {
  const schedules = schedulesIn(s.history);
  if (schedules.length === 0) return "";
  const replay = s.replay?.file
    ? `<p>Replay (the same faults as named steps, no randomness): <a class="replay" href="${escAttr(s.replay.file)}">${esc(s.replay.file)}</a></p>`
    : "";
  const blocks = schedules.map((sc) => {
    const started = new Map(sc.actions.filter((a) => a.phase === "start").map((a) => [a.fault, a]));
    const rows = sc.faults.map((f) => {
      const a = started.get(f.n);
      const began = a ? `${ms(a.startedAt)}${a.error ? ` <b>failed: ${esc(a.error)}</b>` : ""}` : "not begun";
      return `<tr><td>${f.n}</td><td>${esc(faultWhat(f))}</td><td>${ms(f.at)}</td><td>${began}</td><td>${ms(f.lasting)}</td></tr>`;
    });
    return `<p class="schedule-seed">Seed <b>${sc.seed}</b> · ${sc.faults.length} fault(s) drawn, at most ${sc.settings.atOnce} at once · from ${ms(sc.from)} to ${ms(sc.to)} of the scenario · again with <code>exlab run --seed ${sc.seed}</code>${sc.error ? ` · <b>stopped: ${esc(sc.error)}</b>` : ""}</p>
<table class="schedule"><thead><tr><th>#</th><th>fault</th><th>due</th><th>began</th><th>lasting</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  });
  return `<h3>Random faults</h3>\n${blocks.join("\n")}\n${replay}`;
}
