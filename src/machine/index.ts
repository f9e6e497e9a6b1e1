// The machine part's door (DESIGN.md §4): the runtime contract, the supervisor and control API, and the client.
export type { MachineSpec, ProcessSpec, ProcessSpecInput, EndpointSpec, ConnectTarget, ServiceSpec, ServiceIdentity, HostSpec } from "./spec";
export { parseMachineSpec, parseProcessSpec } from "./schema";
export { Supervisor } from "./supervisor";
export type { SupervisorOptions, MachineHealth } from "./supervisor";
export type { ProcessState, ProcessStatus } from "./host-handle";
export { ControlApi } from "./control-api";
export type { ControlApiOptions } from "./control-api";
export { routes } from "./routes";
export { ProcessHost, DEFAULT_FAILURE_CODE } from "./host";
export type { CallResult, ProcessHostOptions } from "./host";
export type { ProcessView } from "./view";
export type { ReceivedReport, HostCommand } from "./ipc";
export { MACHINE_SPEC_ENV, READY_PREFIX } from "./ipc";
export type { LifecycleEvent, MachineLogEntry, LogPage } from "./machine-log";
export { Journal, JOURNAL_FILE, journalPath, readJournal } from "./journal";
export { MachineClient, MachineApiError, MachineUnreachableError, MachineProtocolError } from "./client";
export type { MachineClientOptions, CallRequest, MachineEventsPage, GroupResult } from "./client";
export { waitFor, WaitTimeoutError } from "./wait-for";
export type { WaitForOptions } from "./wait-for";
export { MachineError, SpecError, BadRequestError, NotFoundError, ConflictError, HostTimeoutError, HostFailedError } from "./errors";
/** Path of the compiled supervisor entry point (`node <mainScript> --spec FILE`). */
export const machineMainScript: string = require.resolve("./main");
