/**
 * One workload drawn on the scenario's time axis (time-axis.ts: the same x as its timeline), as one inline SVG:
 *
 * - calls: each operation a mark at (start, latency), latency on a log scale, one `<path>` per outcome (a few
 *   thousand marks stay a few hundred KB and render at once), successes as dots, failures as squares on top;
 * - publications: a row of ticks at each publication's start, then a row per subscriber: what it received (at the
 *   time it received it), cached deliveries, deliveries twice or out of order, and the published numbers it never
 *   received (red, at their publication time, listed on the left);
 * - both: operations started per second under it (stacked: succeeded, failed), the fault and outage windows
 *   shaded across, each heal's recovery as a bracket from the heal to the first lasting success.
 *
 * Data attributes let a test read the plot back: the `<svg>` carries its scales (`data-axis-*`, `data-lat-*`), each
 * mark path its outcome and count.
 */
import type { RecordedDelivery, RecordedOperation } from "../history";
import {
  type DisturbanceWindow,
  isSuccess,
  type Recovery,
  latency,
  type ThroughputBucket,
  throughput,
  throughputBucketMs,
  type WorkloadRecord,
  type WorkloadStats,
} from "../workload-stats";
import { numberRanges } from "../workload-figures";
export { numberRanges };
import { describeWorkload } from "./describe";
import { duration, esc } from "./text";
import { AXIS_LEFT, AXIS_WIDTH, niceStep, timeScale, timeTicks } from "./time-axis";

const PAD_TOP = 10;
const LAT_H = 150;
const ROW_H = 18;
const GAP = 12;
const TP_H = 50;
const TICKS_H = 16;

/** Colours of the outcomes (also the legend's); unknown outcomes fall back to grey. */
export const OUTCOME_COLOURS: Readonly<Record<string, string>> = {
  RESPONSE: "#1a7f37",
  PUBLISHED: "#1a7f37",
  SERVICE_UNAVAILABLE: "#cf222e",
  SERVICE_WITHDRAWN: "#bc4c00",
  REQUEST_TIMEOUT: "#8250df",
  FAILURE: "#9a6700",
  CANCELLED: "#6e7781",
  ERROR: "#1f2328",
  UNSETTLED: "#0969da",
};

export function outcomeColour(outcome: string): string {
  return OUTCOME_COLOURS[outcome] ?? "#57606a";
}

export interface WorkloadPlotInput {
  record: WorkloadRecord;
  stats: WorkloadStats;
  windows: readonly DisturbanceWindow[];
  /** The scenario's axis end (time-axis.ts `axisEnd`). */
  end: number;
  /** Unique within the page (SVG ids). */
  key: string;
}

const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

export function renderWorkloadPlot(p: WorkloadPlotInput): string {
  const { record: w, stats, end } = p;
  const x = timeScale(end);
  const publish = w.summary.kind === "publish";
  const subscribers = publish ? stats.subscribers.map((s) => s.process) : [];
  const panelTop = PAD_TOP;
  const panelH = publish ? ROW_H * (1 + subscribers.length) : LAT_H;
  const tpTop = panelTop + panelH + GAP;
  const height = tpTop + TP_H + TICKS_H + 4;
  const right = x(end);
  const out: string[] = [];
  const lat = latencyScale(w.operations, panelTop, panelTop + panelH);
  out.push(
    `<svg class="wl" viewBox="0 0 ${AXIS_WIDTH} ${height}" width="100%" role="img" aria-label="${esc(`Workload ${w.id}: ${describeWorkload(w.summary)}`)}" data-workload="${esc(w.id)}" data-axis-left="${AXIS_LEFT}" data-axis-right="${right}" data-axis-end="${end}"${publish ? "" : ` data-lat-top="${lat.top}" data-lat-bottom="${lat.bottom}" data-lat-min="${lat.min}" data-lat-max="${lat.max}"`}>`,
  );
  out.push(
    `<defs><pattern id="wl-hatch-${p.key}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#8c959f" stroke-width="1.6"/></pattern></defs>`,
  );
  // backgrounds, grid, windows
  out.push(`<rect class="wl-panel" x="${AXIS_LEFT}" y="${panelTop}" width="${right - AXIS_LEFT}" height="${panelH}"/>`);
  out.push(`<rect class="wl-panel" x="${AXIS_LEFT}" y="${tpTop}" width="${right - AXIS_LEFT}" height="${TP_H}"/>`);
  for (const { t } of timeTicks(end))
    out.push(`<line class="grid" x1="${f1(x(t))}" x2="${f1(x(t))}" y1="${panelTop}" y2="${tpTop + TP_H}"/>`);
  out.push(...windowShades(p, x, panelTop, tpTop + TP_H));
  out.push(...(publish ? publishPanel(w, stats, x, panelTop) : latencyPanel(w, lat, x)));
  out.push(...throughputPanel(w.operations, end, x, tpTop, publish ? "publications" : "calls"));
  if (publish) {
    out.push(
      ...healLines(
        stats.subscribers.flatMap((s) => s.recoveries.map((r) => r.healAt)),
        x,
        panelTop,
        tpTop + TP_H,
      ),
    );
    stats.subscribers.forEach((s, i) =>
      out.push(...recoveryMarks(s.recoveries, x, () => panelTop + (i + 1.5) * ROW_H, `${s.process}: `)),
    );
  } else {
    out.push(
      ...healLines(
        stats.recoveries.map((r) => r.healAt),
        x,
        panelTop,
        tpTop + TP_H,
      ),
    );
    out.push(...recoveryMarks(stats.recoveries, x, (i) => panelTop + 6 + (i % 2) * 11));
  }
  for (const { t, label } of timeTicks(end))
    out.push(`<text class="tick" x="${f1(x(t))}" y="${tpTop + TP_H + 12}">${label}</text>`);
  out.push(`</svg>`);
  return out.join("\n");
}

