import type { BindingEvent, ExchangeEvent, LinkEvent } from "../../exchange";
import type { RecordedExchange, ScenarioHistory } from "../history";
import { addressesByNode, failBoundMs, historyEndT, incarnations, timeOf, timingOf } from "../windows";
import { heldAt, judgeableThrough, labelOf, linkPeers, silences } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import {
  describeAgent,
  describeNode,
  nodeAddresses,
  type ObserverStream,
  observerStreams,
  proofOf,
  segments,
  seconds,
} from "./views";

const invariant = "I3";
const title = "No ghost bindings";

/**
 * I3: when a process or machine crashes, stops or exits, freezes, or the network between two sides is cut,
 * blackholed, isolated or made one-way at time t, then at t + T_fail ((missedBeats + 1) × heartbeat + 1 s lag,
 * windows.ts) no observer still holds
 * - a binding whose origin is gone for it: a dead incarnation, a process on a frozen machine, a process on the
 *   other side of an isolated machine; or
 * - a binding it learned over a link from a peer it can no longer hear (a dead or frozen peer, a peer across the
 *   faulted network).
 * Judged only where the silence lasted past the bound, the history continued past it, and the observer ran
 * through it unfrozen with no seq gap; it needs the topology's timing (older histories: not judged). A clean
 * close (FIN/RST) is held to the same bound, not to "propagation only": the lab cannot tell which a crash gave.
 *
 * A second clause needs no clock (judgeClosedLinks): once an observer recorded a link CLOSED, it holds nothing it
 * learned over that link. It catches a ghost left by a fault shorter than the bound. It runs first; a ghost it
 * reports is not reported again by the timed clause (one violation per observer incarnation and agent).
 */
export function judgeNoGhosts(h: ScenarioHistory): CheckOutcome {
  const closed = judgeClosedLinks(h, nodeAddresses(h));
  const { timing, known } = timingOf(h);
  if (!known) return { violations: closed.violations, checked: closed.checked, notes: [...closed.notes, UNTIMED] };
  const bound = failBoundMs(timing);
  const endT = historyEndT(h);
  const byNode = addressesByNode(h);
  const violations: Violation[] = [...closed.violations];
  const notes: string[] = [...closed.notes];
  const reported = closed.ghosts;
  let checked = closed.checked;
  for (const s of silences(h)) {
    const deadline = s.t + bound;
    if (s.until <= deadline) continue;
    if (endT < deadline) {
      notes.push(`${s.label} at ${seconds(s.t)}: the history ended before its bound (${bound} ms) passed; not judged.`);
      continue;
    }
    for (const o of incarnations(h)) {
      if (s.muted(o) || !judgeableThrough(h, o, s.t, deadline)) continue;
      const peers = linkPeers(o, byNode);
      for (const x of heldAt(h, o, deadline).values()) {
        if (!x.remote) continue;
        checked++;
        const origin = byNode.get(x.origin.nodeName);
        const via = x.linkId !== undefined ? peers.get(x.linkId) : undefined;
        const byOrigin = origin !== undefined && s.gone?.(o.process, origin, x.origin.incarnation);
        const byLink = via?.address !== undefined && s.silences(o.process, via.address, via.incarnation);
        if (!byOrigin && !byLink) continue;
        const k = `${o.process}\u0000${o.incarnation}\u0000${x.agentId}`;
        if (reported.has(k)) continue;
        reported.add(k);
        const why = byOrigin
          ? `its origin ${origin} can no longer reach it`
          : `it was learned over link ${x.linkId} from ${via?.address}, which it can no longer hear`;
        violations.push({
          invariant,
          title,
          events: proofOf(s.proof, x.avail),
          message: `${labelOf(h, o)} still held ${describeAgent(x.agentId, x.serviceName)} from ${origin ?? x.origin.nodeName} ${seconds(bound)} after ${s.label} at ${seconds(s.t)}, although ${why}: bindings of a dead or unreachable process are withdrawn within T_fail = (missedBeats + 1) × heartbeat + ${seconds(bound - (timing.missedBeats + 1) * timing.heartbeatMs)} lag (S-14, S-22).`,
        });
      }
    }
  }
  return { violations, checked, notes };
}

const UNTIMED =
  "The history does not say its timing (recorded before the topology summary kept it): the bound after a fault was not judged.";

export function checkNoGhosts(h: ScenarioHistory): Violation[] {
  return judgeNoGhosts(h).violations;
}

export const noGhosts: Checker = {
  invariant,
  title,
  rule: "T_fail after a process dies or freezes, or the network cuts it off, no other process still holds its bindings, nor any binding learned over a link it can no longer hear; and once a process records a link CLOSED it holds nothing learned over it.",
  check: judgeNoGhosts,
};

// ── the timing-free clause: nothing learned over a link outlives that link's close ────────────────────────────

/** A remote binding an observer holds, and the link it learned it over. */
interface Learned {
  avail: RecordedExchange;
  event: BindingEvent;
  linkId: string;
}

/** A link close whose turn is still open: the bindings held over it that S-22 must withdraw in that turn. */
interface OpenClose {
  close: RecordedExchange;
  event: LinkEvent;
  owed: Map<string, Learned>;
}

/**
 * I3, without a clock: once an observer has recorded link L CLOSED it holds nothing it learned over L. S-22
 * withdraws all of it in the turn of the close, and the exchange emits the CLOSED before those LEAVEs and
 * WITHDRAWs, so in one incarnation's seq order the withdrawals follow the close before anything a later turn
 * brings: a link event or an AVAIL or JOIN (new knowledge only arrives with a frame). Requests failed, edges
 * dropped, reports and anomalies may interleave. A binding learned over L (its last AVAIL came via L) and not
 * withdrawn by then is a ghost, however short the fault that closed L. Judged per run of consecutive seq only: a
 * gap right after a close, or a history that ends inside the close's turn, is noted and not judged.
 */
