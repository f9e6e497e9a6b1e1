// The package's public door (`import { … } from "exchange-lab"`): the exchange library on its own, topologies,
// the lab (Lab → StartedLab, faults, probes and polling assertions, the invariant check), the drivers and the
// errors of each.
export * from "./exchange";
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
  DRIVER_NAMES,
  ProcessDriver,
  MachineStartError,
  ProxyServerError,
  NoSubnetError,
  type DriverName,
  type DriverErrorCode,
  type MachineDriver,
  type ProcessDriverOptions,
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