interface LatencyScale {
  top: number;
  bottom: number;
  /** log10 of the latency at the bottom and at the top. */
  min: number;
  max: number;
  y(ms: number): number;
}

/** Log scale over whole decades that hold every latency; 0 ms (and anything under the bottom) sits on the bottom. */
function latencyScale(ops: readonly RecordedOperation[], top: number, bottom: number): LatencyScale {
  let lo = Infinity;
  let hi = 0;
  for (const o of ops) {
    const l = latency(o);
    if (l > 0) lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  const min = Number.isFinite(lo) ? Math.max(-1, Math.floor(Math.log10(lo))) : 0;
  const max = Math.max(min + 1, Math.ceil(Math.log10(Math.max(hi, 1e-9))));
  const y = (ms: number) => {
    const v = ms > 0 ? Math.log10(ms) : min;
    const k = (Math.min(max, Math.max(min, v)) - min) / (max - min);
    return bottom - k * (bottom - top);
  };
  return { top, bottom, min, max, y };
}

function latencyLabel(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Operations per outcome: successes first, so that the failures are drawn on top of them. */
function groupByOutcome(ops: readonly RecordedOperation[]): [string, RecordedOperation[]][] {
  const byOutcome = new Map<string, RecordedOperation[]>();
  for (const o of ops) {
    const list = byOutcome.get(o.outcome);
    if (list) list.push(o);
    else byOutcome.set(o.outcome, [o]);
  }
  return [...byOutcome].sort(([a], [b]) => Number(isSuccess(b)) - Number(isSuccess(a)) || a.localeCompare(b));
}

function latencyPanel(w: WorkloadRecord, lat: LatencyScale, x: (t: number) => number): string[] {
  const out: string[] = [];
  for (let d = lat.min; d <= lat.max; d++) {
    const y = f1(lat.y(10 ** d));
    out.push(`<line class="wl-hgrid" x1="${AXIS_LEFT}" x2="${AXIS_WIDTH - 16}" y1="${y}" y2="${y}"/>`);
    out.push(
      `<text class="wl-ytick" x="${AXIS_LEFT - 5}" y="${+y + 3.5}">${d === lat.min ? "≤ " : ""}${latencyLabel(+(10 ** d).toPrecision(1))}</text>`,
    );
  }
  out.push(
    `<text class="wl-ylabel" x="12" y="${lat.top + 12}">latency</text><text class="wl-ylabel sub" x="12" y="${lat.top + 25}">(log scale)</text>`,
  );
  for (const [outcome, ops] of groupByOutcome(w.operations)) {
    const d = ops.map((o) => `M${f1(x(o.start))} ${f1(lat.y(latency(o)))}h0`).join("");
    out.push(
      `<path class="wl-ops ${isSuccess(outcome) ? "ok" : "bad"}" stroke="${outcomeColour(outcome)}" data-outcome="${esc(outcome)}" data-count="${ops.length}" d="${d}"><title>${esc(outcome)}: ${ops.length} operation${ops.length === 1 ? "" : "s"}</title></path>`,
    );
  }
  return out;
}

function publishPanel(w: WorkloadRecord, stats: WorkloadStats, x: (t: number) => number, top: number): string[] {
  const out: string[] = [];
  const tick = (t: number, row: number, h = ROW_H - 6) => `M${f1(x(t))} ${top + row * ROW_H + (ROW_H - h) / 2}v${h}`;
  const rowLabel = (row: number, text: string, sub = "") =>
    `<text class="wl-rowlabel" x="12" y="${top + row * ROW_H + 13}">${esc(text)}${sub ? `<tspan class="sub"> ${esc(sub)}</tspan>` : ""}</text>`;
  const rowBg = (row: number) =>
    `<line class="wl-hgrid" x1="${AXIS_LEFT}" x2="${AXIS_WIDTH - 16}" y1="${top + (row + 1) * ROW_H}" y2="${top + (row + 1) * ROW_H}"/>`;
  out.push(rowLabel(0, "published"), rowBg(0));
  const byOutcome = groupByOutcome(w.operations);
  for (const [outcome, ops] of byOutcome) {
    out.push(
      `<path class="wl-ticks" stroke="${outcomeColour(outcome)}" data-outcome="${esc(outcome)}" data-count="${ops.length}" d="${ops.map((o) => tick(o.start, 0)).join("")}"><title>${esc(outcome)}: ${ops.length} publication${ops.length === 1 ? "" : "s"}</title></path>`,
    );
  }
  const startOf = new Map(w.operations.map((o) => [o.n, o.start]));
  stats.subscribers.forEach((s, i) => {
    const row = i + 1;
    const mine = w.deliveries.filter((d) => d.process === s.process);
    const kinds = classifyDeliveries(mine);
    const label = s.process.length > 26 ? `…${s.process.slice(-25)}` : s.process;
    out.push(rowLabel(row, label, s.notReceived.length ? `missed ${s.notReceived.length}` : ""), rowBg(row));
    const put = (cls: string, kind: string, times: number[], title: string, h?: number) => {
      if (times.length)
        out.push(
          `<path class="wl-ticks ${cls}" data-subscriber="${esc(s.process)}" data-kind="${kind}" data-count="${times.length}" d="${times.map((t) => tick(t, row, h)).join("")}"><title>${esc(s.process)}: ${esc(title)}</title></path>`,
        );
    };
    put("received", "received", kinds.received, `${kinds.received.length} received`);
    put("cached", "cached", kinds.cached, `${kinds.cached.length} received from the cache`);
    put("odd", "duplicate-or-reordered", kinds.odd, `${kinds.odd.length} received twice or out of order`);
    put(
      "missed",
      "not-received",
      s.notReceived.map((n) => startOf.get(n) ?? 0),
      `never received ${numberRanges(s.notReceived)}`,
      ROW_H - 2,
    );
  });
  return out;
}

function classifyDeliveries(ds: readonly RecordedDelivery[]): { received: number[]; cached: number[]; odd: number[] } {
  const seen = new Set<number>();
  let high = -Infinity;
  const out = { received: [] as number[], cached: [] as number[], odd: [] as number[] };
  for (const d of ds) {
    if (d.cached) out.cached.push(d.at);
    else if (seen.has(d.n) || d.n < high) out.odd.push(d.at);
    else out.received.push(d.at);
    if (!d.cached) high = Math.max(high, d.n);
    seen.add(d.n);
  }
  return out;
}

function throughputPanel(
  ops: readonly RecordedOperation[],
  end: number,
  x: (t: number) => number,
  top: number,
  what: string,
): string[] {
  const bucketMs = throughputBucketMs(end);
  const buckets = throughput(ops, bucketMs, end);
  const perS = (n: number) => (n * 1000) / bucketMs;
  const peak = Math.max(1, ...buckets.map((b) => perS(b.operations)));
  const scaleMax = niceStep(peak);
  const h = (v: number) => (perS(v) / scaleMax) * (TP_H - 2);
  const bottom = top + TP_H;
  const bar = (b: ThroughputBucket, from: number, to: number) => {
    if (to <= from) return "";
    const x0 = x(b.from);
    const wdt = Math.max(0.6, x(Math.min(b.to, end)) - x0 - 0.6);
    return `M${f1(x0)} ${f1(bottom - h(from))}h${f1(wdt)}V${f1(bottom - h(to))}h${f1(-wdt)}z`;
  };
  return [
    `<text class="wl-ylabel" x="12" y="${top + 12}">${esc(what)} / s</text><text class="wl-ylabel sub" x="12" y="${top + 25}">per ${duration(bucketMs)}</text>`,
    `<text class="wl-ytick" x="${AXIS_LEFT - 5}" y="${top + 9}">${+scaleMax.toPrecision(3)}/s</text>`,
    `<text class="wl-ytick" x="${AXIS_LEFT - 5}" y="${bottom}">0</text>`,
    `<path class="wl-bars ok" data-bucket-ms="${bucketMs}" d="${buckets.map((b) => bar(b, 0, b.succeeded)).join("")}"><title>succeeded ${esc(what)} per second (${duration(bucketMs)} buckets)</title></path>`,
    `<path class="wl-bars bad" d="${buckets.map((b) => bar(b, b.succeeded, b.operations)).join("")}"><title>failed ${esc(what)} per second (${duration(bucketMs)} buckets)</title></path>`,
  ];
}

function windowShades(p: WorkloadPlotInput, x: (t: number) => number, top: number, bottom: number): string[] {
  return p.windows.map((w) => {
    const x0 = x(w.from);
    const width = Math.max(2, x(w.to) - x0);
    const title = `${w.label}: ${(w.from / 1000).toFixed(3)} s → ${w.healed ? `${(w.to / 1000).toFixed(3)} s` : "the end"}`;
    const cls = w.kind === "fault" ? `wl-fault fault-${w.type.replace(/[^a-z-]/gi, "")}` : "wl-outage";
    const fill = w.kind === "outage" ? ` fill="url(#wl-hatch-${p.key})"` : "";
    return `<rect class="${cls}"${fill} x="${f1(x0)}" y="${top}" width="${f1(width)}" height="${bottom - top}" data-ids="${w.ids.join(" ")}" data-from="${w.from}" data-to="${w.to}"><title>${esc(title)}</title></rect>`;
  });
}

/** A dashed line at each heal, across both panels. */
function healLines(heals: readonly number[], x: (t: number) => number, top: number, bottom: number): string[] {
  return [...new Set(heals)].map(
    (t) => `<line class="wl-heal" x1="${f1(x(t))}" x2="${f1(x(t))}" y1="${top}" y2="${bottom}"/>`,
  );
}

/**
 * A bracket from each heal to the recovery (at `y(i)`), labelled; "not recovered" in red. Heals the workload did
 * not feel (no failure from the window's start to the recovery) get none: their line says enough.
 */
function recoveryMarks(
  recs: readonly Recovery[],
  x: (t: number) => number,
  y: (i: number) => number,
  who = "",
): string[] {
  return recs.flatMap((r, i) => {
    if (r.recoveredAt !== undefined && r.failed === 0) return [];
    const x0 = x(r.healAt);
    const yy = y(i);
    const when = `${who}after ${r.heal} ended at ${(r.healAt / 1000).toFixed(3)} s`;
    if (r.recoveredAt === undefined)
      return `<g class="wl-recovery none" data-ids="${r.ids.join(" ")}"><title>${esc(`${when}: did not recover`)}</title><text x="${f1(x0 + 4)}" y="${yy + 3.5}">not recovered</text></g>`;
    const x1 = Math.max(x0 + 1, x(r.recoveredAt));
    return `<g class="wl-recovery" data-ids="${r.ids.join(" ")}" data-recovery-ms="${r.recoveryMs}"><title>${esc(`${when}: recovered in ${duration(r.recoveryMs ?? 0)}`)}</title><path d="M${f1(x0)} ${yy - 3}v6M${f1(x0)} ${yy}H${f1(x1)}M${f1(x1)} ${yy - 3}v6"/><text x="${f1(x1 + 4)}" y="${yy + 3.5}">recovered in ${duration(r.recoveryMs ?? 0)}</text></g>`;
  });
}
