import type { ScenarioHistory } from "../history";
import { addressesByNode, failBoundMs, historyEndT, incarnations, timingOf } from "../windows";
import { heldAt, judgeableThrough, labelOf, linkPeers, silences } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, proofOf, seconds } from "./views";

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
 */
export function judgeNoGhosts(h: ScenarioHistory): CheckOutcome {
  const { timing, known } = timingOf(h);
  if (!known) return { violations: [], checked: 0, notes: [UNTIMED] };
  const bound = failBoundMs(timing);
  const endT = historyEndT(h);
  const byNode = addressesByNode(h);
  const violations: Violation[] = [];
  const notes: string[] = [];
  const reported = new Set<string>();
  let checked = 0;
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

const UNTIMED = "The history does not say its timing (recorded before the topology summary kept it): not judged.";

export function checkNoGhosts(h: ScenarioHistory): Violation[] {
  return judgeNoGhosts(h).violations;
}

export const noGhosts: Checker = {
  invariant,
  title,
  rule: "T_fail after a process dies or freezes, or the network cuts it off, no other process still holds its bindings, nor any binding learned over a link it can no longer hear.",
  check: judgeNoGhosts,
};
