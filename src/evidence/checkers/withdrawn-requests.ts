/**
 * I8's clause "if the requester observed the target's WITHDRAW, the outcome is SERVICE_WITHDRAWN, delivered within
 * one event-loop turn of the WITHDRAW" (S-33), for the requests still pending when the WITHDRAW came. Judged per
 * requester (one process incarnation) on its own clock.
 */
import type { RequestSentEvent } from "../../exchange";
import type { RecordedExchange } from "../history";
import { type HistoryEnd, hasEnded, isFrozenAtEnd, type SentJudgement } from "./sent-requests";
import type { Violation } from "./types";
import { describeAgent, type ObserverStream, proofOf, quote, segments } from "./views";

/**
 * Every request pending at the requester when it saw its target agent withdrawn settles as SERVICE_WITHDRAWN
 * within `sameTurnMs` of the WITHDRAW (on the requester's clock): an outcome that comes later, or of another
 * kind later (a REQUEST_TIMEOUT: the request hung until its timeout), or none at all while the requester ran on,
 * is a violation. RESPONSE/FAILURE after the WITHDRAW are the other I8 rule's. Not judged across a seq gap, for a
 * requester that ended or is frozen at the end, or when the requester was frozen between the two.
 */
export function judgeWithdrawnTargets(
  s: ObserverStream,
  outcomes: Map<string, RecordedExchange[]>,
  end: HistoryEnd,
  names: Map<string, string>,
  invariant: Violation["invariant"],
  title: string,
  sameTurnMs: number,
): SentJudgement & { checked: number } {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  let unjudged = 0;
  const segs = segments(s);
  const ended = hasEnded(s, end);
  const frozenAtEnd = isFrozenAtEnd(s, end);
  segs.forEach((seg, k) => {
    const pending = new Map<string, RecordedExchange>();
    for (const e of seg.entries) {
      const ev = e.event;
      if (ev.type === "request-sent" && ev.toAgent !== undefined) pending.set(ev.conversationId, e);
      else if (ev.type === "request") pending.delete(ev.conversationId);
      if (ev.type !== "binding" || ev.change !== "WITHDRAW") continue;
      for (const [conversationId, sent] of [...pending]) {
        const se = sent.event as RequestSentEvent;
        if (se.toAgent !== ev.agentId) continue;
        pending.delete(conversationId);
        const outcome = (outcomes.get(conversationId) ?? []).find((o) => o.event.seq > e.event.seq);
        const what = `conversation ${conversationId} (${quote(se.method)} to ${describeAgent(ev.agentId, names.get(ev.agentId))})`;
        if (outcome?.event.type === "request") {
          const kind = outcome.event.outcome;
          if (kind === "RESPONSE" || kind === "FAILURE") continue;
          checked++;
          const late = outcome.event.time - ev.time;
          if (late <= sameTurnMs) continue;
          if (frozenBetween(s, end, e.t, outcome.t)) {
            unjudged++;
            continue;
          }
          violations.push({
            invariant,
            title,
            events: proofOf(sent, e, outcome),
            message: `${s.label} saw the target of ${what} withdrawn while the request was pending, but it settled as ${kind} only ${Math.round(late)} ms later: it had to settle SERVICE_WITHDRAWN in the same turn as the WITHDRAW (S-33).`,
          });
          continue;
        }
        if (k < segs.length - 1 || ended || frozenAtEnd) {
          unjudged++;
          continue;
        }
        checked++;
        violations.push({
          invariant,
          title,
          events: proofOf(sent, e),
          message: `${s.label} saw the target of ${what} withdrawn while the request was pending, and the request never settled: it had to settle SERVICE_WITHDRAWN in the same turn as the WITHDRAW (S-33).`,
        });
      }
    }
  });
  if (unjudged > 0)
    notes.push(
      `${s.label}: ${unjudged} request(s) pending when their target was withdrawn were not judged (a gap in its events, a freeze, or it ended).`,
    );
  return { violations, notes, checked };
}

/** A freeze of the requester (or its machine) lay between the WITHDRAW's and the outcome's arrival. */
function frozenBetween(s: ObserverStream, end: HistoryEnd, from: number, to: number): boolean {
  return end.lifecycle.some(
    (l) =>
      l.state === "frozen" && (l.target === s.process || l.target === s.machine) && l.t <= to && l.t >= from - 1000,
  );
}
