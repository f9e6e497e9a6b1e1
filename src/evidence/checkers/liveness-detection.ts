import type { RecordedExchange, ScenarioHistory } from "../history";
import { addressesByNode, failBoundMs, historyEndT, incarnations, timingOf } from "../windows";
import { judgeableThrough, labelOf, linksAt, silences } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeNode, nodeAddresses, proofOf, seconds } from "./views";

const invariant = "I17";
const title = "Liveness detection";

/**
 * I17, from each observer's own events (frames themselves are not recorded):
 * - safety: a link closed with IDLE_TIMEOUT had received nothing for `idleTimeoutMs = missedBeats × heartbeat`
 *   (less a heartbeat of timer slack) before it closed. The frames the history proves are the link's ACTIVE /
 *   SYNCED (a WELCOME or HELLO, a SNAPSHOT_END) and every binding change learned over it before the close;
 * - bounded liveness: when a peer goes silent for the observer at t — it died or froze, or the network between
 *   them is cut, blackholed, isolated, or made one-way towards the observer — every link the observer had
 *   ACTIVE to it since before t is CLOSED by t + (missedBeats + 1) × heartbeat + 1 s lag (S-14). Judged where
 *   the silence lasted past the bound, the history went on past it, and the observer ran through it unfrozen
 *   with no seq gap. Needs the topology's timing (older histories: not judged).
 */
export function judgeLivenessDetection(h: ScenarioHistory): CheckOutcome {
  const { timing, known } = timingOf(h);
  if (!known) return { violations: [], checked: 0, notes: [UNTIMED] };
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  const idle = timing.missedBeats * timing.heartbeatMs;
  const addresses = nodeAddresses(h);

  for (const o of incarnations(h)) {
    const lastFrame = new Map<string, RecordedExchange>();
    for (const e of o.entries) {
      const ev = e.event;
      if (ev.type === "binding" && ev.via) lastFrame.set(ev.via.linkId, e);
      if (ev.type !== "link") continue;
      if (ev.state === "ACTIVE" || ev.state === "SYNCED") lastFrame.set(ev.linkId, e);
      if (ev.state !== "CLOSED") continue;
      const f = lastFrame.get(ev.linkId);
      lastFrame.delete(ev.linkId);
      if (ev.reason !== "IDLE_TIMEOUT" || !f) continue;
      checked++;
      const quiet = ev.time - f.event.time;
      if (quiet >= idle - timing.heartbeatMs) continue;
      const peer = ev.peer ? ` to ${describeNode(ev.peer.nodeName, addresses)}` : "";
      violations.push({
        invariant,
        title,
        events: proofOf(f, e),
        message: `${labelOf(h, o)} closed link ${ev.linkId}${peer} with IDLE_TIMEOUT only ${quiet} ms after a frame arrived on it (event #${f.event.seq}, ${f.event.type === "link" ? f.event.state : "a binding change"}); the idle timer closes a link after ${idle} ms (missedBeats × heartbeat) without inbound frames, never sooner (S-14).`,
      });
    }
  }

  const bound = failBoundMs(timing);
  const endT = historyEndT(h);
  const byNode = addressesByNode(h);
  for (const s of silences(h)) {
    const deadline = s.t + bound;
    if (s.until <= deadline) continue;
    if (endT < deadline) {
      notes.push(`${s.label} at ${seconds(s.t)}: the history ended before its bound (${bound} ms) passed; not judged.`);
      continue;
    }
    for (const o of incarnations(h)) {
      if (s.muted(o) || !judgeableThrough(h, o, s.t, deadline)) continue;
      const after = linksAt(h, o, deadline);
      for (const l of linksAt(h, o, s.t).values()) {
        const peer = l.peer ? byNode.get(l.peer.nodeName) : undefined;
        if (!peer || !s.silences(o.process, peer, l.peer?.incarnation)) continue;
        checked++;
        if (!after.has(l.linkId)) continue;
        violations.push({
          invariant,
          title,
          events: proofOf(s.proof, l.since),
          message: `${labelOf(h, o)} still had link ${l.linkId} to ${peer} ACTIVE ${seconds(bound)} after ${s.label} at ${seconds(s.t)}, although nothing could arrive on it: a silent link is closed within idleTimeout + heartbeat = ${(timing.missedBeats + 1) * timing.heartbeatMs} ms (S-14; bound with lag ${bound} ms).`,
        });
      }
    }
  }
  return { violations, checked, notes };
}

const UNTIMED = "The history does not say its timing (recorded before the topology summary kept it): not judged.";

export function checkLivenessDetection(h: ScenarioHistory): Violation[] {
  return judgeLivenessDetection(h).violations;
}

export const livenessDetection: Checker = {
  invariant,
  title,
  rule: "No link is closed by the idle timer sooner than missedBeats × heartbeat after a frame arrived on it, and a link whose peer died, froze or was cut off is CLOSED within (missedBeats + 1) × heartbeat (+ lag).",
  check: judgeLivenessDetection,
};
