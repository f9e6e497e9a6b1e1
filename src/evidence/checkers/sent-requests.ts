/**
 * The bounded-liveness half of I8: every request a process began (`request-sent`) settles once, after it
 * began, and by its deadline + {@link PENDING_GRACE_MS}. Judged per requester (one process incarnation) on the
 * requester's own clock, which is the clock of the deadline.
 */
import type { RequestSentEvent } from "../../exchange";
import type { RecordedEvent, RecordedExchange, RecordedLifecycle, ScenarioHistory } from "../history";
import type { Violation } from "./types";
import { describeAgent, observerStreams, quote, segments, type ObserverStream } from "./views";

/**
 * ε of I8: how far past its deadline a request may still be pending. A timeout is a Node timer, which fires
 * late by the event-loop lag of the requester: GC pauses, or a dozen processes sharing two cores while a lab
 * starts. A few hundred ms absorbs that with room to spare; it stays well under the timeouts scenarios use
 * (seconds), so a lost reply whose timeout never fires is still caught in any scenario that runs on for
 * half a second past the deadline.
 */
export const PENDING_GRACE_MS = 500;

const ENDED = new Set(["crashed", "stopped", "exited"]);

/** What the whole history says about where it ends and who was down or frozen; computed once per history. */
export interface HistoryEnd {
  /** The last lab time the history covers: the largest `t` of any entry (the lab drains events before checking). */
  endT: number;
  lifecycle: RecordedLifecycle[];
  /** process address → its incarnation streams, by first arrival. */
  incarnations: Map<string, ObserverStream[]>;
}

export function historyEnd(h: ScenarioHistory): HistoryEnd {
  let endT = 0;
  const lifecycle: RecordedLifecycle[] = [];
  for (const e of h.events) {
    endT = Math.max(endT, e.t);
    if (e.kind === "lifecycle") lifecycle.push(e);
  }
  const incarnations = new Map<string, ObserverStream[]>();
  for (const s of observerStreams(h)) incarnations.set(s.process, [...(incarnations.get(s.process) ?? []), s]);
  return { endT, lifecycle, incarnations };
}

export interface SentJudgement {
  violations: Violation[];
  notes: string[];
}

/**
 * Judges one requester's `request-sent` events against its outcome events (`outcomes`: conversationId → outcome
 * entries in seq order). Outcomes with no recorded `request-sent` are not judged here (the history may have
 * started after the request began, or the exchange predates the event).
 */
