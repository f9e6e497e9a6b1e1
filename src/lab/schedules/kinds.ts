import { UnknownNameError } from "../../common";
import type { Plan } from "../../topology";
import type { LabFaults } from "../faults/lab-faults";
import { faultStepText } from "../faults/registry";
import type { Random } from "./random";

/** What a schedule may strike, from the plan: machines, processes, and the machine pairs a proxy joins. */
export interface ScheduleTopology {
  machines: string[];
  processes: string[];
  /** Unordered pairs of machines with at least one proxied link between them, each once, in plan order. */
  links: [string, string][];
}

export function scheduleTopology(plan: Plan): ScheduleTopology {
  const links: [string, string][] = [];
  const seen = new Set<string>();
  for (const p of plan.proxies) {
    const pair = [p.fromMachine, p.toMachine].sort((a, b) => machineOrder(plan, a) - machineOrder(plan, b));
    const key = pair.join("\n");
    if (pair[0] === pair[1] || seen.has(key)) continue;
    seen.add(key);
    links.push(pair as [string, string]);
  }
  return { machines: plan.machines.map((m) => m.name), processes: plan.processes.map((p) => p.address), links };
}

const machineOrder = (plan: Plan, name: string) => plan.machines.findIndex((m) => m.name === name);

/** One fault of a schedule: what, where, when (ms after the schedule's start) and for how long. */
export interface ScheduledFault {
  /** 1, 2, 3… in start order. */
  n: number;
  /** A schedule kind's name ("freeze", "process crash", "latency"…). */
  kind: string;
  /** Machines, process addresses, or the two ends of a link ([from, to] for one-way). */
  targets: string[];
  /** The kind's numbers: latencyMs and jitterMs, rateKBps. */
  params?: Record<string, number>;
  /** When it starts, ms after the schedule's start. */
  at: number;
  /** How long it lasts, ms: it ends at `at + lasting`. */
  lasting: number;
}

/** What a schedule's actions act on: the started lab (its machine actions and its fault table). */
export interface ScheduleLab {
  crash(name: string): Promise<void>;
  shutdown(name: string): Promise<void>;
  freeze(machine: string): Promise<void>;
  thaw(machine: string): Promise<void>;
  startAgain(name: string): Promise<void>;
  readonly faults: Pick<LabFaults, "apply">;
}

/** One thing done to the lab: the named Gherkin step that does it (no keyword), and the same lab call. */
export interface ScheduleAction {
  step: string;
  run(lab: ScheduleLab): Promise<void>;
}

/**
 * A kind of fault a random schedule may draw: where it can strike, its numbers, and the named steps that start and
 * end it (the replay is written with these; the schedule runs the lab calls those steps make).
 */
export interface ScheduleKind {
  /** As the step's table writes it. */
  name: string;
  /** Every target list it may strike in this topology. */
  candidates(t: ScheduleTopology): string[][];
  params?(r: Random): Record<string, number>;
  start(f: ScheduledFault): ScheduleAction;
  end(f: ScheduledFault, t: ScheduleTopology): ScheduleAction[];
}

const q = JSON.stringify;

function lifecycle(name: string, subject: "machine" | "process", verb: string, end: "starts again" | "thaws") {
  const run: Record<string, (lab: ScheduleLab, target: string) => Promise<void>> = {
    crashes: (lab, x) => lab.crash(x),
    "shuts down": (lab, x) => lab.shutdown(x),
    freezes: (lab, x) => lab.freeze(x),
    "starts again": (lab, x) => lab.startAgain(x),
    thaws: (lab, x) => lab.thaw(x),
  };
  const action = (what: string, target: string): ScheduleAction => ({
    step: `${subject} ${q(target)} ${what}`,
    run: (lab) => run[what](lab, target),
  });
  return {
    name,
    candidates: (t: ScheduleTopology) => (subject === "machine" ? t.machines : t.processes).map((x) => [x]),
    start: (f: ScheduledFault) => action(verb, f.targets[0]),
    end: (f: ScheduledFault) => [action(end, f.targets[0])],
  } satisfies ScheduleKind;
}

/** A verb of the fault table applied through `lab.faults.apply`, written with its own phrase. */
function verbAction(verb: string, args: (string | number)[]): ScheduleAction {
  return { step: faultStepText(verb, args), run: async (lab) => void (await lab.faults.apply(verb, args)) };
}

const heal = (a: string, b: string) => verbAction("heal", [a, b]);

function linkKind(
  name: string,
  verb: string,
  params?: (r: Random) => Record<string, number>,
  args: (f: ScheduledFault) => (string | number)[] = (f) => f.targets,
  ordered = false,
): ScheduleKind {
  return {
    name,
    candidates: (t) =>
      ordered
        ? t.links.flatMap(([a, b]) => [
            [a, b],
            [b, a],
          ])
        : t.links.map((l) => [...l]),
    ...(params ? { params } : {}),
    start: (f) => verbAction(verb, args(f)),
    end: (f) => [heal(f.targets[0], f.targets[1])],
  };
}

const tens = (r: Random, min: number, max: number) => r.int(min / 10, max / 10) * 10;

/** The kinds, in the order the README lists them. */
export const SCHEDULE_KINDS: readonly ScheduleKind[] = [
  lifecycle("crash", "machine", "crashes", "starts again"),
  lifecycle("shut down", "machine", "shuts down", "starts again"),
  lifecycle("freeze", "machine", "freezes", "thaws"),
  lifecycle("process crash", "process", "crashes", "starts again"),
  linkKind("cut", "cut"),
  linkKind("blackhole", "blackhole"),
  linkKind("one-way", "one-way", undefined, undefined, true),
  {
    name: "isolate",
    candidates: (t) => t.machines.filter((m) => t.links.some((l) => l.includes(m))).map((m) => [m]),
    start: (f) => verbAction("isolate", [f.targets[0]]),
    end: (f, t) =>
      t.links.filter((l) => l.includes(f.targets[0])).map(([a, b]) => heal(f.targets[0], a === f.targets[0] ? b : a)),
  },
  linkKind(
    "latency",
    "latency",
    (r) => {
      const latencyMs = tens(r, 100, 800);
      return { latencyMs, jitterMs: tens(r, 0, latencyMs / 4) };
    },
    (f) => [...f.targets, f.params!.latencyMs, ...(f.params!.jitterMs ? [f.params!.jitterMs] : [])],
  ),
  linkKind(
    "bandwidth",
    "bandwidth",
    (r) => ({ rateKBps: r.int(1, 50) }),
    (f) => [...f.targets, f.params!.rateKBps],
  ),
];

export function scheduleKind(name: string): ScheduleKind {
  const k = SCHEDULE_KINDS.find((x) => x.name === name);
  if (!k)
    throw new UnknownNameError(
      "fault kind",
      name,
      SCHEDULE_KINDS.map((x) => x.name),
    );
  return k;
}

/** The machines a fault touches: two faults that share one are never in force at once. */
export function touched(f: Pick<ScheduledFault, "targets">): string[] {
  return [...new Set(f.targets.map((t) => t.split("/")[0]))];
}
