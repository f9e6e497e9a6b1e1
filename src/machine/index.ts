// The machine part's door (DESIGN.md §4): the runtime contract, the supervisor and control API, and the client.
export type { MachineSpec, ProcessSpec } from "./spec";
export type { CallResult } from "./host";
export type { ProcessView } from "./view";
export type { ReceivedReport } from "./ipc";
export type { Operation, OperationOutcome, WorkloadSpec, WorkloadReport } from "./workload";
export type { LifecycleEvent, MachineLogEntry } from "./machine-log";
export { JOURNAL_FILE, journalPath, readJournal } from "./journal";
export { MachineClient } from "./client";
/** Path of the compiled supervisor entry point (`node <mainScript> --spec FILE`). */
export const machineMainScript: string = require.resolve("./main");
export { startExchangeNode, type ProgramConfig, type ProgramEndpoint } from "./program";
export { ProgramConfigError } from "./errors";