export function judgeSent(
  s: ObserverStream,
  outcomes: Map<string, RecordedExchange[]>,
  end: HistoryEnd,
  names: Map<string, string>,
  invariant: Violation["invariant"],
  title: string,
): SentJudgement {
  const violations: Violation[] = [];
  const sent = new Map<string, RecordedExchange[]>();
  for (const e of s.entries)
    if (e.event.type === "request-sent")
      sent.set(e.event.conversationId, [...(sent.get(e.event.conversationId) ?? []), e]);
  const notes: string[] = [];
  const unsent = [...outcomes.keys()].filter((c) => !sent.has(c)).length;
  if (unsent > 0 && sent.size > 0)
    notes.push(`${s.label}: ${unsent} outcome(s) without a recorded request-sent were judged for duplicates only.`);
  if (sent.size === 0) return { violations, notes };

  const lastSegment = segments(s).at(-1)!;
  const gapFollows = (seq: number) => seq < lastSegment.entries[0].event.seq; // its outcome may be in the gap
  const skipped = { gap: 0, noDeadline: 0, ended: 0, frozen: 0 };
  const ended = hasEnded(s, end);
  const frozenAtEnd = isFrozenAtEnd(s, end);
  // The requester's clock at endT is at least endT − min(t − time): every event reached the lab after it was
  // emitted. Needs only that both clocks run at the same rate, not that they agree (as the timeline does).
  const offset = Math.min(...s.entries.map((e) => e.t - e.event.time));
  const clockAtEnd = end.endT - offset;

  for (const [conversationId, list] of sent) {
    const first = list[0];
    const ev = first.event as RequestSentEvent;
    const what = `conversation ${conversationId} (${quote(ev.method)} to ${ev.toAgent !== undefined ? describeAgent(ev.toAgent, names.get(ev.toAgent)) : quote(ev.target)})`;
    if (list.length > 1) {
      violations.push({
        invariant,
        title,
        events: list,
        message: `${s.label} began ${what} ${list.length} times: each request has one conversation id (S-31).`,
      });
    }
    const settled = outcomes.get(conversationId);
    if (settled && settled.length > 0) {
      const o = settled[0];
      if (o.event.seq < first.event.seq) {
        violations.push({
          invariant,
          title,
          events: [o, first],
          message: `${s.label} settled ${what} (event #${o.event.seq}) before it began (event #${first.event.seq}): request-sent comes first.`,
        });
      }
      const late = ev.deadline === undefined ? 0 : o.event.time - ev.deadline;
      if (late > PENDING_GRACE_MS && !frozenBefore(s, end, o.t)) {
        const outcome = o.event.type === "request" ? o.event.outcome : "?";
        violations.push({
          invariant,
          title,
          events: [first, o],
          message: `${s.label} settled ${what} as ${outcome} ${Math.round(late)} ms after its deadline (ε ${PENDING_GRACE_MS} ms): a request with a timeout is never pending past its deadline (S-31, REQUEST_TIMEOUT).`,
        });
      }
      continue;
    }
    if (gapFollows(ev.seq)) skipped.gap++;
    else if (ev.deadline === undefined) skipped.noDeadline++;
    else if (ended) skipped.ended++;
    else if (frozenAtEnd) skipped.frozen++;
    else if (clockAtEnd - ev.deadline > PENDING_GRACE_MS) {
      violations.push({
        invariant,
        title,
        events: [first],
        message: `${s.label} began ${what} and it was still pending at the end of the recorded history, at least ${Math.round(clockAtEnd - ev.deadline)} ms past its deadline (ε ${PENDING_GRACE_MS} ms): a request with a timeout settles by its deadline (S-31, REQUEST_TIMEOUT).`,
      });
    }
  }
  if (skipped.gap)
    notes.push(
      `${s.label}: ${skipped.gap} request(s) without an outcome were not judged: events after them were not recorded.`,
    );
  if (skipped.noDeadline)
    notes.push(
      `${s.label}: ${skipped.noDeadline} request(s) without a deadline were still pending at the end (allowed).`,
    );
  if (skipped.ended)
    notes.push(
      `${s.label}: ${skipped.ended} request(s) were pending when the process ended (crash, shutdown, exit or restart): not judged.`,
    );
  if (skipped.frozen)
    notes.push(
      `${s.label}: ${skipped.frozen} request(s) were pending while the process was frozen at the end: not judged.`,
    );
  return { violations, notes };
}

function concerns(e: RecordedLifecycle, s: ObserverStream): boolean {
  return e.target === s.process || e.target === s.machine;
}

/** The incarnation crashed, shut down or exited (its process or machine), or a later incarnation ran. */
export function hasEnded(s: ObserverStream, end: HistoryEnd): boolean {
  const start = s.entries[0].t;
  if ((end.incarnations.get(s.process) ?? []).some((o) => o !== s && o.entries[0].t > start)) return true;
  return end.lifecycle.some((e) => ENDED.has(e.state) && e.t >= start && concerns(e, s));
}

/** Frozen at the end, or thawed too recently for its timers to have fired and been pulled. */
export function isFrozenAtEnd(s: ObserverStream, end: HistoryEnd): boolean {
  const last = end.lifecycle.filter((e) => (e.state === "frozen" || e.state === "thawed") && concerns(e, s)).at(-1);
  return last !== undefined && (last.state === "frozen" || end.endT - last.t < PENDING_GRACE_MS);
}

/** Timers cannot fire while a process is stopped: a late outcome after any freeze of the requester is not judged. */
function frozenBefore(s: ObserverStream, end: HistoryEnd, t: RecordedEvent["t"]): boolean {
  return end.lifecycle.some((e) => e.state === "frozen" && e.t <= t && concerns(e, s));
}
