import { SCHEDULE_KINDS, scheduleKind, touched, type ScheduleTopology, type ScheduledFault } from "./kinds";
import { seededRandom } from "./random";

/** How a random schedule is drawn (the step's table; README "Random fault schedules"). */
export interface ScheduleSettings {
  /** How long faults may strike, ms: every fault has ended by then. */
  windowMs: number;
  /** Kind name → weight; kinds left out (or weighted 0) are never drawn. */
  weights: Record<string, number>;
  /** How many faults may be in force at once. */
  atOnce: number;
  /** A fault lasts between these, ms. */
  lasting: [number, number];
  /** The pause before each fault starts, ms (after the schedule's start, or after the previous fault started). */
  between: [number, number];
}

/** Every kind, each as likely; one fault at a time lasting 1–3 s, starting 0.2–2 s after the one before. */
export function defaultScheduleSettings(windowMs: number): ScheduleSettings {
  return {
    windowMs,
    weights: Object.fromEntries(SCHEDULE_KINDS.map((k) => [k.name, 1])),
    atOnce: 1,
    lasting: [1000, 3000],
    between: [200, 2000],
  };
}

const tens = (ms: number) => Math.round(ms / 10) * 10;

/**
 * The faults of one schedule, drawn from one generator seeded with `seed`: the same topology, settings and seed
 * give the same list on every run and machine. Faults never share a machine while in force (a machine is not
 * frozen while it is down, a link is not cut while its end is isolated), at most `atOnce` are in force at once,
 * and each ends within the window. Times are multiples of 10 ms.
 */
export function planSchedule(topology: ScheduleTopology, settings: ScheduleSettings, seed: number): ScheduledFault[] {
  const r = seededRandom(seed);
  const kinds = Object.entries(settings.weights)
    .filter(([, w]) => w > 0)
    .map(([name, weight]) => ({ kind: scheduleKind(name), weight }));
  const draw = (range: [number, number]) => tens(r.int(range[0], range[1]));
  const faults: ScheduledFault[] = [];
  let t = draw(settings.between);
  while (t + settings.lasting[0] <= settings.windowMs) {
    const active = faults.filter((f) => f.at <= t && t < f.at + f.lasting);
    const busy = new Set(active.flatMap(touched));
    const open = kinds
      .map((k) => ({
        ...k,
        candidates: k.kind.candidates(topology).filter((c) => !touched({ targets: c }).some((m) => busy.has(m))),
      }))
      .filter((k) => k.candidates.length > 0);
    if (active.length >= settings.atOnce || open.length === 0) {
      if (active.length === 0) break; // nothing can strike this topology
      t = Math.min(...active.map((f) => f.at + f.lasting));
      continue;
    }
    const chosen = r.weighted(open.map((k) => ({ item: k, weight: k.weight })));
    const targets = r.pick(chosen.candidates);
    const params = chosen.kind.params?.(r);
    const lasting = Math.min(draw(settings.lasting), settings.windowMs - t);
    faults.push({
      n: faults.length + 1,
      kind: chosen.kind.name,
      targets: [...targets],
      ...(params ? { params } : {}),
      at: t,
      lasting,
    });
    t += draw(settings.between);
  }
  return faults;
}
