import { matchSubject, type ReportEvent } from "../../exchange";
import type { RecordedDelivery, RecordedExchange, RecordedOperation, ScenarioHistory } from "../history";
import { faultedIntervals, incarnations, LAG_ALLOWANCE_MS, placedTimes, within } from "../windows";
import { describeWorkload, publisherAgents, workloadRecords, type WorkloadRecord } from "../workload-figures";
import { labelOf } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, proofOf, quote, seconds, serviceNames } from "./views";

const invariant = "I12";
const title = "Cache semantics";

/**
 * I12, from the reports subscribers received:
 * - per subscriber (process incarnation), publisher and subject: a cached report is never older (lower seq) than
 *   a report of that subject from that publisher it already received — a cache holds the latest value (S-40);
 * - one new edge's replay (consecutive cached reports from one publisher, with no other report or subscription
 *   event of that publisher between) carries each subject once;
 * - for the workloads' publications (content `{ workload, n }`): a cached report is never older than a
 *   publication made (2 × lag) before it arrived; when the lab records the workload's `lifetime`, nothing published
 *   with lifetime 0 ever comes from the cache, nothing arrives from it after its lifetime (+ lag), and a new edge
 *   (the subscriber's REQUESTED) made while an unexpired value was cached has received that value (or a newer
 *   one) by the time it is up (+ lag). Reports that arrive during a fault window are left out of the timed rules.
 * Not judged: "before any live report on that edge" (the events do not say which edge a live report used).
 */
export function judgeCacheSemantics(h: ScenarioHistory): CheckOutcome {
  const names = serviceNames(h);
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  for (const o of incarnations(h)) {
    const latest = new Map<string, RecordedExchange>();
    const run = new Map<string, Map<string, RecordedExchange>>();
    for (const e of o.entries) {
      const ev = e.event;
      if (ev.type === "subscription" && ev.side === "subscriber") run.delete(ev.publisher);
      if (ev.type !== "report") continue;
      const key = `${ev.subscriber}\u0000${ev.publisher}\u0000${ev.subject}`;
      const before = latest.get(key);
      const beforeSeq = before?.event.type === "report" ? before.event.publicationSeq : -Infinity;
      if (ev.cached) {
        checked++;
        const what = `${describeAgent(ev.publisher, names.get(ev.publisher))}, subject ${quote(ev.subject)}`;
        if (ev.publicationSeq < beforeSeq)
          violations.push({
            invariant,
            title,
            events: proofOf(before, e),
            message: `${labelOf(h, o)} received publication #${ev.publicationSeq} of ${what} from the cache after it had received #${beforeSeq}: a cache holds the latest value of a subject (S-40).`,
          });
        const replay = run.get(ev.publisher) ?? new Map<string, RecordedExchange>();
        const twice = replay.get(`${ev.subscriber}\u0000${ev.subject}`);
        if (twice)
          violations.push({
            invariant,
            title,
            events: proofOf(twice, e),
            message: `${labelOf(h, o)} received subject ${quote(ev.subject)} of ${describeAgent(ev.publisher, names.get(ev.publisher))} twice in one cache replay (#${(twice.event as ReportEvent).publicationSeq}, then #${ev.publicationSeq}): a new edge gets each cached subject once, with its latest value (S-40).`,
          });
        replay.set(`${ev.subscriber}\u0000${ev.subject}`, e);
        run.set(ev.publisher, replay);
      } else run.delete(ev.publisher);
      if (ev.publicationSeq > beforeSeq) latest.set(key, e);
    }
  }
  for (const r of workloadRecords(h)) {
    if (r.workload.kind !== "publish") continue;
    const out = judgeWorkload(h, r);
    checked += out.checked;
    violations.push(...out.violations);
    notes.push(...out.notes);
  }
  return { violations, checked, notes };
}

