/** Renders a {@link TimelineModel} as one self-contained inline SVG: a lane per process, on the lab clock. */
import type { ScenarioHistory } from "../history";
import { esc } from "./text";
import { AXIS_LEFT as LABEL_W, AXIS_WIDTH as W, timeScale, timeTicks } from "./time-axis";
import { buildTimeline, type Mark, type Shape, type TimelineModel } from "./timeline-model";

const AXIS_H = 22;
const STEPS_H = 24;
const FAULT_ROW_H = 18;
const LANE_H = 34;
const ROW_Y = [7, 15, 24, 17];

export interface TimelineOptions {
  /** Recorded event ids to ring in red (a violation's proof). */
  highlight?: ReadonlySet<number>;
}

export function renderTimeline(h: ScenarioHistory, o: TimelineOptions = {}): string {
  const m = buildTimeline(h);
  const x = timeScale(m.end);
  const faultsH = Math.max(1, m.faultRows) * FAULT_ROW_H + 6;
  const lanesTop = AXIS_H + STEPS_H + faultsH;
  const height = lanesTop + m.lanes.length * LANE_H + 6;
  const laneY = (i: number) => lanesTop + i * LANE_H;
  const out: string[] = [];
  out.push(
    `<svg class="timeline" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="Timeline of ${esc(h.scenario)}">`,
  );
  out.push(
    `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fdecec"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e8a0a0" stroke-width="2"/></pattern></defs>`,
  );
  out.push(...lanesBackground(m, laneY, x));
  out.push(...scheduleShades(m, x, lanesTop - faultsH, height));
  out.push(...axis(m, x, height));
  out.push(...faultBand(m, x, lanesTop, faultsH));
  out.push(...stepGuides(m, x, height));
  out.push(...marksSvg(m, x, laneY, o.highlight));
  out.push(`</svg>`);
  return out.join("\n");
}

function lanesBackground(m: TimelineModel, laneY: (i: number) => number, x: (t: number) => number): string[] {
  const out: string[] = [];
  let shade = false;
  m.lanes.forEach((lane, i) => {
    if (i > 0 && lane.machine !== m.lanes[i - 1].machine) shade = !shade;
    const y = laneY(i);
    out.push(`<rect class="lane${shade ? " alt" : ""}" x="0" y="${y}" width="${W}" height="${LANE_H}"/>`);
    const [machine, ...rest] = lane.address.split("/");
    const name = rest.join("/");
    out.push(
      `<text class="lane-label" x="10" y="${y + 21}"><tspan class="machine">${esc(machine)}/</tspan><tspan class="proc${lane.kind === "server" ? " server" : ""}">${esc(name || machine)}</tspan><title>${esc(lane.address)} (${lane.kind})</title></text>`,
    );
    if (i > 0 && lane.machine !== m.lanes[i - 1].machine)
      out.push(`<line class="machine-sep" x1="0" x2="${W}" y1="${y}" y2="${y}"/>`);
  });
  for (const f of m.faults) {
    for (const lane of f.lanes)
      out.push(
        `<rect class="fault-shade ${esc(f.cls)}" x="${x(f.from)}" y="${laneY(lane)}" width="${Math.max(2, x(f.to) - x(f.from))}" height="${LANE_H}"><title>${esc(f.title)}</title></rect>`,
      );
  }
  for (const d of m.down)
    out.push(
      `<rect class="span-${d.cls}" x="${x(d.from)}" y="${laneY(d.lane) + 3}" width="${Math.max(2, x(d.to) - x(d.from))}" height="${LANE_H - 6}" data-ids="${d.ids.join(" ")}"><title>${esc(d.title)}</title></rect>`,
    );
  return out;
}

/** Random fault schedules: their window shaded over the fault band and the lanes, labelled with the seed. */
function scheduleShades(m: TimelineModel, x: (t: number) => number, top: number, height: number): string[] {
  return m.schedules.map(
    (s) =>
      `<g class="schedule" data-ids="${s.ids.join(" ")}"><title>${esc(s.title)}</title><rect class="schedule-shade" x="${x(s.from)}" y="${top}" width="${Math.max(2, x(s.to) - x(s.from))}" height="${height - top}"/><text class="schedule-label" x="${x(s.to) - 4}" y="${height - 4}" text-anchor="end">${esc(s.label)}</text></g>`,
  );
}

