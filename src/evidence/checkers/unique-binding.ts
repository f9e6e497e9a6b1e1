import type { ScenarioHistory } from "../history";
import { walkBindings } from "./binding-walk";
import type { Checker, CheckOutcome, Violation } from "./types";
import { describeAgent, exchangeEntries, gapNotes, observerStreams, proofOf } from "./views";

const invariant = "I5";
const title = "Unique binding";

/**
 * I5: a process holds at most one entry per agentId, so an observer never sees AVAIL for an agent it already
 * holds (no WITHDRAW in between). DUP_BINDING_PATH / TOPOLOGY_LOOP counters are reported as notes only: they
 * are the exchange correctly refusing a second path, which deliberately looped topologies produce.
 */
export function judgeUniqueBinding(h: ScenarioHistory): CheckOutcome {
  const violations: Violation[] = [];
  let checked = 0;
  walkBindings(h, ({ stream, entry, event, before }) => {
    if (event.change !== "AVAIL") return;
    checked++;
    if (before.kind !== "present") return;
    const prev = before.avail.event.type === "binding" ? before.avail.event : undefined;
    const path = (e: typeof event | undefined) =>
      e?.location === "remote" && e.via ? `link ${e.via.linkId}` : (e?.location ?? "?");
    violations.push({
      invariant,
      title,
      events: proofOf(before.avail, entry),
      message: `${stream.label} already held ${describeAgent(event.agentId, event.serviceName)} (via ${path(prev)}) when it was made available again (via ${path(event)}) without a WITHDRAW in between: two entries for one agent.`,
    });
  });
  const anomalies = new Map<string, number>();
  for (const e of exchangeEntries(h)) {
    if (e.event.type === "anomaly" && (e.event.kind === "DUP_BINDING_PATH" || e.event.kind === "TOPOLOGY_LOOP")) {
      const key = `${e.process}: ${e.event.kind}`;
      anomalies.set(key, (anomalies.get(key) ?? 0) + 1);
    }
  }
  const notes = [...anomalies].map(
    ([k, n]) =>
      `${k} counted ${n} time(s) (a second path was refused; expected only in a looped or multi-server topology).`,
  );
  for (const s of observerStreams(h)) notes.push(...gapNotes(s));
  return { violations, checked, notes };
}

export function checkUniqueBinding(h: ScenarioHistory): Violation[] {
  return judgeUniqueBinding(h).violations;
}

export const uniqueBinding: Checker = {
  invariant,
  title,
  rule: "No process receives AVAIL for an agent it already holds (one registry entry per agentId).",
  check: judgeUniqueBinding,
};
