import type { ReportEvent } from "../../exchange";
import type { RecordedExchange } from "../history";
import { describeAgent } from "./views";

/** A live (non-cached) report delivery, keyed per (subscriber, publisher, targeted?). */
export interface Delivery {
  entry: RecordedExchange;
  event: ReportEvent;
}

/**
 * Targeted reports (sendReport: no matched patterns) are kept apart from published ones, so that an exchange
 * numbering them on a separate counter is not misjudged.
 */
export function deliveryKey(ev: ReportEvent): string {
  return `${ev.subscriber}\u0000${ev.publisher}\u0000${ev.matchedPatterns.length === 0 ? "targeted" : "published"}`;
}

/** Live deliveries of one observer stream, grouped by delivery key, in seq order. */
export function liveDeliveries(entries: RecordedExchange[]): Map<string, Delivery[]> {
  const out = new Map<string, Delivery[]>();
  for (const entry of entries) {
    const ev = entry.event;
    if (ev.type !== "report" || ev.cached) continue;
    const key = deliveryKey(ev);
    const list = out.get(key) ?? [];
    list.push({ entry, event: ev });
    out.set(key, list);
  }
  return out;
}

export function describeEdge(ev: ReportEvent, names: Map<string, string>): string {
  return `${describeAgent(ev.publisher, names.get(ev.publisher))} to subscriber ${describeAgent(ev.subscriber, names.get(ev.subscriber))}`;
}