function axis(m: TimelineModel, x: (t: number) => number, height: number): string[] {
  const out = [`<line class="axis" x1="${LABEL_W}" x2="${x(m.end)}" y1="${AXIS_H - 2}" y2="${AXIS_H - 2}"/>`];
  for (const { t, label } of timeTicks(m.end)) {
    out.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${AXIS_H - 5}" y2="${height}"/>`);
    out.push(`<text class="tick" x="${x(t)}" y="${AXIS_H - 8}">${label}</text>`);
  }
  out.push(`<text class="band-label" x="10" y="${AXIS_H + 16}">steps</text>`);
  return out;
}

function faultBand(m: TimelineModel, x: (t: number) => number, lanesTop: number, faultsH: number): string[] {
  const top = lanesTop - faultsH;
  const out = [`<text class="band-label" x="10" y="${top + 13}">faults</text>`];
  if (m.faults.length === 0) out.push(`<text class="none" x="${LABEL_W + 4}" y="${top + 13}">none</text>`);
  for (const f of m.faults) {
    const y = top + f.row * FAULT_ROW_H + 2;
    const w = Math.max(3, x(f.to) - x(f.from));
    const id = `c${f.ids[0]}-${Math.round(f.from)}`;
    out.push(`<g class="fault ${esc(f.cls)}" data-ids="${f.ids.join(" ")}"><title>${esc(f.title)}</title>`);
    out.push(`<rect class="fault-bar" x="${x(f.from)}" y="${y}" width="${w}" height="${FAULT_ROW_H - 3}" rx="3"/>`);
    if (w >= f.label.length * 6 + 10)
      out.push(`<text class="fault-label" x="${x(f.from) + 5}" y="${y + 11}">${esc(f.label)}</text></g>`);
    else if (w >= 40) {
      out.push(
        `<clipPath id="${id}"><rect x="${x(f.from)}" y="${y}" width="${w}" height="${FAULT_ROW_H - 3}"/></clipPath>`,
      );
      out.push(
        `<text class="fault-label" x="${x(f.from) + 5}" y="${y + 11}" clip-path="url(#${id})">${esc(f.label)}</text></g>`,
      );
    } else
      out.push(`<text class="fault-label outside" x="${x(f.from) + w + 4}" y="${y + 11}">${esc(f.label)}</text></g>`);
  }
  return out;
}

function stepGuides(m: TimelineModel, x: (t: number) => number, height: number): string[] {
  const out: string[] = [];
  const y = AXIS_H + 3;
  for (const s of m.steps) {
    const x0 = x(s.from);
    if (s.status === "failed")
      out.push(
        `<rect class="step-failed-span" x="${x0}" y="${AXIS_H}" width="${Math.max(3, x(s.to) - x0)}" height="${height - AXIS_H}"/>`,
      );
    out.push(`<line class="step-guide ${esc(s.cls)}" x1="${x0}" x2="${x0}" y1="${y}" y2="${height}"/>`);
  }
  for (const group of labelGroups(m.steps, x)) {
    const x0 = x(group[0].from);
    const text = group.length === 1 ? `${group[0].index}` : `${group[0].index}–${group[group.length - 1].index}`;
    const w = text.length * 6 + 8;
    const worst = group.find((s) => s.status === "failed") ?? group.find((s) => s.status !== "passed") ?? group[0];
    out.push(
      `<g class="step-mark ${esc(worst.cls)}" data-ids="${group.flatMap((s) => s.ids).join(" ")}"><title>${esc(group.map((s) => s.title).join("\n"))}</title><rect x="${x0 - w / 2}" y="${y}" width="${w}" height="15" rx="4"/><text x="${x0}" y="${y + 11}">${text}</text></g>`,
    );
  }
  return out;
}

/** Steps whose labels would overlap share one label ("1–3"). */
function labelGroups(steps: TimelineModel["steps"], x: (t: number) => number): TimelineModel["steps"][] {
  const groups: TimelineModel["steps"][] = [];
  for (const s of steps) {
    const last = groups[groups.length - 1];
    if (last && x(s.from) - x(last[0].from) < 10 + String(last[last.length - 1].index).length * 12) last.push(s);
    else groups.push([s]);
  }
  return groups;
}

/**
 * Above this many request and report marks on one lane (a workload's calls), they are drawn as one path per kind
 * instead of one element each with its own hover text, so that thousands of them stay light; marks that prove a
 * violation are still drawn one by one.
 */
export const DENSE_LANE_MARKS = 200;

const DENSE_NAMES: Record<string, string> = {
  "req-ok": "replies",
  "req-bad": "failed requests",
  report: "reports",
  "report-cached": "cached reports",
};

