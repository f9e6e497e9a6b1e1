// The lab's door (DESIGN §4): Lab → StartedLab, faults, probes and polling assertions, lab events, errors.
export { Lab, newRunId, type LabOptions } from "./lab";
export {
  StartedLab,
  type MachineInfo,
  type MachineState,
  type ProcessState,
  type StartedLabContext,
} from "./started-lab";
export { LabFaults } from "./faults/lab-faults";
export type { LabWorkload, WorkloadRequest } from "./workloads";
export type { Operation, OperationOutcome, ReceivedReport, WorkloadReport } from "../machine";
export type { LabEvent, LabEventType, LabEventOf, LabListener, LabFaultDescription, LabLifecycleState } from "./events";
// The fault table: a new verb is one `registerFaultVerb` call; its plan is written with `faultPlanning`'s helpers.
export {
  registerFaultVerb,
  faultVerbs,
  faultArgs,
  faultArgsFromWords,
  faultSyntax,
  faultDoneMessage,
  faultStepPhrases,
  planFault,
  type FaultStepPhrase,
} from "./faults/registry";
export type { FaultVerb, FaultArg, FaultArgKind, FaultArgs, FaultArgValue } from "./faults/fault-verb";
export type { Fault, FaultPlan, LinkSet, Endpoint, ProxyOp, ToxicSpec } from "./faults/plan";
export * as faultPlanning from "./faults/plan";
export {
  LabError,
  ExpectationError,
  FaultError,
  FaultVerbError,
  ProcessStartError,
  ScheduleError,
  ScheduleSettingsError,
  type LabErrorCode,
} from "./errors";
// Random fault schedules: drawn from a seed, carried out with the named steps' calls, written back as those steps.
export {
  newSeed,
  MAX_SEED,
  isSeed,
  planSchedule,
  scheduleTopology,
  randomFaultsSettings,
  strike,
  replaySteps,
  keepFaults,
  faultsBegun,
  durationWords,
  type ScheduledFault,
  type RealizedAction,
  type RandomFaultsSettings,
  type ReplayStep,
} from "./schedules";
export { pollUntil, holdFor, ok, notYet, fmt, type Look } from "./wait";
export {
  seesService,
  noLongerSeesService,
  neverSeesService,
  everyProcessSees,
  servicesSeenAre,
  groupMembersAre,
  canCall,
  callAnsweredBy,
  callFailsWith,
  callAnswers,
  receivesReport,
  refusedBy,
  shareExactlyOneLink,
  upProcesses,
} from "./expectations";
