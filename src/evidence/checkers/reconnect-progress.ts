import type { RecordedEvent, ScenarioHistory } from "../history";
import {
  addressesByNode,
  faultWindows,
  historyEndT,
  incarnations,
  type Incarnation,
  LAG_ALLOWANCE_MS,
  type LinkRequirement,
  linkRequirements,
  mergeIntervals,
  pairUpIntervals,
  placedTimes,
  reconnectBoundMs,
  timingOf,
  windowConcerns,
  within,
} from "../windows";
import { judgeableThrough, labelOf, linksAt } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import { proofOf, quote, seconds } from "./views";

const invariant = "I19";
const title = "Reconnect progress";

/**
 * I19, for every link the mesh should have (the plan's dials and every pair seen ACTIVE; a client's alternative
 * servers count as one, S-7; windows.ts `linkRequirements`):
 * - when its endpoints became reachable again — a fault or outage concerning either ended, or the link closed
 *   while none was active — and the pair was not linked, it is linked (ACTIVE at both ends) within
 *   retryDelay × 1.1 + 2 × handshakeTimeout + 1 s lag (an attempt in flight may fail its handshake first);
 *   not judged when another fault concerning them began before that bound, or the history ended before it;
 * - a dialler in STANDBY resumes (DIALING on its standby link) within handshakeTimeout + 1 s lag once it has no
 *   ACTIVE link to that peer (a client: to any server of the group) and none came back meanwhile.
 * Needs the topology's timing (older histories: not judged).
 */
export function judgeReconnectProgress(h: ScenarioHistory): CheckOutcome {
  const { timing, known } = timingOf(h);
  if (!known) return { violations: [], checked: 0, notes: [UNTIMED] };
  const violations: Violation[] = [];
  const notes: string[] = [];
  const bound = reconnectBoundMs(timing);
  const endT = historyEndT(h);
  let checked = 0;
  let tooLate = 0;
  for (const r of linkRequirements(h)) {
    const out = judgeRequirement(h, r, bound, endT);
    checked += out.checked;
    tooLate += out.tooLate;
    violations.push(...out.violations);
  }
  if (tooLate > 0)
    notes.push(`${tooLate} reconnect(s) were not judged: the history ended less than ${bound} ms after them.`);
  const standby = judgeStandby(h, timing.handshakeTimeoutMs + LAG_ALLOWANCE_MS, endT);
  return { violations: [...violations, ...standby.violations], checked: checked + standby.checked, notes };
}

interface Candidate {
  t: number;
  why: string;
  proof?: RecordedEvent;
}

function judgeRequirement(
  h: ScenarioHistory,
  r: LinkRequirement,
  bound: number,
  endT: number,
): { violations: Violation[]; checked: number; tooLate: number } {
  const endpoints = [...new Set(r.pairs.flatMap((p) => [p.a, p.b]))];
  const concerning = faultWindows(h).filter((w) => endpoints.some((a) => windowConcerns(w, a)));
  const blocked = mergeIntervals(concerning.map((w) => ({ from: w.start, to: w.ended ? w.end : Infinity })));
  const up = mergeIntervals(r.pairs.flatMap((p) => pairUpIntervals(h, p)));
  const candidates: Candidate[] = [
    ...concerning.filter((w) => w.ended).map((w) => ({ t: w.end, why: `${w.label} ended`, proof: w.events.at(-1) })),
    ...up
      .filter((iv) => iv.to < endT)
      .map((iv) => ({ t: iv.to, why: "the link closed", proof: closeAt(h, endpoints, iv.to) })),
  ].sort((a, b) => a.t - b.t);
  const violations: Violation[] = [];
  let checked = 0;
  let tooLate = 0;
  const seen = new Set<number>();
  const names = r.pairs.map((p) => `${p.a} ⇄ ${p.b}`).join(" or ");
  const group = r.pairs[0].group;
  for (const c of candidates) {
    if (seen.has(c.t) || c.t < r.since || within(c.t, blocked) || within(c.t, up)) continue;
    seen.add(c.t);
    const deadline = c.t + bound;
    if (blocked.some((b) => b.from > c.t && b.from < deadline)) continue;
    if (endT < deadline) {
      tooLate++;
      continue;
    }
    checked++;
    const back = up.find((iv) => iv.from >= c.t);
    if (back && back.from <= deadline) continue;
    violations.push({
      invariant,
      title,
      events: proofOf(c.proof),
      message: `${names} (exchange group ${quote(group)}) ${r.pairs.length > 1 ? "had no link" : "was not linked"} again within ${bound} ms after ${c.why} at ${seconds(c.t)}: ${back ? `linked again only ${back.from - c.t} ms later` : `still not linked when the history ended at ${seconds(endT)}`}. A dialler whose peer is reachable reaches ACTIVE within retryDelay × 1.1 + handshake timeout (S-12; the bound allows a failing attempt and lag).`,
    });
  }
  return { violations, checked, tooLate };
}

