// The drivers' door: the driver interface, the registry of drivers by name (and the tag filter it implies), their
// errors and the sweep of what killed runs left (README of this folder).
export type {
  MachineDriver,
  DriverRun,
  MachinePlacement,
  StartedMachine,
  StoppedMachine,
  DriverModule,
  DriverOptions,
  SweepOptions,
  SweepReport,
} from "./driver";
export { PROCESS_GROUP } from "./driver";
export {
  createDriver,
  driverNameFrom,
  driverNames,
  driverOptionHelp,
  driversHelp,
  registerDriver,
  DRIVER_NAMES,
  type DriverName,
  type DriverPlugin,
  type DriverRegistration,
} from "./registry";
export { driverTagExpression } from "./tags";
export { ProcessDriver, type ProcessDriverOptions } from "./process";
export {
  MachineStartError,
  ProxyServerError,
  NoSubnetError,
  UnknownDriverError,
  DriverLoadError,
  DriverPluginError,
  DriverRegistrationError,
  type DriverErrorCode,
} from "./errors";
export { cleanAll, cleanImages, describeImageClean } from "./clean";
export { doctor, type DoctorCheck } from "./doctor";
