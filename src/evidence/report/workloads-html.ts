/** The "Workloads" part of a scenario in the HTML report: per workload its plot (workload-plot.ts) and its figures. */
import type { ScenarioHistory } from "../history";
import {
  disturbanceWindows,
  type LatencyFigures,
  type Recovery,
  statsOf,
  type WorkloadStats,
  workloadRecords,
} from "../workload-stats";
import { describeWorkload } from "./describe";
import { esc } from "./text";
import { axisEnd } from "./time-axis";
import { numberRanges, outcomeColour, renderWorkloadPlot } from "./workload-plot";

/** The workloads section of a scenario, or "" when its history has no workload. */
export function workloadsHtml(h: ScenarioHistory, anchor: string): string {
  const records = workloadRecords(h);
  if (records.length === 0) return "";
  const end = axisEnd(h);
  const windows = disturbanceWindows(h, end);
  const parts = records.map((record) => {
    const stats = statsOf(h, record, windows);
    const plot = renderWorkloadPlot({ record, stats, windows, end, key: `${anchor}-${record.id}` });
    return `<div class="workload" id="${esc(`${anchor}-${record.id}`)}">
<h4><span class="wl-id">${esc(record.id)}</span> ${esc(describeWorkload(record.summary))}</h4>
<div class="timeline-box">${plot}${legend(stats, windows.length > 0)}</div>
${figuresTable(stats)}${stats.summary.kind === "publish" ? "" : recoveryList(stats.recoveries)}${subscribersTable(stats)}
</div>`;
  });
  return `<h3>Workloads</h3>
<p class="wl-note">On the timeline's time axis. Latency and percentiles are of succeeded operations; availability is succeeded / operations; “outside fault windows” keeps the operations that overlap no fault and no machine or process outage.</p>
${parts.join("\n")}`;
}

function legend(s: WorkloadStats, windows: boolean): string {
  const dot = (colour: string, square: boolean) =>
    `<svg viewBox="-8 -8 16 16"><rect x="-3.5" y="-3.5" width="7" height="7" rx="${square ? 0 : 3.5}" fill="${colour}"/></svg>`;
  const items = s.byOutcome.map(
    (o) =>
      `<span>${dot(outcomeColour(o.outcome), s.summary.kind !== "publish" && !["RESPONSE", "PUBLISHED"].includes(o.outcome))}${esc(o.outcome)} <b>${o.count}</b></span>`,
  );
  if (s.summary.kind === "publish" && s.subscribers.length)
    items.push(
      `<span>${dot("#8250df", true)}received</span>`,
      `<span>${dot("#d8b9ff", true)}from the cache</span>`,
      `<span>${dot("#bf8700", true)}twice or out of order</span>`,
      `<span>${dot("#cf222e", true)}never received (at its publication)</span>`,
    );
  items.push(
    `<span><svg viewBox="-8 -8 16 16"><rect x="-6" y="-6" width="5" height="12" fill="#1a7f37" opacity=".55"/><rect x="1" y="-2" width="5" height="8" fill="#cf222e" opacity=".7"/></svg>per second: succeeded, failed</span>`,
  );
  if (windows)
    items.push(
      `<span><svg viewBox="-8 -8 16 16"><rect x="-7" y="-7" width="14" height="14" fill="#cf222e" opacity=".15"/></svg>fault window</span>`,
      `<span><svg viewBox="-8 -8 16 16"><path d="M-7,7 L7,-7 M-7,0 L0,-7 M0,7 L7,0" stroke="#8c959f" stroke-width="1.6"/></svg>machine or process down</span>`,
    );
  if (s.recoveries.length)
    items.push(
      `<span><svg viewBox="-8 -8 16 16"><path d="M-6,-3v6M-6,0H6M6,-3v6" stroke="#1a7f37" stroke-width="1.6" fill="none"/></svg>recovery after a heal</span>`,
    );
  return `<div class="legend">${items.join("\n")}</div>`;
}

const ms = (v: number | undefined) =>
  v === undefined ? "–" : v >= 1000 ? `${+(v / 1000).toFixed(2)} s` : `${+v.toFixed(v < 10 ? 1 : 0)} ms`;

export function percent(a: number | undefined): string {
  if (a === undefined) return "–";
  if (a === 1) return "100 %";
  return `${Math.min(99.99, +(a * 100).toFixed(2))} %`;
}

function figuresTable(s: WorkloadStats): string {
  const failures = s.byOutcome
    .filter((o) => !["RESPONSE", "PUBLISHED"].includes(o.outcome))
    .map((o) => `${esc(o.outcome)} ${o.count}`)
    .join(", ");
  const row = (label: string, f: LatencyFigures, detail: string) =>
    `<tr><th>${label}</th><td>${f.operations}</td><td>${f.succeeded}</td><td class="${f.operations > f.succeeded ? "bad" : ""}">${f.operations - f.succeeded}${detail ? ` <span class="mute">(${detail})</span>` : ""}</td><td><b>${percent(f.availability)}</b></td><td>${ms(f.p50Ms)}</td><td>${ms(f.p99Ms)}</td><td>${ms(f.maxMs)}</td></tr>`;
  return `<table class="figures" data-workload="${esc(s.id)}"><thead><tr><th></th><th>operations</th><th>succeeded</th><th>failed</th><th>availability</th><th>p50</th><th>p99</th><th>max</th></tr></thead><tbody>
${row("all", s, failures)}
${row("outside fault windows", s.outside, "")}
</tbody></table>`;
}

/** The recoveries after each heal; `who`: a subscriber (its recovery is about what it received). */
function recoveryList(recs: readonly Recovery[], who = ""): string {
  if (recs.length === 0) return "";
  const items = recs.map((r, i) => {
    const since = `${((r.recoveredAt ?? 0) / 1000).toFixed(3)} s`;
    const lasting = who
      ? `it received every publication made from ${since} on`
      : `every operation started from ${since} on succeeded`;
    const failing = who
      ? "it missed one of the last publications before the next window or the end"
      : "one of the last operations before the next window or the end failed";
    const what =
      r.recoveryMs !== undefined
        ? `recovered in <b>${ms(r.recoveryMs)}</b> (${lasting})`
        : `<b class="bad">not recovered</b> (${failing})`;
    return `<li><b>${i + 1}.</b> ${esc(r.heal)} ended at ${(r.healAt / 1000).toFixed(3)} s: ${what}</li>`;
  });
  return `<div class="recoveries">${who ? `<b>${esc(who)}</b> r` : "R"}ecovery after each heal:<ol>${items.join("")}</ol></div>`;
}

function subscribersTable(s: WorkloadStats): string {
  if (s.subscribers.length === 0) return "";
  const rows = s.subscribers.map(
    (x) =>
      `<tr><th>${esc(x.process)}</th><td>${x.received}</td><td>${x.distinct}</td><td>${x.cached}</td><td class="${x.duplicates ? "bad" : ""}">${x.duplicates}</td><td class="${x.reordered ? "bad" : ""}">${x.reordered}</td><td class="${x.notReceived.length ? "bad" : ""}">${x.notReceived.length}${x.notReceived.length ? ` <span class="mute">${esc(numberRanges(x.notReceived))}</span>` : ""}</td></tr>`,
  );
  const recs = s.subscribers.map((x) => recoveryList(x.recoveries, x.process)).join("");
  return `${recs}<table class="figures subscribers"><thead><tr><th>subscriber</th><th>received</th><th>distinct</th><th>cached</th><th>twice</th><th>out of order</th><th>never received</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
