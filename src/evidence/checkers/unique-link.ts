import type { LinkEvent, PeerIdentity } from "../../exchange";
import type { RecordedExchange, ScenarioHistory } from "../history";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeNode, gapNotes, nodeAddresses, observerStreams, proofOf, quote, segments } from "./views";

const invariant = "I4";
const title = "Unique link";
const TIE_BREAK_CLOSES = new Set(["DUPLICATE", "SIMULTANEOUS"]);

interface Open {
  linkId: string;
  since: RecordedExchange;
  dialer: boolean;
}

/**
 * I4, per observer: at no point does it hold two ACTIVE/SYNCED links to the same peer (nodeName and
 * incarnation) in the same exchange group. A second link that one of the two is closed with DUPLICATE or
 * SIMULTANEOUS before any binding arrives over it is the S-10 tie-break at work, and allowed.
 */
export function judgeUniqueLink(h: ScenarioHistory): CheckOutcome {
  const addresses = nodeAddresses(h);
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  let peerless = 0;
  for (const s of observerStreams(h)) {
    notes.push(...gapNotes(s));
    for (const seg of segments(s)) {
      const peers = new Map<string, PeerIdentity>();
      const open = new Map<string, Open[]>();
      const entries = seg.entries;
      entries.forEach((entry, i) => {
        const ev = entry.event;
        if (ev.type !== "link") return;
        if (ev.peer) peers.set(ev.linkId, ev.peer);
        const peer = peers.get(ev.linkId);
        const active = ev.state === "ACTIVE" || ev.state === "SYNCED";
        for (const [key, list] of open)
          open.set(
            key,
            list.filter((o) => o.linkId !== ev.linkId || active),
          );
        if (!active) return;
        if (!peer) {
          peerless++;
          return;
        }
        const key = `${ev.group}\u0000${peer.nodeName}\u0000${peer.incarnation}`;
        const list = open.get(key) ?? [];
        if (list.some((o) => o.linkId === ev.linkId)) return;
        checked++;
        for (const other of list) {
          const excuse = tieBreakClose(entries, i, ev.linkId, other.linkId);
          if (excuse) continue;
          violations.push({
            invariant,
            title,
            events: proofOf(other.since, entry),
            message:
              `${s.label} held two ACTIVE links to ${describeNode(peer.nodeName, addresses)} in exchange group ${quote(ev.group)}: ` +
              `${other.linkId} (${other.dialer ? "dialled" : "accepted"}, active since seq ${other.since.event.seq}) and ${ev.linkId} (${ev.dialer ? "dialled" : "accepted"}, active at seq ${ev.seq}). ` +
              `At most one link may join two processes (S-10).`,
          });
        }
        list.push({ linkId: ev.linkId, since: entry, dialer: ev.dialer });
        open.set(key, list);
      });
    }
  }
  if (peerless > 0) notes.push(`${peerless} ACTIVE link event(s) named no peer, so they could not be paired.`);
  return { violations, checked, notes };
}

/** True when, after index i, one of the two links closes with a tie-break reason before a binding uses `newer`. */
function tieBreakClose(entries: RecordedExchange[], i: number, newer: string, older: string): boolean {
  for (let j = i + 1; j < entries.length; j++) {
    const ev = entries[j].event;
    if (ev.type === "binding" && ev.via?.linkId === newer) return false;
    if (ev.type !== "link" || (ev.linkId !== newer && ev.linkId !== older)) continue;
    if (ev.state === "CLOSED") return TIE_BREAK_CLOSES.has((ev as LinkEvent).reason ?? "");
  }
  return false;
}

export function checkUniqueLink(h: ScenarioHistory): Violation[] {
  return judgeUniqueLink(h).violations;
}

export const uniqueLink: Checker = {
  invariant,
  title,
  rule: "No process holds two ACTIVE links to the same peer incarnation in one exchange group (a tie-break close with DUPLICATE/SIMULTANEOUS before use is allowed).",
  check: judgeUniqueLink,
};
