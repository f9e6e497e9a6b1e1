import * as L from "../lab";
import { messageOf } from "../common";
import type { LabWorld } from "./world";

/**
 * `When random faults strike for <window>` (README "Random fault schedules"): draws a schedule from one seed (the
 * step's, else `exlab run --seed`, else a fresh one, printed at once), carries it out with the named steps' calls,
 * waits until the lab has recovered and a quiet period has passed, and records the schedule in the history, whatever
 * happened. `rows` is the step's table, if it has one.
 */
export async function randomFaults(world: LabWorld, windowMs: number, stepSeed?: number, rows?: string[][]) {
  const lab = world.lab;
  const recorder = world.recorder!;
  const settings = L.randomFaultsSettings(windowMs, lab.plan.timing, rows);
  const seed = stepSeed ?? world.parameters.seed ?? L.newSeed();
  if (!L.isSeed(seed))
    throw new L.ScheduleSettingsError(`a seed is a whole number from 0 to ${L.MAX_SEED}, not ${seed}`);
  const topology = L.scheduleTopology(lab.plan);
  const faults = L.planSchedule(topology, settings, seed);
  world.log(
    `random faults: seed ${seed}, ${faults.length} fault(s) in ${L.durationWords(windowMs)} ` +
      `(again: exlab run --seed ${seed}, or "… with seed ${seed}")`,
  );
  const from = recorder.now();
  let actions: L.RealizedAction[] = [];
  let error: string | undefined;
  try {
    actions = await L.strike(lab, topology, faults, { now: () => recorder.now(), sleep: (ms) => world.wait(ms) });
    await lab.waitUntilRecovered(settings.recoveryMs);
    await world.wait(settings.quietMs);
  } catch (err) {
    if (err instanceof L.ScheduleError) actions = err.realized as L.RealizedAction[];
    error = messageOf(err);
    throw err;
  } finally {
    const to = from + Math.max(0, ...actions.map((a) => a.startedAt + a.durationMs));
    recorder.schedule({
      step: world.currentStep,
      seed,
      from,
      to,
      settings,
      faults,
      actions,
      ...(error ? { error } : {}),
    });
  }
}
