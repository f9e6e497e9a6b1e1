import type { BindingEvent } from "../../exchange";
import type { RecordedExchange, ScenarioHistory } from "../history";
import { type ObserverStream, observerStreams, segments } from "./views";

/** What an observer knew about one agent just before a binding event. */
export type AgentState =
  | { kind: "unknown" }
  | { kind: "absent"; last?: RecordedExchange }
  | { kind: "present"; avail: RecordedExchange; last: RecordedExchange; groups: Set<string> };

export interface BindingStep {
  stream: ObserverStream;
  entry: RecordedExchange;
  event: BindingEvent;
  before: AgentState;
}

/**
 * Replays every observer's binding events per agent, in seq order, and calls `visit` with the state before
 * each event. State restarts as "unknown" after a seq gap (and at a stream that does not start at seq 1); it
 * starts as "absent" at seq 1. Group membership is tracked from AVAIL's groups and each JOIN/LEAVE's
 * `serviceGroup` (falling back to the event's `groups`).
 */
export function walkBindings(h: ScenarioHistory, visit: (step: BindingStep) => void): void {
  for (const stream of observerStreams(h)) {
    for (const seg of segments(stream)) {
      const states = new Map<string, AgentState>();
      for (const entry of seg.entries) {
        const event = entry.event;
        if (event.type !== "binding") continue;
        const before: AgentState =
          states.get(event.agentId) ?? (seg.knownStart ? { kind: "absent" } : { kind: "unknown" });
        visit({ stream, entry, event, before });
        states.set(event.agentId, next(before, entry, event));
      }
    }
  }
}

function next(before: AgentState, entry: RecordedExchange, ev: BindingEvent): AgentState {
  if (ev.change === "WITHDRAW") return { kind: "absent", last: entry };
  if (ev.change === "AVAIL") return { kind: "present", avail: entry, last: entry, groups: new Set(ev.groups) };
  const groups = before.kind === "present" ? new Set(before.groups) : new Set(ev.groups);
  if (ev.serviceGroup === undefined) {
    groups.clear();
    for (const g of ev.groups) groups.add(g);
  } else if (ev.change === "JOIN") groups.add(ev.serviceGroup);
  else groups.delete(ev.serviceGroup);
  return { kind: "present", avail: before.kind === "present" ? before.avail : entry, last: entry, groups };
}
