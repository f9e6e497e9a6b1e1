// Random fault schedules (README "Random fault schedules"): drawn from one seed, carried out on a started lab with
// the same calls as the named steps, and written back as those steps.
export { newSeed, seededRandom, isSeed, MAX_SEED, type Random } from "./random";
export {
  SCHEDULE_KINDS,
  scheduleKind,
  scheduleTopology,
  type ScheduleKind,
  type ScheduleLab,
  type ScheduleTopology,
  type ScheduledFault,
} from "./kinds";
export { planSchedule, defaultScheduleSettings, type ScheduleSettings } from "./generate";
export { randomFaultsSettings, defaultQuietMs, type RandomFaultsSettings } from "./settings";
export { strike, scheduleActions, type RealizedAction, type ScheduleClock } from "./strike";
export { replaySteps, keepFaults, faultsBegun, durationWords, type ReplayStep } from "./replay";
