import { messageOf } from "../../common";
import { ScheduleError } from "../errors";
import {
  scheduleKind,
  touched,
  type ScheduleAction,
  type ScheduleLab,
  type ScheduleTopology,
  type ScheduledFault,
} from "./kinds";

/** One action of a schedule as it was done: planned and actual times are ms after the schedule's start. */
export interface RealizedAction {
  /** The fault it starts or ends. */
  fault: number;
  phase: "start" | "end";
  /** The named step that does the same (no keyword). */
  step: string;
  /** When it was due. */
  at: number;
  /** When it began: at or after `at` (an action waits for the one before it on the same machine). */
  startedAt: number;
  durationMs: number;
  error?: string;
}

/** The clock a schedule runs on (the lab's; a test's own). */
export interface ScheduleClock {
  /** Ms, any origin. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

interface Planned {
  fault: ScheduledFault;
  phase: "start" | "end";
  action: ScheduleAction;
  at: number;
}

/** The order actions are due in: by time; at one time ends before starts, then fault order. */
export function dueOrder(a: { at: number; phase: string; fault: number }, b: typeof a): number {
  return a.at - b.at || (a.phase === b.phase ? a.fault - b.fault : a.phase === "end" ? -1 : 1);
}

/** Every action of the faults, in the order they are due. */
export function scheduleActions(faults: readonly ScheduledFault[], topology: ScheduleTopology): Planned[] {
  const out: Planned[] = [];
  for (const f of faults) {
    const kind = scheduleKind(f.kind);
    out.push({ fault: f, phase: "start", action: kind.start(f), at: f.at });
    for (const action of kind.end(f, topology)) out.push({ fault: f, phase: "end", action, at: f.at + f.lasting });
  }
  const due = (p: Planned) => ({ at: p.at, phase: p.phase, fault: p.fault.n });
  return out.sort((a, b) => dueOrder(due(a), due(b)));
}

/**
 * Carries out a schedule on a started lab: each action when it is due, after the actions before it on the same
 * machines have finished (faults on other machines run meanwhile). When one fails, nothing new starts, every fault
 * begun is ended (best effort) and a {@link ScheduleError} is thrown. `onAction` hears each action once done.
 */
export async function strike(
  lab: ScheduleLab,
  topology: ScheduleTopology,
  faults: readonly ScheduledFault[],
  clock: ScheduleClock,
  onAction: (a: RealizedAction) => void = () => {},
): Promise<RealizedAction[]> {
  const origin = clock.now();
  const realized: RealizedAction[] = [];
  const last = new Map<string, Promise<unknown>>();
  let failure: { action: Planned; err: unknown } | undefined;
  const ended = new Set<Planned>();
  const begun = new Set<number>();

  const run = async (p: Planned): Promise<void> => {
    const wait = p.at - (clock.now() - origin);
    if (wait > 0) await clock.sleep(wait);
    if (failure && p.phase === "start") return;
    if (p.phase === "end" && !begun.has(p.fault.n)) return;
    const startedAt = clock.now() - origin;
    const done = (error?: string) => {
      const a: RealizedAction = {
        fault: p.fault.n,
        phase: p.phase,
        step: p.action.step,
        at: p.at,
        startedAt: Math.round(startedAt),
        durationMs: Math.round(clock.now() - origin - startedAt),
        ...(error !== undefined ? { error } : {}),
      };
      realized.push(a);
      onAction(a);
    };
    try {
      if (p.phase === "start") begun.add(p.fault.n);
      await p.action.run(lab);
      if (p.phase === "end") ended.add(p);
      done();
    } catch (err) {
      done(messageOf(err));
      failure ??= { action: p, err };
    }
  };

  const planned = scheduleActions(faults, topology);
  const all = planned.map((p) => {
    const machines = touched(p.fault);
    const before = machines.map((m) => last.get(m)).filter((x) => x !== undefined);
    const promise = Promise.all(before).then(() => run(p));
    for (const m of machines) last.set(m, promise);
    return promise;
  });
  await Promise.all(all);
  if (failure) {
    // Whatever was begun and not ended is ended now, so the lab is whole for what follows.
    for (const p of planned) {
      if (p.phase !== "end" || !begun.has(p.fault.n) || ended.has(p)) continue;
      await p.action.run(lab).catch(() => {});
    }
    const { action, err } = failure;
    throw new ScheduleError(
      `the random schedule stopped at fault ${action.fault.n} (${action.action.step}): ${messageOf(err)}`,
      realized,
      { cause: err },
    );
  }
  return realized.sort((a, b) => a.startedAt - b.startedAt || a.at - b.at);
}