function judgeClosedLinks(h: ScenarioHistory, nodes: Map<string, Set<string>>): CheckOutcome & { ghosts: Set<string> } {
  const violations: Violation[] = [];
  const notes: string[] = [];
  const ghosts = new Set<string>();
  let checked = 0;
  for (const stream of observerStreams(h)) {
    const segs = segments(stream);
    segs.forEach((seg, i) => {
      const held = new Map<string, Learned>();
      let open: OpenClose | undefined;
      const settle = (ender: RecordedExchange) => {
        if (!open) return;
        for (const x of open.owed.values()) {
          checked++;
          const key = `${stream.process}\u0000${stream.incarnation}\u0000${x.event.agentId}`;
          if (ghosts.has(key)) continue;
          ghosts.add(key);
          violations.push(ghost(h, stream, x, open, ender, nodes));
        }
        open = undefined;
      };
      for (const entry of seg.entries) {
        const ev = entry.event;
        if (open && endsTurn(ev)) settle(entry);
        if (ev.type === "link" && ev.state === "CLOSED") {
          const owed = new Map([...held].filter(([, x]) => x.linkId === ev.linkId));
          if (owed.size > 0) open = { close: entry, event: ev, owed };
          continue;
        }
        if (ev.type !== "binding") continue;
        if (ev.change === "WITHDRAW") {
          held.delete(ev.agentId);
          if (open?.owed.delete(ev.agentId)) checked++;
        } else if (ev.change === "AVAIL") {
          if (ev.location === "remote" && ev.via)
            held.set(ev.agentId, { avail: entry, event: ev, linkId: ev.via.linkId });
          else held.delete(ev.agentId);
        }
      }
      if (!open || open.owed.size === 0) return;
      const c = open.close.event.seq;
      const last = seg.entries[seg.entries.length - 1].event.seq;
      const what = `${stream.label}: link ${open.event.linkId} closed (${open.event.reason ?? "no reason"}, seq ${c})`;
      const n = `${open.owed.size} binding${open.owed.size === 1 ? "" : "s"} learned over it`;
      if (i + 1 < segs.length)
        notes.push(
          `${what}, then events seq ${last + 1}–${segs[i + 1].entries[0].event.seq - 1} were not recorded: whether ${n} ${open.owed.size === 1 ? "was" : "were"} withdrawn in the close's turn was not judged.`,
        );
      else
        notes.push(
          `${what} and its history ends ${last === c ? "right after the close" : `at seq ${last}, inside the close's turn`} with ${n} not yet withdrawn: events after it were not recorded, so not judged.`,
        );
    });
  }
  return { violations, checked, notes, ghosts };
}

/** True for an event that only a later turn than a link's close can emit: a link change, an AVAIL, a JOIN. */
function endsTurn(ev: ExchangeEvent): boolean {
  if (ev.type === "link") return true;
  return ev.type === "binding" && (ev.change === "AVAIL" || ev.change === "JOIN");
}

/** What became of a ghost after the close's turn: its next AVAIL or WITHDRAW in the incarnation, if recorded. */
function later(s: ObserverStream, from: RecordedExchange, agentId: string): BindingEvent | undefined {
  for (const e of s.entries) {
    const ev = e.event;
    if (ev.seq < from.event.seq || ev.type !== "binding" || ev.agentId !== agentId) continue;
    if (ev.change === "WITHDRAW" || ev.change === "AVAIL") return ev;
  }
  return undefined;
}

function ghost(
  h: ScenarioHistory,
  s: ObserverStream,
  x: Learned,
  open: OpenClose,
  ender: RecordedExchange,
  nodes: Map<string, Set<string>>,
): Violation {
  const { linkId, reason } = open.event;
  const peer = x.event.via?.peer ?? open.event.peer?.nodeName;
  const from = peer !== undefined && peer !== "" ? ` from ${describeNode(peer, nodes)}` : "";
  const nextEv = later(s, ender, x.event.agentId);
  const last = s.entries[s.entries.length - 1].event.seq;
  const after =
    nextEv === undefined
      ? `none was recorded up to the incarnation's last event (seq ${last})`
      : nextEv.change === "WITHDRAW"
        ? `it was withdrawn only at seq ${nextEv.seq}`
        : `an AVAIL via link ${nextEv.via?.linkId ?? "?"} replaced it at seq ${nextEv.seq} without a WITHDRAW`;
  return {
    invariant,
    title,
    events: proofOf(x.avail, open.close, ender),
    message: `${s.label} kept ${describeAgent(x.event.agentId, x.event.serviceName)} from ${describeNode(x.event.origin.nodeName, nodes)}, learned over link ${linkId}${from} (seq ${x.avail.event.seq}), after recording link ${linkId} CLOSED (${reason ?? "no reason given"}) at ${seconds(timeOf(h, open.close))} (seq ${open.close.event.seq}): no WITHDRAW of it followed the close before ${describeEvent(ender.event)} at seq ${ender.event.seq}, and ${after}. A process holds nothing learned over a closed link: S-22 withdraws it in the turn of the close, whatever the fault and however short.`,
  };
}

/** "link L7 ACTIVE", "AVAIL of alpha/billing/…/1": the event that proves a close's turn was over. */
function describeEvent(ev: ExchangeEvent): string {
  if (ev.type === "link") return `link ${ev.linkId} ${ev.state}`;
  if (ev.type === "binding") return `${ev.change} of ${ev.agentId}`;
  return ev.type;
}