/** A link event (CLOSED / STANDBY) of one of the endpoints placed at `at`. */
function closeAt(h: ScenarioHistory, endpoints: string[], at: number): RecordedEvent | undefined {
  const placed = placedTimes(h);
  return h.events.find(
    (e) =>
      e.kind === "exchange" &&
      endpoints.includes(e.process) &&
      e.event.type === "link" &&
      (e.event.state === "CLOSED" || e.event.state === "STANDBY") &&
      placed.get(e.id) === at,
  );
}

function judgeStandby(h: ScenarioHistory, bound: number, endT: number): { violations: Violation[]; checked: number } {
  const byNode = addressesByNode(h);
  const placed = placedTimes(h);
  const violations: Violation[] = [];
  let checked = 0;
  for (const o of incarnations(h)) {
    o.entries.forEach((e, i) => {
      const ev = e.event;
      if (ev.type !== "link" || ev.state !== "STANDBY") return;
      const ts = placed.get(e.id) ?? e.t;
      const peer = ev.peer ? byNode.get(ev.peer.nodeName) : undefined;
      const busy = (links: Map<string, { group: string; peer?: { nodeName: string } }>) =>
        [...links.values()].some(
          (l) => l.group === ev.group && (ev.role === "client" || (l.peer && byNode.get(l.peer.nodeName) === peer)),
        );
      const free = freeFrom(h, o, i, ts, busy);
      if (free === undefined) return;
      const deadline = free + bound;
      if (endT < deadline || !judgeableThrough(h, o, ts, deadline)) return;
      checked++;
      const resumed = o.entries.slice(i + 1).find((x) => {
        const xe = x.event;
        const at = placed.get(x.id) ?? x.t;
        return (
          xe.type === "link" &&
          at >= ts &&
          ((xe.linkId === ev.linkId && xe.state !== "STANDBY") ||
            ((xe.state === "ACTIVE" || xe.state === "SYNCED") && at >= free && busy(new Map([[xe.linkId, xe]]))))
        );
      });
      const at = resumed ? (placed.get(resumed.id) ?? resumed.t) : undefined;
      if (at !== undefined && at <= deadline) return;
      violations.push({
        invariant,
        title,
        events: proofOf(e, resumed),
        message: `${labelOf(h, o)} stood by (STANDBY on ${ev.linkId}${peer ? ` for ${peer}` : ""}, exchange group ${quote(ev.group)}) and had no ACTIVE link ${ev.role === "client" ? "to any server" : "to that peer"} from ${seconds(free)}, but ${at !== undefined ? `resumed only ${at - free} ms later` : "never resumed dialling"}: a dialler in STANDBY resumes within the handshake timeout once the ACTIVE link is gone (S-11; bound with lag ${bound} ms).`,
      });
    });
  }
  return { violations, checked };
}

/** When, from entry i on, the observer first had no ACTIVE link that keeps the dialler standing by. */
function freeFrom(
  h: ScenarioHistory,
  o: Incarnation,
  i: number,
  ts: number,
  busy: (links: Map<string, { group: string; peer?: { nodeName: string } }>) => boolean,
): number | undefined {
  if (!busy(linksAt(h, o, ts))) return ts;
  const placed = placedTimes(h);
  for (const e of o.entries.slice(i + 1)) {
    if (e.event.type !== "link" || e.event.state !== "CLOSED") continue;
    const at = placed.get(e.id) ?? e.t;
    if (!busy(linksAt(h, o, at))) return at;
  }
  return undefined;
}

const UNTIMED = "The history does not say its timing (recorded before the topology summary kept it): not judged.";

export function checkReconnectProgress(h: ScenarioHistory): Violation[] {
  return judgeReconnectProgress(h).violations;
}

export const reconnectProgress: Checker = {
  invariant,
  title,
  rule: "Once both ends of a link the mesh should have are reachable and unlinked, they link again within retryDelay × 1.1 + 2 × handshake timeout (+ lag); a dialler in STANDBY resumes within the handshake timeout once no ACTIVE link keeps it waiting.",
  check: judgeReconnectProgress,
};
