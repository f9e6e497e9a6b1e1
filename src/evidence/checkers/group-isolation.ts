import type { ScenarioHistory } from "../history";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeNode, exchangeEntries, nodeAddresses, observerStreams, quote } from "./views";

const invariant = "I15";
const title = "Group isolation";

/**
 * The exchange groups a node has endpoints in, as far as the history can tell: the topology summary's
 * endpoints of every process address the node name maps to (by its own events, else an exact address match,
 * else a unique process short name), plus the groups of the links that process itself reported. Empty when
 * nothing is known about the node.
 */
export function groupsOfNode(h: ScenarioHistory): (nodeName: string) => Set<string> {
  const addresses = nodeAddresses(h);
  const own = new Map<string, Set<string>>();
  for (const e of exchangeEntries(h)) {
    if (e.event.type !== "link") continue;
    const set = own.get(e.process) ?? new Set<string>();
    set.add(e.event.group);
    own.set(e.process, set);
  }
  const byAddress = new Map(h.topology.processes.map((p) => [p.address, p]));
  return (nodeName) => {
    let addrs = [...(addresses.get(nodeName) ?? [])];
    if (addrs.length === 0 && byAddress.has(nodeName)) addrs = [nodeName];
    if (addrs.length === 0) {
      const short = h.topology.processes.filter((p) => p.address.split("/").pop() === nodeName);
      if (short.length === 1) addrs = [short[0].address];
    }
    const groups = new Set<string>();
    for (const a of addrs) {
      for (const ep of byAddress.get(a)?.endpoints ?? []) groups.add(ep.group);
      for (const g of own.get(a) ?? []) groups.add(g);
    }
    return groups;
  };
}

/**
 * I15, per observer: every link that becomes ACTIVE (or SYNCED) in exchange group g joins a peer known to
 * have an endpoint in g. Peers the history knows nothing about are not judged.
 */
export function judgeGroupIsolation(h: ScenarioHistory): CheckOutcome {
  const addresses = nodeAddresses(h);
  const groupsOf = groupsOfNode(h);
  const violations: Violation[] = [];
  let checked = 0;
  const unknownPeers = new Set<string>();
  let mismatches = 0;
  for (const s of observerStreams(h)) {
    const judged = new Set<string>();
    for (const entry of s.entries) {
      const ev = entry.event;
      if (ev.type !== "link") continue;
      if (ev.state === "CLOSED" && ev.reason === "GROUP_MISMATCH") mismatches++;
      if ((ev.state !== "ACTIVE" && ev.state !== "SYNCED") || !ev.peer || judged.has(ev.linkId)) continue;
      judged.add(ev.linkId);
      const peerGroups = groupsOf(ev.peer.nodeName);
      if (peerGroups.size === 0) {
        unknownPeers.add(ev.peer.nodeName);
        continue;
      }
      checked++;
      if (peerGroups.has(ev.group)) continue;
      const list = [...peerGroups].sort().map(quote).join(", ");
      violations.push({
        invariant,
        title,
        events: [entry],
        message: `${s.label} has ACTIVE link ${ev.linkId} in exchange group ${quote(ev.group)} with ${describeNode(ev.peer.nodeName, addresses)}, whose endpoints are in group(s) ${list} only: a link must never join two exchange groups (S-7, S-9 GROUP_MISMATCH).`,
      });
    }
  }
  const notes: string[] = [];
  if (mismatches > 0)
    notes.push(`${mismatches} link(s) closed with GROUP_MISMATCH (cross-group dials refused, as they should be).`);
  if (unknownPeers.size > 0)
    notes.push(
      `Links to ${[...unknownPeers].map(quote).join(", ")} were not judged: the history says nothing about that node's groups.`,
    );
  return { violations, checked, notes };
}

export function checkGroupIsolation(h: ScenarioHistory): Violation[] {
  return judgeGroupIsolation(h).violations;
}

export const groupIsolation: Checker = {
  invariant,
  title,
  rule: "Every ACTIVE link of exchange group g joins a peer that has an endpoint in group g (topology summary plus the peer's own link events).",
  check: judgeGroupIsolation,
};
