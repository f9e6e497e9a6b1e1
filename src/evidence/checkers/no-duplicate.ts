import type { RecordedExchange, ScenarioHistory } from "../history";
import { describeEdge, liveDeliveries } from "./reports";
import type { Checker, CheckOutcome, Violation } from "./types";
import { observerStreams, quote, serviceNames } from "./views";

const invariant = "I9";
const title = "No duplicate delivery";

/**
 * I9, per subscriber process incarnation: each publication (publisher agent, publication seq) reaches a
 * subscriber agent at most once live (`cached: false`); re-deliveries from the publisher's last-value cache
 * on a new edge are allowed. Per requester: at most one RESPONSE/FAILURE per conversation.
 */
export function judgeNoDuplicate(h: ScenarioHistory): CheckOutcome {
  const names = serviceNames(h);
  const violations: Violation[] = [];
  let checked = 0;
  for (const s of observerStreams(h)) {
    for (const list of liveDeliveries(s.entries).values()) {
      const bySeq = new Map<number, RecordedExchange[]>();
      for (const d of list) {
        checked++;
        bySeq.set(d.event.publicationSeq, [...(bySeq.get(d.event.publicationSeq) ?? []), d.entry]);
      }
      for (const [seq, entries] of bySeq) {
        if (entries.length < 2) continue;
        const ev = list[0].event;
        const subject = entries[0].event.type === "report" ? entries[0].event.subject : "?";
        violations.push({
          invariant,
          title,
          events: entries,
          message: `${s.label} delivered publication #${seq} (subject ${quote(subject)}) from ${describeEdge(ev, names)} ${entries.length} times live: one delivery per publication and subscriber (S-38).`,
        });
      }
    }
    const replies = new Map<string, RecordedExchange[]>();
    for (const e of s.entries) {
      if (e.event.type !== "request" || (e.event.outcome !== "RESPONSE" && e.event.outcome !== "FAILURE")) continue;
      checked++;
      replies.set(e.event.conversationId, [...(replies.get(e.event.conversationId) ?? []), e]);
    }
    for (const [conversationId, entries] of replies) {
      if (entries.length < 2) continue;
      violations.push({
        invariant,
        title,
        events: entries,
        message: `${s.label} received ${entries.length} replies for conversation ${conversationId}: at most one RESPONSE or FAILURE reaches the application (S-31, S-34).`,
      });
    }
  }
  return { violations, checked, notes: [] };
}

export function checkNoDuplicate(h: ScenarioHistory): Violation[] {
  return judgeNoDuplicate(h).violations;
}

export const noDuplicate: Checker = {
  invariant,
  title,
  rule: "Each publication reaches each subscriber agent at most once live (cache replays on a new edge allowed); each conversation gets at most one RESPONSE/FAILURE.",
  check: judgeNoDuplicate,
};
