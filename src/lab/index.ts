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
export type { LabEvent, LabEventType, LabEventOf, LabListener, LabFaultDescription, LabLifecycleState } from "./events";
export type { Fault } from "./faults/plan";
export { LabError, ExpectationError, FaultError, type LabErrorCode } from "./errors";
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
  receivesReport,
  refusedBy,
  shareExactlyOneLink,
  upProcesses,
} from "./expectations";
