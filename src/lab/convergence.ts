import type { ProcessView } from "../machine";
import type { ExpectedLink } from "../topology";
import { ProcessStartError } from "./errors";
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

/** What a failed start is judged from: the machines' health and a process's last log lines. */
export interface StartFailureProbe {
  machines(): string[];
  client(machine: string): {
    health(): Promise<{ processes: ProcessHealth[] }>;
    logs(process: string, tail: number): Promise<{ lines: string[] }>;
  };
}

interface ProcessHealth {
  name: string;
  address: string;
  state: string;
  failure: string | null;
  logPath: string;
}

/**
 * The first process that failed to start (it exited, or its supervisor gave up on it) and will not come back by
 * itself, as an error with its reason and last log lines; undefined when none did.
 */
export async function startFailure(lab: StartFailureProbe): Promise<ProcessStartError | undefined> {
  for (const m of lab.machines()) {
    const client = lab.client(m);
    const failed = (await client.health()).processes.find((p) => p.state === "exited" && p.failure !== null);
    if (!failed) continue;
    const { lines } = await client.logs(failed.name, START_FAILURE_LINES).catch(() => ({ lines: [] as string[] }));
    return new ProcessStartError(failed.address, failed.failure!, lines, failed.logPath);
  }
  return undefined;
}

/** The same error from a supervisor's answer to a failed `start` of one process (`MACHINE_HOST_FAILED`). */
export function processStartError(address: string, err: unknown): ProcessStartError | undefined {
  const e = err as { code?: string; details?: { reason?: unknown; log?: unknown; logPath?: unknown } };
  if (e?.code !== "MACHINE_HOST_FAILED" || typeof e.details?.reason !== "string") return undefined;
  const lines = Array.isArray(e.details.log) ? e.details.log.map(String) : [];
  const logPath = typeof e.details.logPath === "string" ? e.details.logPath : undefined;
  return new ProcessStartError(address, e.details.reason, lines, logPath, { cause: err });
}

const START_FAILURE_LINES = 12;

/** What {@link startLook} asks: both probes' questions of one machine client. */
export interface StartProbe {
  machines(): string[];
  client(machine: string): {
    health(): Promise<{ processes: (ProcessHealth & { ready: boolean })[] }>;
    logs(process: string, tail: number): Promise<{ lines: string[] }>;
  };
  view(address: string): Promise<ProcessView>;
}

/**
 * One look while a lab starts (or recovers): asks each machine for its health once, all machines at the same time,
 * and judges both {@link startFailure} and {@link converged} from those answers (it used to ask twice, machine
 * after machine for the failure). Resolves ok with the failed process's error, or ok(undefined) once converged.
 */
export async function startLook(lab: StartProbe, links: ExpectedLink[]): Promise<Look<ProcessStartError | undefined>> {
  const healths = new Map(lab.machines().map((m) => [m, lab.client(m).health()] as const));
  for (const h of healths.values()) h.catch(() => {}); // judged below, in machine order; never unhandled
  const once = {
    machines: () => lab.machines(),
    client: (m: string) => ({
      health: () => healths.get(m) ?? lab.client(m).health(),
      logs: (process: string, tail: number) => lab.client(m).logs(process, tail),
    }),
    view: (address: string) => lab.view(address),
  };
  const failed = await startFailure(once);
  if (failed) return ok(failed);
  const look = await converged(once, links);
  return look.ok ? ok(undefined) : look;
}