function judgeWorkload(h: ScenarioHistory, r: WorkloadRecord): CheckOutcome {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  const what = describeWorkload(r.workload);
  const faulted = faultedIntervals(h);
  const published = r.operations.filter((o) => o.outcome === "PUBLISHED").sort((a, b) => a.start - b.start);
  const byN = new Map(published.map((o) => [o.n, o]));
  const lifetime = r.workload.lifetime;
  for (const d of r.deliveries) {
    if (!d.cached || within(d.at, faulted)) continue;
    checked++;
    const op = byN.get(d.n);
    const newer = published.find((o) => o.n > d.n && o.start + 2 * LAG_ALLOWANCE_MS < d.at);
    if (newer)
      violations.push({
        invariant,
        title,
        events: proofOf<RecordedOperation | RecordedDelivery>(newer, d),
        message: `${d.process} received report #${d.n} of ${what} from the cache at ${seconds(d.at)}, although #${newer.n} had been published at ${seconds(newer.start)}: a cache holds the latest value of a subject (S-40).`,
      });
    if (lifetime === 0)
      violations.push({
        invariant,
        title,
        events: proofOf<RecordedOperation | RecordedDelivery>(op, d),
        message: `${d.process} received report #${d.n} of ${what} from the cache, but it publishes with lifetime 0: such a publication deletes the cached entry and is never cached (S-40).`,
      });
    else if (lifetime !== undefined && lifetime > 0 && op && d.at > op.start + lifetime * 1000 + LAG_ALLOWANCE_MS)
      violations.push({
        invariant,
        title,
        events: proofOf<RecordedOperation | RecordedDelivery>(op, d),
        message: `${d.process} received report #${d.n} of ${what} from the cache at ${seconds(d.at)}, ${d.at - op.start} ms after it was published with lifetime ${lifetime} s: an expired entry is never delivered (S-40).`,
      });
  }
  if (lifetime === undefined) {
    if (r.deliveries.some((d) => d.cached))
      notes.push(
        `${what}: its reports' lifetime is not recorded; expiry and completeness of its cache were not judged.`,
      );
    return { violations, checked, notes };
  }
  if (lifetime !== 0) {
    const out = judgeNewEdges(h, r, published, lifetime);
    checked += out.checked;
    violations.push(...out.violations);
  }
  return { violations, checked, notes };
}

/** Every new edge to the workload's publisher, made while a value was cached, has that value (or newer) once up. */
function judgeNewEdges(
  h: ScenarioHistory,
  r: WorkloadRecord,
  published: RecordedOperation[],
  lifetime: number,
): { violations: Violation[]; checked: number } {
  const violations: Violation[] = [];
  let checked = 0;
  const placed = placedTimes(h);
  const faulted = faultedIntervals(h);
  const publishers = publisherAgents(h, r);
  const shared = workloadRecords(h).some(
    (x) =>
      x !== r &&
      x.workload.kind === "publish" &&
      x.workload.process === r.workload.process &&
      x.workload.service === r.workload.service &&
      x.workload.subject === r.workload.subject,
  );
  if (publishers.size === 0 || shared) return { violations, checked };
  const subject = r.workload.subject ?? "";
  for (const o of incarnations(h)) {
    const named = new Set(
      o.entries
        .filter((e) => e.event.type === "binding" && e.event.location === "local" && e.event.serviceName !== "")
        .map((e) => (e.event.type === "binding" ? e.event.agentId : "")),
    );
    for (const e of o.entries) {
      const ev = e.event;
      if (ev.type !== "subscription" || ev.side !== "subscriber" || ev.state !== "REQUESTED") continue;
      if (!publishers.has(ev.publisher) || named.has(ev.subscriber) || !matchSubject(ev.pattern, subject)) continue;
      const at = placed.get(e.id) ?? e.t;
      if (within(at, faulted)) continue;
      const cached = [...published]
        .reverse()
        .find(
          (p) => p.end + LAG_ALLOWANCE_MS < at && (lifetime < 0 || p.start + lifetime * 1000 > at + LAG_ALLOWANCE_MS),
        );
      const last = [...published].reverse().find((p) => p.start < at);
      if (!cached || last !== cached) continue;
      checked++;
      const got = r.deliveries.some((d) => d.process === o.process && d.n >= cached.n && d.at <= at + LAG_ALLOWANCE_MS);
      if (got) continue;
      violations.push({
        invariant,
        title,
        events: proofOf<RecordedOperation | RecordedExchange>(cached, e),
        message: `${labelOf(h, o)} made a new edge to ${describeWorkload(r.workload)} at ${seconds(at)} while #${cached.n} (lifetime ${lifetime} s) was cached, and did not receive it: a new edge gets every unexpired cached subject matching its pattern (S-40).`,
      });
    }
  }
  return { violations, checked };
}

export function checkCacheSemantics(h: ScenarioHistory): Violation[] {
  return judgeCacheSemantics(h).violations;
}

export const cacheSemantics: Checker = {
  invariant,
  title,
  rule: "A cache replay carries each subject once with its latest value, never an older value than the subscriber had; with the lifetime known, never a lifetime-0 or expired entry, and a new edge gets the unexpired cached value.",
  check: judgeCacheSemantics,
};
