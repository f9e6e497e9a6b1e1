// The drivers' door: the driver interface, the registry of drivers by name, their errors and the sweep of
// what killed runs left (README of this folder).
export type { MachineDriver, DriverRun, MachinePlacement, StartedMachine, StoppedMachine } from "./driver";
export { createDriver, driverNameFrom, DRIVER_NAMES, type DriverName } from "./registry";
export { ProcessDriver, type ProcessDriverOptions } from "./process";
export { MachineStartError, ProxyServerError, NoSubnetError, type DriverErrorCode } from "./errors";
export { cleanAll, cleanImages, describeImageClean, type CleanReport } from "./clean";
export { doctor, type DoctorCheck } from "./doctor";
