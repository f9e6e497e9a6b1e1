import type { ScenarioHistory } from "../history";
import { walkBindings } from "./binding-walk";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, gapNotes, observerStreams, proofOf, quote } from "./views";

const invariant = "I6";
const title = "Event order";

/**
 * I6 (S-24), per observer and agent: no JOIN/LEAVE/WITHDRAW for an agent the observer does not hold (never
 * made available, or already withdrawn), and every group left (LEAVE) before WITHDRAW. A new AVAIL after a
 * WITHDRAW is the reconnect case and allowed; a second AVAIL while held is I5's.
 */
export function judgeEventOrder(h: ScenarioHistory): CheckOutcome {
  const violations: Violation[] = [];
  let checked = 0;
  walkBindings(h, ({ stream, entry, event, before }) => {
    if (event.change === "AVAIL") return;
    checked++;
    const who = describeAgent(event.agentId, event.serviceName);
    const what =
      event.change === "WITHDRAW" ? "WITHDRAW" : `${event.change} of service group ${quote(event.serviceGroup ?? "?")}`;
    if (before.kind === "absent") {
      const why = before.last ? "after it had been withdrawn, with no new AVAIL" : "before any AVAIL of it";
      violations.push({
        invariant,
        title,
        events: proofOf(before.last, entry),
        message: `${stream.label} saw ${what} for ${who} ${why} (S-24).`,
      });
      return;
    }
    if (before.kind === "present" && event.change === "WITHDRAW" && before.groups.size > 0) {
      const groups = [...before.groups].sort().map(quote).join(", ");
      violations.push({
        invariant,
        title,
        events: proofOf(before.last, entry),
        message: `${stream.label} saw ${who} withdrawn while it was still a member of service group(s) ${groups}: a LEAVE for every group must come before the WITHDRAW (S-22, S-24).`,
      });
    }
  });
  const notes: string[] = [];
  for (const s of observerStreams(h)) notes.push(...gapNotes(s));
  return { violations, checked, notes };
}

export function checkEventOrder(h: ScenarioHistory): Violation[] {
  return judgeEventOrder(h).violations;
}

export const eventOrder: Checker = {
  invariant,
  title,
  rule: "Per observer and agent: AVAIL → (JOIN|LEAVE)* → LEAVE* → WITHDRAW, then possibly a new AVAIL; nothing for an agent not held, and no WITHDRAW while still in a service group.",
  check: judgeEventOrder,
};
