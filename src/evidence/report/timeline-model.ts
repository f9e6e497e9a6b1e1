/**
 * What the timeline shows, computed from a history: lanes (one per process), marks on them, fault windows,
 * down/frozen windows and step spans, all on the lab clock (ms since scenario start).
 *
 * Exchange events are pulled in batches, so their arrival time `t` is late and bunched. They are placed at an
 * estimate of when they were emitted: per process incarnation, offset = min(t − event.time) over its events
 * (the fastest pull), placed at event.time + offset, clamped to [0, t]. This needs only that the process
 * clock runs at the lab clock's rate, not that the two agree.
 */
import type { RecordedEvent, RecordedExchange, ScenarioHistory } from "../history";
import { describeExchange, describeRecorded } from "./describe";
import { axisEnd } from "./time-axis";

export interface Lane {
  address: string;
  machine: string;
  kind: "server" | "process" | "unknown";
}

export type Shape =
  "up" | "down" | "dot" | "ring" | "ring-x" | "diamond" | "tick" | "warn" | "cross" | "square" | "pause" | "play";

export interface Mark {
  lane: number;
  t: number;
  /** 0: links, 1: services, 2: requests and reports, 3: lifecycle (lane centre, larger). */
  row: 0 | 1 | 2 | 3;
  shape: Shape;
  cls: string;
  title: string;
  ids: number[];
}

export interface Span {
  from: number;
  to: number;
  label: string;
  cls: string;
  title: string;
  ids: number[];
}

export interface FaultSpan extends Span {
  lanes: number[];
  /** Row in the fault band (overlapping faults stack). */
  row: number;
}

export interface LaneSpan extends Span {
  lane: number;
}

export interface StepSpan extends Span {
  index: number;
  status: string;
}

export interface TimelineModel {
  lanes: Lane[];
  marks: Mark[];
  faults: FaultSpan[];
  faultRows: number;
  down: LaneSpan[];
  steps: StepSpan[];
  /** The windows of random fault schedules (from their start to their last action's end). */
  schedules: Span[];
  /** End of the time axis (ms). */
  end: number;
}

export function buildTimeline(h: ScenarioHistory): TimelineModel {
  const lanes = laneList(h);
  const index = new Map(lanes.map((l, i) => [l.address, i]));
  const lanesOf = (target: string) =>
    lanes.flatMap((l, i) => (l.address === target || l.machine === target ? [i] : []));
  const placed = placeExchange(h);
  const end = axisEnd(h);
  const marks: Mark[] = [];
  const everActive = new Set<string>();
  for (const e of h.events) {
    if (e.kind === "exchange") {
      const lane = index.get(e.process);
      if (lane === undefined) continue;
      const ev = e.event;
      if (ev.type === "link" && ev.state === "ACTIVE") everActive.add(`${e.process}/${ev.incarnation}/${ev.linkId}`);
      const m = exchangeMark(e, everActive);
      if (m)
        marks.push({
          ...m,
          lane,
          t: placed.get(e.id) ?? e.t,
          title: `${e.process} #${ev.seq}: ${describeExchange(ev)}`,
          ids: [e.id],
        });
    } else if (e.kind === "lifecycle") {
      const shape =
        e.state === "crashed"
          ? "cross"
          : e.state === "stopped" || e.state === "exited"
            ? "square"
            : e.state === "frozen"
              ? "pause"
              : "play";
      for (const lane of lanesOf(e.target))
        marks.push({ lane, t: e.t, row: 3, shape, cls: `life-${e.state}`, title: describeRecorded(e), ids: [e.id] });
    }
  }
  const schedules = h.events.flatMap((e) =>
    e.kind === "schedule"
      ? [
          {
            from: e.from,
            to: Math.max(e.to, e.from),
            label: `random faults · seed ${e.seed}`,
            cls: "schedule",
            title: describeRecorded(e),
            ids: [e.id],
          },
        ]
      : [],
  );
  return {
    lanes,
    marks,
    ...faultSpans(h, lanesOf, end),
    down: downSpans(h, lanesOf, end),
    steps: stepSpans(h),
    schedules,
    end,
  };
}

function laneList(h: ScenarioHistory): Lane[] {
  const lanes: Lane[] = h.topology.processes.map((p) => ({ address: p.address, machine: p.machine, kind: p.kind }));
  const known = new Set(lanes.map((l) => l.address));
  const add = (address: string, machine: string) => {
    if (known.has(address)) return;
    known.add(address);
    lanes.push({ address, machine, kind: "unknown" });
  };
  for (const e of h.events) {
    if (e.kind === "exchange") add(e.process, e.machine);
    else if (e.kind === "lifecycle" && e.target.includes("/")) add(e.target, e.target.split("/")[0]);
  }
  const machineOrder = [...new Set(lanes.map((l) => l.machine))];
  return lanes
    .map((l, i) => ({ l, i }))
    .sort((a, b) => machineOrder.indexOf(a.l.machine) - machineOrder.indexOf(b.l.machine) || a.i - b.i)
    .map(({ l }) => l);
}

