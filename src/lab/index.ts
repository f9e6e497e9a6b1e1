// The lab's door (DESIGN §4): Lab → StartedLab, drivers, faults, names, waiting, the run registry.
export { Lab, newRunId, type LabOptions } from "./lab";
export { StartedLab, type MachineInfo, type MachineState, type ProcessState, type StartedLabContext } from "./started-lab";
export { LabFaults } from "./lab-faults";
export type { LabEvent, LabEventType, LabEventOf, LabListener, LabFaultDescription, LabLifecycleState } from "./events";
export type { MachineDriver, DriverRun, DriverRunOptions, MachinePlacement, StartedMachine, StoppedMachine, ExitInfo, ProxyServerInfo } from "./drivers/driver";
export { ProcessDriver, type ProcessDriverOptions } from "./drivers/process";
export { planFault, toxicName, linkProxies, directedProxies, proxiesOf } from "./faults/plan";
export type { Fault, FaultPlan, ProxyOp, ProxyLink, Endpoint, LinkSet, ToxicSpec } from "./faults/plan";
export { FaultInjector, removeProxiesWithPrefix, type CreatedProxy } from "./faults/injector";
export { startProxyServer, chooseProxyServerMode, type ProxyServerMode, type StartedProxyServer } from "./faults/proxy-server";
export { LabError, UnknownNameError, MachineStartError, ExpectationError, FaultError, ProxyServerError, ControlApiError, type LabErrorCode } from "./errors";
export { pollUntil, holdFor, ok, notYet, fmt, type Look } from "./wait";
export { activeLinksTo } from "./readiness";
export { resolveName, resolveMachine, resolveProcess } from "./names";
export { RunState, defaultStateDir, type RunRecord } from "./run-state";
export { leaseSubnet, machineHost, type SubnetLease } from "./addresses";
export { activeLabs, stopAllLabs } from "./active-labs";
export { silentLogger, streamLogger, type Logger } from "./logger";
export { proxyPrefix } from "./start";
export { cleanAll, cleanImages, describeImageClean, type CleanReport, type ImageCleanOptions, type ImageCleanResult } from "./clean";
export { createDriver, driverNameFrom, DRIVER_NAMES, type DriverName } from "./drivers";
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
export { DURATION_PATTERN, durationParameter } from "./gherkin";
