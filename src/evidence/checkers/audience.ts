import type { BindingEvent } from "../../exchange";
import type { RecordedExchange, ScenarioHistory } from "../history";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, describeNode, linksOf, nodeAddresses, observerStreams, proofOf, quote } from "./views";

const invariant = "I1";
const title = "Audience safety";

/**
 * I1: every remote binding a process learns must be allowed there by its audience. The audience judged is the one
 * the topology declares for that service of the origin process (a user program must keep its declared contract),
 * else the one the origin process recorded for its own (local) binding when the history has it, else the one the
 * event carries; the group judged is the group of the link the binding came over (the observer's own link
 * events), else `via.group`.
 */
export function judgeAudienceSafety(h: ScenarioHistory): CheckOutcome {
  const addresses = nodeAddresses(h);
  const local = new Map<string, RecordedExchange>();
  for (const e of h.events) {
    if (
      e.kind === "exchange" &&
      e.event.type === "binding" &&
      e.event.location === "local" &&
      e.event.change === "AVAIL" &&
      e.event.origin.nodeName === e.event.node &&
      !local.has(e.event.agentId)
    )
      local.set(e.event.agentId, e);
  }
  const declared = declaredAudiences(h, addresses);
  const violations: Violation[] = [];
  let checked = 0;
  let unjudged = 0;
  for (const s of observerStreams(h)) {
    const links = linksOf(s);
    for (const e of s.entries) {
      const ev = e.event;
      if (ev.type !== "binding" || ev.location !== "remote" || ev.change !== "AVAIL") continue;
      checked++;
      const origin = local.get(ev.agentId);
      const originEv = origin?.event as BindingEvent | undefined;
      const offered = originEv ? originEv.audience : ev.audience;
      const contract = declared.get(`${ev.origin.nodeName}\u0000${ev.serviceName}`);
      const audience = contract ?? offered;
      const what =
        `${describeAgent(ev.agentId, ev.serviceName)} from ${describeNode(ev.origin.nodeName, addresses)}` +
        (contract !== undefined && contract !== offered
          ? ` (offered with audience ${quote(offered)}, declared in the topology with audience ${quote(contract)})`
          : "");
      const linkEvents = ev.via ? (links.get(ev.via.linkId) ?? []) : [];
      const linkGroup =
        linkEvents.length > 0 && linkEvents[0].event.type === "link" ? linkEvents[0].event.group : ev.via?.group;
      const linkUp = [...linkEvents]
        .reverse()
        .find(
          (l) => l.id < e.id && l.event.type === "link" && (l.event.state === "ACTIVE" || l.event.state === "SYNCED"),
        );
      const proof = proofOf(origin, linkUp, e);
      if (originEv && originEv.audience !== ev.audience) {
        violations.push({
          invariant,
          title,
          events: proof,
          message: `${s.label} holds ${what} with audience ${quote(ev.audience)}, but the origin offered it with audience ${quote(originEv.audience)}: the audience changed on the way.`,
        });
      }
      if (audience === "") {
        violations.push({
          invariant,
          title,
          events: proof,
          message: `${s.label} holds ${what} as a remote binding${ev.via ? ` (learned over link ${ev.via.linkId})` : ""}, but its audience is "": an audience-"" service must never leave its process (S-17).`,
        });
        continue;
      }
      if (audience === "*") continue;
      if (linkGroup === undefined) {
        unjudged++;
        continue;
      }
      if (linkGroup !== audience) {
        violations.push({
          invariant,
          title,
          events: proof,
          message: `${s.label} learned ${what} over link ${ev.via?.linkId} of exchange group ${quote(linkGroup)}, but its audience is ${quote(audience)}: it may only travel over links of group ${quote(audience)} (S-17, S-27).`,
        });
      }
    }
  }
  const notes =
    unjudged > 0
      ? [`${unjudged} remote binding(s) named no link (no \`via\`), so their exchange group could not be judged.`]
      : [];
  return { violations, checked, notes };
}

/** Declared audiences by origin node name and service name, from the topology the lab ran. */
function declaredAudiences(h: ScenarioHistory, addresses: Map<string, Set<string>>): Map<string, string> {
  const byAddress = new Map<string, string[]>();
  for (const [node, set] of addresses) for (const a of set) byAddress.set(a, [...(byAddress.get(a) ?? []), node]);
  const out = new Map<string, string>();
  for (const p of h.topology?.processes ?? [])
    for (const s of p.services)
      for (const node of byAddress.get(p.address) ?? [p.address]) out.set(`${node}\u0000${s.name}`, s.audience);
  return out;
}

export function checkAudienceSafety(h: ScenarioHistory): Violation[] {
  return judgeAudienceSafety(h).violations;
}

export const audienceSafety: Checker = {
  invariant,
  title,
  rule: 'No process holds a remote binding of audience "", and a binding of audience "g" (not "*") arrives only over a link of exchange group "g".',
  check: judgeAudienceSafety,
};
