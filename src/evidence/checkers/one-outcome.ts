import type { RecordedExchange, ScenarioHistory } from "../history";
import type { Checker, CheckOutcome, Violation } from "./types";
import { historyEnd, judgeSent, PENDING_GRACE_MS } from "./sent-requests";
import { describeAgent, gapNotes, observerStreams, proofOf, quote, segments, serviceNames } from "./views";
import { judgeWithdrawnTargets } from "./withdrawn-requests";

const invariant = "I8";
const title = "Exactly one outcome";
/**
 * A reply whose event follows the WITHDRAW by at most this much (on the requester's own clock) is not judged:
 * an exchange may emit the outcome event a microtask after settling, behind a WITHDRAW of the same turn.
 */
const SAME_TURN_MS = 100;

/**
 * I8, per requester (one process incarnation), on its own clock:
 * - at most one outcome event (`request`) per conversationId;
 * - every request it began (`request-sent`) began once, settled after it began, and settled no later than its
 *   deadline + PENDING_GRACE_MS (sent-requests.ts; not judged after a freeze of the requester);
 * - a request with a deadline still without an outcome at the end of the recorded history is a violation once
 *   the requester's clock had passed deadline + PENDING_GRACE_MS by then. Not judged: a request without a
 *   deadline (it may wait for ever, S-31 `timeoutMs: 0`); a requester that crashed, shut down, exited or was
 *   restarted (a new incarnation) — its pending requests ended with it, and the events of its last moments may
 *   never reach the lab; a requester frozen at the end or thawed less than PENDING_GRACE_MS before it; a
 *   request followed by a seq gap (its outcome may be in the gap). An outcome without a recorded
 *   `request-sent` (the history started later, or an older exchange) is judged by the other rules only;
 * - no RESPONSE or FAILURE from an agent the requester had seen withdrawn (and not made available again) more
 *   than SAME_TURN_MS earlier — that request had to settle SERVICE_WITHDRAWN (S-33);
 * - a SERVICE_WITHDRAWN outcome only when the requester saw that agent's WITHDRAW (or the requesting agent's
 *   own; not judged when the requester shuts down; judged only where the requester's events continue past the
 *   outcome without a gap);
 * - a request still pending when the requester sees its target withdrawn settles SERVICE_WITHDRAWN within
 *   SAME_TURN_MS of the WITHDRAW, not later, not by its timeout, not never (S-33; withdrawn-requests.ts).
 */
export function judgeOneOutcome(h: ScenarioHistory): CheckOutcome {
  const names = serviceNames(h);
  const end = historyEnd(h);
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  for (const s of observerStreams(h)) {
    notes.push(...gapNotes(s));
    const outcomes = new Map<string, RecordedExchange[]>();
    const conversations = new Set<string>();
    for (const e of s.entries) {
      if (e.event.type === "request")
        outcomes.set(e.event.conversationId, [...(outcomes.get(e.event.conversationId) ?? []), e]);
      if (e.event.type === "request" || e.event.type === "request-sent") conversations.add(e.event.conversationId);
    }
    checked += conversations.size;
    const sent = judgeSent(s, outcomes, end, names, invariant, title);
    violations.push(...sent.violations);
    notes.push(...sent.notes);
    const gone = judgeWithdrawnTargets(s, outcomes, end, names, invariant, title, SAME_TURN_MS);
    violations.push(...gone.violations);
    notes.push(...gone.notes);
    for (const [conversationId, list] of outcomes) {
      if (list.length < 2) continue;
      const kinds = list.map((e) => (e.event.type === "request" ? e.event.outcome : "?")).join(", ");
      violations.push({
        invariant,
        title,
        events: list,
        message: `${s.label} settled conversation ${conversationId} ${list.length} times (${kinds}): a request settles exactly once (S-31).`,
      });
    }
    const withdrawn = new Set<string>();
    for (const e of s.entries)
      if (e.event.type === "binding" && e.event.change === "WITHDRAW") withdrawn.add(e.event.agentId);
    for (const seg of segments(s)) {
      const present = new Map<string, { present: boolean; last: RecordedExchange }>();
      seg.entries.forEach((e, i) => {
        const ev = e.event;
        if (ev.type === "binding") {
          if (ev.change === "AVAIL" || ev.change === "WITHDRAW")
            present.set(ev.agentId, { present: ev.change === "AVAIL", last: e });
          return;
        }
        if (ev.type !== "request" || ev.toAgent === undefined) return;
        const target = describeAgent(ev.toAgent, names.get(ev.toAgent));
        const state = present.get(ev.toAgent);
        if (
          (ev.outcome === "RESPONSE" || ev.outcome === "FAILURE") &&
          state &&
          !state.present &&
          ev.time - state.last.event.time > SAME_TURN_MS
        ) {
          violations.push({
            invariant,
            title,
            events: proofOf(state.last, e),
            message: `${s.label} got ${ev.outcome} for conversation ${ev.conversationId} (${quote(ev.method)} to ${target}) after it had seen that agent withdrawn: the request had to settle as SERVICE_WITHDRAWN when the WITHDRAW arrived (S-33).`,
          });
        }
        if (
          ev.outcome === "SERVICE_WITHDRAWN" &&
          i < seg.entries.length - 1 &&
          !withdrawn.has(ev.toAgent) &&
          !withdrawn.has(ev.fromAgent) &&
          !shuttingDown(seg.entries, i)
        ) {
          violations.push({
            invariant,
            title,
            events: [e],
            message: `${s.label} settled conversation ${ev.conversationId} (${quote(ev.method)} to ${target}) as SERVICE_WITHDRAWN, but never saw a WITHDRAW of that agent (S-31).`,
          });
        }
      });
    }
  }
  return { violations, checked, notes };
}

/** The requester closes a link with SHUTDOWN after entry i: its pending requests may settle without a WITHDRAW. */
function shuttingDown(entries: RecordedExchange[], i: number): boolean {
  return entries
    .slice(i + 1)
    .some((e) => e.event.type === "link" && e.event.state === "CLOSED" && e.event.reason === "SHUTDOWN");
}

export function checkOneOutcome(h: ScenarioHistory): Violation[] {
  return judgeOneOutcome(h).violations;
}

export const oneOutcome: Checker = {
  invariant,
  title,
  rule: `Each request its requester began settles exactly once, after it began, and none stays pending past its deadline + ${PENDING_GRACE_MS} ms; no reply is accepted from an agent the requester saw withdrawn, and a request pending on it settles SERVICE_WITHDRAWN in the same turn; SERVICE_WITHDRAWN only after that agent's WITHDRAW.`,
  check: judgeOneOutcome,
};
