// The package's public door (`import { … } from "exchange-lab"`): the exchange library on its own, topologies,
// the lab (Lab → StartedLab, faults, probes and polling assertions, the invariant check), the drivers and the
// errors of each.
export * from "./exchange";
export { startExchangeNode, ProgramConfigError, type ProgramConfig, type ProgramEndpoint } from "./machine";
export * as topology from "./topology";
export {
  loadTopology,
  loadTopologyFile,
  loadTopologyOrThrow,
  loadTopologyText,
  loadTopologyTextOrThrow,
  formatDiagnostics,
  TopologyError,
  type Plan,
  type Topology,
  type Diagnostic,
} from "./topology";
export * from "./lab";
export { recordLab, type LabRecording } from "./evidence";
export {
  createDriver,
  driverNameFrom,
  driverNames,
  driverTagExpression,
  registerDriver,
  DRIVER_NAMES,
  PROCESS_GROUP,
  ProcessDriver,
  MachineStartError,
  ProxyServerError,
  NoSubnetError,
  UnknownDriverError,
  DriverLoadError,
  DriverPluginError,
  DriverRegistrationError,
  type DriverName,
  type DriverErrorCode,
  type DriverModule,
  type DriverOptions,
  type DriverPlugin,
  type DriverRegistration,
  type MachineDriver,
  type ProcessDriverOptions,
  type SweepOptions,
  type SweepReport,
} from "./drivers";
export { CodedError, UnknownNameError } from "./common";
export {
  startFaultProxy,
  registerToxic,
  defineToxic,
  FaultProxyError,
  type FaultProxy,
  type FaultProxyOptions,
  type ToxicDefinition,
} from "./faultproxy";
