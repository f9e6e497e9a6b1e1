import type { ScenarioHistory } from "../history";
import {
  addressesByNode,
  detectionMs,
  type FaultWindow,
  faultWindows,
  historyEndT,
  incarnations,
  LAG_ALLOWANCE_MS,
  linkRequirements,
  placedTimes,
  timingOf,
} from "../windows";
import { heldAt, judgeableThrough, labelOf, onSide } from "./ground-truth";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, proofOf, seconds } from "./views";

const invariant = "I20";
const title = "Failure containment";

/**
 * I20 (OSE's promise): when a server S fails — an outage (crashed, stopped, exited, frozen) of S or its machine
 * — a process not attached to S (no link to it, not on the failed machine) keeps every binding whose origin it
 * still reaches over links that avoid the failed processes and their clients (not a bridge's far side, not a
 * machine behind the failed one): no WITHDRAW of such a binding from the failure until S is back and the detection time
 * (plus 1 s lag) has passed. Judged only for failures during which no other fault or outage was active, for
 * observers that ran through unfrozen with no seq gap. "Attached" and "client" come from the plan's links and
 * the link events; the timing from the topology (else the spec's defaults).
 */
export function judgeFailureContainment(h: ScenarioHistory): CheckOutcome {
  const { timing } = timingOf(h);
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  const endT = historyEndT(h);
  const windows = faultWindows(h);
  const topo = topologyView(h);
  const byNode = addressesByNode(h);
  const placed = placedTimes(h);
  for (const w of windows) {
    if (w.kind !== "outage") continue;
    const failed = new Set(topo.processes.filter((p) => w.targets.some((t) => onSide(p, t))));
    const servers = [...failed].filter((p) => topo.servers.has(p));
    if (servers.length === 0) continue;
    const to = w.ended ? w.end + detectionMs(timing) + LAG_ALLOWANCE_MS : endT;
    const others = windows.filter((x) => x !== w && x.start < to && (x.ended ? x.end : endT) > w.start);
    if (others.length > 0) {
      notes.push(
        `${w.label} at ${seconds(w.start)}: not judged, ${others.map((x) => x.label).join(", ")} overlapped it.`,
      );
      continue;
    }
    const attached = new Set<string>(failed);
    const excluded = new Set<string>(failed);
    for (const s of servers)
      for (const { peer, peerIsClient } of topo.links.get(s) ?? []) {
        attached.add(peer);
        if (peerIsClient) excluded.add(peer);
      }
    for (const o of incarnations(h)) {
      if (attached.has(o.process) || !judgeableThrough(h, o, w.start, Math.min(to, endT))) continue;
      const held = heldAt(h, o, w.start);
      const reachable = reachableAvoiding(o.process, excluded, topo.links);
      for (const x of held.values()) {
        const origin = byNode.get(x.origin.nodeName);
        if (!x.remote || origin === undefined || !reachable.has(origin)) continue;
        checked++;
        const gone = o.entries.find(
          (e) =>
            e.event.type === "binding" &&
            e.event.change === "WITHDRAW" &&
            e.event.agentId === x.agentId &&
            (placed.get(e.id) ?? e.t) > w.start &&
            (placed.get(e.id) ?? e.t) <= to,
        );
        if (!gone) continue;
        const at = placed.get(gone.id) ?? gone.t;
        violations.push({
          invariant,
          title,
          events: proofOf(w.events[0], x.avail, gone),
          message: `${labelOf(h, o)} withdrew ${describeAgent(x.agentId, x.serviceName)} from ${origin} at ${seconds(at)} while ${describe(w, servers)}: losing a server affects only its machine and its clients, and ${o.process} is not attached to it (OSE's promise).`,
        });
      }
    }
  }
  return { violations, checked, notes };
}

function describe(w: FaultWindow, servers: string[]): string {
  const what = `${servers.join(", ")} ${servers.length === 1 ? "was" : "were"} down (${w.label} at ${seconds(w.start)}`;
  return `${what}${w.ended ? `, back at ${seconds(w.end)})` : ")"}`;
}

interface TopologyView {
  processes: string[];
  servers: Set<string>;
  /** address → its link peers, and whether the peer is the client end. */
  links: Map<string, { peer: string; peerIsClient: boolean }[]>;
}

/** Processes, which of them serve (a server endpoint, or a server role seen on a link), and who links to whom. */
function topologyView(h: ScenarioHistory): TopologyView {
  const processes = new Set<string>(h.topology?.processes.map((p) => p.address) ?? []);
  const servers = new Set<string>();
  const roles = new Map<string, string>();
  for (const p of h.topology?.processes ?? [])
    for (const e of p.endpoints) {
      roles.set(`${p.address}\u0000${e.group}`, e.role);
      if (e.role === "server") servers.add(p.address);
    }
  for (const inc of incarnations(h)) {
    processes.add(inc.process);
    for (const e of inc.entries)
      if (e.event.type === "link" && e.event.role === "server") {
        servers.add(inc.process);
        roles.set(`${inc.process}\u0000${e.event.group}`, "server");
      }
  }
  const links = new Map<string, { peer: string; peerIsClient: boolean }[]>();
  const add = (a: string, b: string, group: string) => {
    const list = links.get(a) ?? [];
    if (!list.some((l) => l.peer === b))
      list.push({ peer: b, peerIsClient: roles.get(`${b}\u0000${group}`) !== "server" });
    links.set(a, list);
  };
  for (const r of linkRequirements(h))
    for (const p of r.pairs) {
      add(p.a, p.b, p.group);
      add(p.b, p.a, p.group);
    }
  return { processes: [...processes].filter((p) => p.includes("/")), servers, links };
}

/**
 * The processes `from` still reaches over the plan's and the observed links without passing through `excluded`
 * (the failed processes and their clients): a binding whose origin it no longer reaches — a bridge's far side, a
 * machine behind the failed one — may go.
 */
function reachableAvoiding(from: string, excluded: Set<string>, links: TopologyView["links"]): Set<string> {
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length) {
    for (const { peer } of links.get(queue.shift()!) ?? []) {
      if (seen.has(peer) || excluded.has(peer)) continue;
      seen.add(peer);
      queue.push(peer);
    }
  }
  return seen;
}

export function checkFailureContainment(h: ScenarioHistory): Violation[] {
  return judgeFailureContainment(h).violations;
}

export const failureContainment: Checker = {
  invariant,
  title,
  rule: "While a server is down, a process not attached to it keeps (no WITHDRAW) every binding whose origin is neither the failed processes nor their clients.",
  check: judgeFailureContainment,
};