function marksSvg(
  m: TimelineModel,
  x: (t: number) => number,
  laneY: (i: number) => number,
  highlight?: ReadonlySet<number>,
): string[] {
  const perLane = new Map<number, number>();
  for (const mark of m.marks) if (mark.row === 2) perLane.set(mark.lane, (perLane.get(mark.lane) ?? 0) + 1);
  const hot = (mark: Mark) => highlight !== undefined && mark.ids.some((id) => highlight.has(id));
  const dense = new Map<string, { lane: number; cls: string; d: string[] }>();
  const out: string[] = [];
  for (const mark of m.marks) {
    if (mark.row !== 2 || (perLane.get(mark.lane) ?? 0) <= DENSE_LANE_MARKS || hot(mark)) {
      out.push(markSvg(mark, x(mark.t), laneY(mark.lane), highlight));
      continue;
    }
    const key = `${mark.lane} ${mark.cls}`;
    let group = dense.get(key);
    if (!group) dense.set(key, (group = { lane: mark.lane, cls: mark.cls, d: [] }));
    const cx = x(mark.t).toFixed(1);
    const cy = laneY(mark.lane) + ROW_Y[2];
    group.d.push(mark.shape === "diamond" ? `M${cx} ${cy - 4.5}l4 4.5l-4 4.5l-4-4.5z` : `M${cx} ${cy - 4}h1.2v8h-1.2z`);
  }
  for (const g of dense.values())
    out.push(
      `<path class="mark dense ${esc(g.cls)}" data-count="${g.d.length}" d="${g.d.join("")}"><title>${esc(`${m.lanes[g.lane].address}: ${g.d.length} ${DENSE_NAMES[g.cls] ?? g.cls}, drawn together (too many to hover one by one; see the workload plots)`)}</title></path>`,
    );
  return out;
}

function markSvg(mark: Mark, cx: number, laneTop: number, highlight?: ReadonlySet<number>): string {
  const cy = laneTop + ROW_Y[mark.row];
  const hot = highlight !== undefined && mark.ids.some((id) => highlight.has(id));
  const ring = hot ? `<circle class="proof-ring" cx="${cx.toFixed(1)}" cy="${cy}" r="8"/>` : "";
  return `<g class="mark ${mark.cls}${hot ? " proof" : ""}" data-ids="${mark.ids.join(" ")}"><title>${esc(mark.title)}</title>${ring}${shape(mark.shape, cx, cy)}</g>`;
}

function shape(s: Shape, cx: number, cy: number): string {
  const p = (pts: [number, number][]) =>
    `<polygon points="${pts.map(([a, b]) => `${(cx + a).toFixed(1)},${(cy + b).toFixed(1)}`).join(" ")}"/>`;
  const X = cx.toFixed(1);
  switch (s) {
    case "up":
      return p([
        [0, -4],
        [4, 3],
        [-4, 3],
      ]);
    case "down":
      return p([
        [0, 4],
        [4, -3],
        [-4, -3],
      ]);
    case "dot":
      return `<circle cx="${X}" cy="${cy}" r="3.5"/>`;
    case "ring":
      return `<circle cx="${X}" cy="${cy}" r="3.5"/>`;
    case "ring-x":
      return `<circle cx="${X}" cy="${cy}" r="3.5"/><line x1="${cx - 2.5}" x2="${cx + 2.5}" y1="${cy}" y2="${cy}"/>`;
    case "diamond":
      return p([
        [0, -4.5],
        [4, 0],
        [0, 4.5],
        [-4, 0],
      ]);
    case "tick":
      return `<rect x="${(cx - 1.2).toFixed(1)}" y="${cy - 4}" width="2.4" height="8" rx="1"/>`;
    case "warn":
      return p([
        [0, -5],
        [5, 4],
        [-5, 4],
      ]);
    case "cross":
      return `<path d="M${cx - 6},${cy - 6} L${cx + 6},${cy + 6} M${cx + 6},${cy - 6} L${cx - 6},${cy + 6}"/>`;
    case "square":
      return `<rect x="${cx - 5}" y="${cy - 5}" width="10" height="10" rx="1"/>`;
    case "pause":
      return `<rect x="${cx - 5}" y="${cy - 6}" width="3.5" height="12"/><rect x="${cx + 1.5}" y="${cy - 6}" width="3.5" height="12"/>`;
    case "play":
      return p([
        [-4, -6],
        [6, 0],
        [-4, 6],
      ]);
  }
}
