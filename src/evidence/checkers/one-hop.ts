import type { RecordedExchange, ScenarioHistory } from "../history";
import { addressesByNode, type Incarnation, incarnations, placedTimes } from "../windows";
import { labelOf, linkPeers } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, quote } from "./views";

const invariant = "I16";
const title = "One-hop bound";
/** Longest path one exchange group allows: client → server → server → client. */
const MAX_IN_GROUP = 3;
/** How far apart (ms) a sender's AVAIL may be placed after its receiver's: clocks and placement are not exact. */
const TOLERANCE_MS = 100;
/** A walk longer than this is a loop. */
const MAX_WALK = 12;

interface Hop {
  from: string;
  to: string;
  group: string;
  /** Both ends serve in that group (from the receiving end's link events). */
  serverToServer: boolean;
  avail: RecordedExchange;
}

/**
 * I16: every remote binding's path, walked back from the observer through the peer each holder learned it from
 * (`via.peer` and the link's peer incarnation; the holder's AVAIL of that agent at or just before the next one
 * down the path) to the process that holds it locally, has at most 3 links within each exchange group — client →
 * server → server → client (S-19) — and at most one server-to-server hop there (a server forwards to servers only
 * what is its own or came from a client), a bridge starting a new group's count (S-27). Roles are the topology's
 * declared endpoint roles, else the link events'. A path the history cannot follow (a holder whose events are
 * missing) is not judged.
 */
export function judgeOneHop(h: ScenarioHistory): CheckOutcome {
  const byNode = addressesByNode(h);
  const placed = placedTimes(h);
  const incs = incarnations(h);
  const byIdentity = new Map(incs.map((i) => [`${i.node}\u0000${i.incarnation}`, i]));
  const avails = new Map<Incarnation, Map<string, RecordedExchange[]>>();
  for (const i of incs) {
    const m = new Map<string, RecordedExchange[]>();
    for (const e of i.entries)
      if (e.event.type === "binding" && e.event.change === "AVAIL")
        m.set(e.event.agentId, [...(m.get(e.event.agentId) ?? []), e]);
    avails.set(i, m);
  }
  const peersOf = new Map(incs.map((i) => [i, linkPeers(i, byNode)]));
  const rolesOf = new Map(incs.map((i) => [i, linkRoles(i)]));
  const declared = new Map<string, string>();
  for (const p of h.topology?.processes ?? [])
    for (const ep of p.endpoints) declared.set(`${p.address}\u0000${ep.group}`, ep.role);
  const roleOf = (address: string, group: string, seen?: string) => declared.get(`${address}\u0000${group}`) ?? seen;
  const violations: Violation[] = [];
  let checked = 0;
  let unknown = 0;
  for (const o of incs) {
    for (const e of o.entries) {
      const ev = e.event;
      if (ev.type !== "binding" || ev.change !== "AVAIL" || ev.location !== "remote") continue;
      checked++;
      const hops: Hop[] = [];
      let cur: { inc: Incarnation; entry: RecordedExchange } = { inc: o, entry: e };
      let followed = true;
      for (let k = 0; k <= MAX_WALK; k++) {
        const b = cur.entry.event;
        if (b.type !== "binding" || b.location === "local") break;
        const via = b.via;
        const peerInc = via ? peersOf.get(cur.inc)?.get(via.linkId)?.incarnation : undefined;
        const next = via && peerInc !== undefined ? byIdentity.get(`${via.peer}\u0000${peerInc}`) : undefined;
        const list = next ? avails.get(next)?.get(b.agentId) : undefined;
        if (!via || !next || !list || list.length === 0) {
          followed = false;
          break;
        }
        const roles = rolesOf.get(cur.inc)?.get(via.linkId);
        hops.push({
          from: next.process,
          to: cur.inc.process,
          group: via.group,
          serverToServer:
            roleOf(cur.inc.process, via.group, roles?.own) === "server" &&
            roleOf(next.process, via.group, roles?.peer) === "server",
          avail: cur.entry,
        });
        const limit = (placed.get(cur.entry.id) ?? cur.entry.t) + TOLERANCE_MS;
        const prev = [...list].reverse().find((x) => (placed.get(x.id) ?? x.t) <= limit) ?? list[0];
        cur = { inc: next, entry: prev };
      }
      if (!followed) {
        unknown++;
        continue;
      }
      const path = hops.reverse();
      const looped = path.length > MAX_WALK;
      const longest = longestRun(path);
      const relayed = serverRelays(path);
      if (!looped && longest.length <= MAX_IN_GROUP && relayed === undefined) continue;
      const route = [path[0]?.from, ...path.map((x) => x.to)].join(" → ");
      violations.push({
        invariant,
        title,
        events: [cur.entry, ...path.map((x) => x.avail)].sort((a, b) => a.id - b.id),
        message: looped
          ? `${labelOf(h, o)} holds ${describeAgent(ev.agentId, ev.serviceName)} over a path that loops (${route} …): forwarding must stop after one server-to-server hop (S-19).`
          : longest.length > MAX_IN_GROUP
            ? `${labelOf(h, o)} holds ${describeAgent(ev.agentId, ev.serviceName)} over a path of ${longest.length} links in exchange group ${quote(longest.group)}: ${route}; within one group a binding travels at most client → server → server → client (S-19, one-hop rule).`
            : `${labelOf(h, o)} holds ${describeAgent(ev.agentId, ev.serviceName)} over ${route}: ${relayed} relayed to another server a binding it had from a server, in exchange group ${quote(longest.group)}; a server forwards to servers only its own bindings and its clients' (S-19, one-hop rule).`,
      });
    }
  }
  const notes =
    unknown > 0
      ? [
          `${unknown} remote binding(s) could not be followed to their origin (a holder's events are missing): not judged.`,
        ]
      : [];
  return { violations, checked, notes };
}

/** The server that passed a server-learned binding on to another server (a second server hop in one group). */
function serverRelays(path: Hop[]): string | undefined {
  for (let i = 1; i < path.length; i++)
    if (path[i].serverToServer && path[i - 1].serverToServer && path[i].group === path[i - 1].group)
      return path[i].from;
  return undefined;
}

/** linkId → the observer's own role and its peer's, from its link events. */
function linkRoles(o: Incarnation): Map<string, { own: string; peer?: string }> {
  const out = new Map<string, { own: string; peer?: string }>();
  for (const e of o.entries)
    if (e.event.type === "link")
      out.set(e.event.linkId, { own: e.event.role, peer: e.event.peer?.role ?? out.get(e.event.linkId)?.peer });
  return out;
}

/** The longest run of consecutive hops in one exchange group. */
function longestRun(path: Hop[]): { length: number; group: string } {
  let best = { length: 0, group: "" };
  let run = 0;
  path.forEach((x, i) => {
    run = i > 0 && path[i - 1].group === x.group ? run + 1 : 1;
    if (run > best.length) best = { length: run, group: x.group };
  });
  return best;
}

export function checkOneHop(h: ScenarioHistory): Violation[] {
  return judgeOneHop(h).violations;
}

export const oneHop: Checker = {
  invariant,
  title,
  rule: "Every remote binding reached its holder over at most 3 links within one exchange group (client → server → server → client); a bridge starts a new group's count.",
  check: judgeOneHop,
};
