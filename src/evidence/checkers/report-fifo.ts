import type { ScenarioHistory } from "../history";
import { type Delivery, describeEdge, liveDeliveries } from "./reports";
import type { Checker, CheckOutcome, Violation } from "./types";
import { observerStreams, quote, serviceNames } from "./views";

const invariant = "I10";
const title = "Report FIFO";

/**
 * I10, per subscriber process incarnation and (publisher, subscriber): live deliveries (`cached: false`) come
 * in increasing publication seq. Cache replays are left out: on a new edge they come first, one per subject
 * in any order, and legitimately carry older seqs. Equal seqs are I9's.
 */
export function judgeReportFifo(h: ScenarioHistory): CheckOutcome {
  const names = serviceNames(h);
  const violations: Violation[] = [];
  let checked = 0;
  for (const s of observerStreams(h)) {
    for (const list of liveDeliveries(s.entries).values()) {
      let highest: Delivery | undefined;
      for (const d of list) {
        checked++;
        if (highest && d.event.publicationSeq < highest.event.publicationSeq) {
          violations.push({
            invariant,
            title,
            events: [highest.entry, d.entry],
            message: `${s.label} received publication #${d.event.publicationSeq} (subject ${quote(d.event.subject)}) from ${describeEdge(d.event, names)} after #${highest.event.publicationSeq} (subject ${quote(highest.event.subject)}): reports from one publisher to one subscriber arrive in order (S-39).`,
          });
        }
        if (!highest || d.event.publicationSeq > highest.event.publicationSeq) highest = d;
      }
    }
  }
  return { violations, checked, notes: [] };
}

export function checkReportFifo(h: ScenarioHistory): Violation[] {
  return judgeReportFifo(h).violations;
}

export const reportFifo: Checker = {
  invariant,
  title,
  rule: "Per subscriber and publisher, live report deliveries arrive in strictly increasing publication seq (cache replays excluded).",
  check: judgeReportFifo,
};
