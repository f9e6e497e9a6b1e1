import type { ProcessView } from "../machine";
import type { ExpectedLink } from "../topology";
import { notYet, ok, type Look } from "./wait";

const LIVE = new Set(["ACTIVE", "SYNCED"]);

/** ACTIVE (or SYNCED) links of a view towards `peer` in `group`. */
export function activeLinksTo(view: ProcessView, peer: string, group?: string) {
  return view.dump.links.filter(
    (l) => LIVE.has(l.state) && l.peer?.nodeName === peer && (group === undefined || l.group === group),
  );
}

/** What convergence looks at: the machines' health and the processes' views. */
export interface ConvergenceProbe {
  machines(): string[];
  client(machine: string): { health(): Promise<{ processes: { address: string; ready: boolean; state: string }[] }> };
  view(address: string): Promise<ProcessView>;
}

/** One look: every machine healthy and every expected link active at both ends. */
export async function converged(lab: ConvergenceProbe, links: ExpectedLink[]): Promise<Look<void>> {
  const notReady: string[] = [];
  await Promise.all(
    lab.machines().map(async (m) => {
      const health = await lab.client(m).health();
      for (const p of health.processes) if (!p.ready) notReady.push(`${p.address} (${p.state})`);
    }),
  );
  if (notReady.length) return notYet(`processes not ready: ${notReady.join(", ")}`);
  const views = new Map<string, ProcessView>();
  const view = async (a: string) => {
    if (!views.has(a)) views.set(a, await lab.view(a));
    return views.get(a)!;
  };
  const missing: string[] = [];
  for (const l of links) {
    const [va, vb] = await Promise.all([view(l.a), view(l.b)]);
    if (activeLinksTo(va, l.b, l.group).length === 0 || activeLinksTo(vb, l.a, l.group).length === 0) {
      missing.push(`${l.a} ⇄ ${l.b}${l.group ? ` [${l.group}]` : ""}`);
    }
  }
  if (missing.length) return notYet(`links not active yet: ${missing.join(", ")}`);
  return ok(undefined);
}