function placeExchange(h: ScenarioHistory): Map<number, number> {
  const offsets = new Map<string, number>();
  const key = (e: RecordedExchange) => `${e.process}\u0000${e.event.incarnation}`;
  const ex = h.events.filter((e): e is RecordedExchange => e.kind === "exchange" && Number.isFinite(e.event.time));
  for (const e of ex) offsets.set(key(e), Math.min(offsets.get(key(e)) ?? Infinity, e.t - e.event.time));
  return new Map(ex.map((e) => [e.id, Math.min(e.t, Math.max(0, e.event.time + (offsets.get(key(e)) ?? 0)))]));
}

function exchangeMark(e: RecordedExchange, everActive: Set<string>): Pick<Mark, "row" | "shape" | "cls"> | undefined {
  const ev = e.event;
  switch (ev.type) {
    case "link":
      if (ev.state === "ACTIVE") return { row: 0, shape: "up", cls: "link-up" };
      if (ev.state !== "CLOSED") return undefined;
      return everActive.has(`${e.process}/${ev.incarnation}/${ev.linkId}`)
        ? { row: 0, shape: "down", cls: "link-down" }
        : { row: 0, shape: "down", cls: "link-refused" };
    case "binding":
      if (ev.change === "AVAIL")
        return ev.location === "local"
          ? { row: 1, shape: "dot", cls: "svc-offered" }
          : { row: 1, shape: "ring", cls: "svc-seen" };
      if (ev.change === "WITHDRAW") return { row: 1, shape: "ring-x", cls: "svc-gone" };
      return undefined;
    case "request":
      return { row: 2, shape: "diamond", cls: ev.outcome === "RESPONSE" ? "req-ok" : "req-bad" };
    case "report":
      return { row: 2, shape: "tick", cls: ev.cached ? "report-cached" : "report" };
    case "anomaly":
      return { row: 1, shape: "warn", cls: "anomaly" };
    default:
      return undefined;
  }
}

function faultSpans(
  h: ScenarioHistory,
  lanesOf: (t: string) => number[],
  end: number,
): { faults: FaultSpan[]; faultRows: number } {
  const open = new Map<string, RecordedEvent & { kind: "fault" }>();
  const faults: FaultSpan[] = [];
  const close = (a: RecordedEvent & { kind: "fault" }, to: number, healId?: number) => {
    const f = a.fault;
    const label = `${f.type} ${f.targets.join(" ↔ ")}${f.detail ? ` · ${f.detail}` : ""}`;
    const lanes = [...new Set(f.targets.flatMap(lanesOf))];
    faults.push({
      from: a.t,
      to,
      label,
      cls: `fault-${f.type.replace(/[^a-z-]/gi, "")}`,
      title: `fault ${a.faultId}: ${label}${healId === undefined ? " (not healed)" : ""}`,
      ids: healId === undefined ? [a.id] : [a.id, healId],
      lanes,
      row: 0,
    });
  };
  for (const e of h.events) {
    if (e.kind !== "fault") continue;
    if (e.action === "applied") open.set(e.faultId, e);
    else {
      const a = open.get(e.faultId);
      if (a) {
        close(a, e.t, e.id);
        open.delete(e.faultId);
      }
    }
  }
  for (const a of open.values()) close(a, end);
  faults.sort((a, b) => a.from - b.from);
  const rowEnds: number[] = [];
  for (const f of faults) {
    let row = rowEnds.findIndex((endT) => endT <= f.from);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = f.to;
    f.row = row;
  }
  return { faults, faultRows: rowEnds.length };
}

function downSpans(h: ScenarioHistory, lanesOf: (t: string) => number[], end: number): LaneSpan[] {
  const out: LaneSpan[] = [];
  const since = new Map<number, { t: number; state: string; id: number }>();
  for (const e of h.events) {
    if (e.kind !== "lifecycle") continue;
    for (const lane of lanesOf(e.target)) {
      const open = since.get(lane);
      const isDown = e.state === "crashed" || e.state === "stopped" || e.state === "exited" || e.state === "frozen";
      if (isDown) {
        if (!open) since.set(lane, { t: e.t, state: e.state, id: e.id });
      } else if (
        open &&
        (e.state === "thawed" ? open.state === "frozen" : e.state === "started" || e.state === "ready")
      ) {
        out.push({
          lane,
          from: open.t,
          to: e.t,
          label: open.state,
          cls: open.state === "frozen" ? "frozen" : "down",
          title: `${open.state} until ${e.state}`,
          ids: [open.id, e.id],
        });
        since.delete(lane);
      }
    }
  }
  for (const [lane, open] of since)
    out.push({
      lane,
      from: open.t,
      to: end,
      label: open.state,
      cls: open.state === "frozen" ? "frozen" : "down",
      title: `${open.state} to the end`,
      ids: [open.id],
    });
  return out;
}

function stepSpans(h: ScenarioHistory): StepSpan[] {
  return h.events
    .filter((e): e is RecordedEvent & { kind: "step" } => e.kind === "step")
    .map((e, i) => ({
      index: i + 1,
      from: e.startedAt,
      to: e.startedAt + e.durationMs,
      label: String(i + 1),
      status: e.status,
      cls: `step-${e.status}`,
      title: `Step ${i + 1}: ${e.keyword}${e.text} — ${e.status}${e.error ? `: ${e.error.split("\n")[0]}` : ""}`,
      ids: [e.id],
    }));
}
