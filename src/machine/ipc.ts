import type { ExchangeEvent } from "../exchange";
import type { MachineErrorCode } from "./errors";
import type { Operation, WorkloadSpec } from "./workload";

/**
 * The IPC protocol between the supervisor and one process host (node's `fork` channel, JSON).
 *
 * ```
 * supervisor ── { kind: "command", id, command } ──────────────▶ host
 * supervisor ◀── { kind: "reply", id, ok, result | error } ──── host   (pending records flushed first)
 * supervisor ◀── { kind: "records", records } ───────────────── host   (pushed as they happen, batched per tick)
 * supervisor ◀── { kind: "ready", incarnation, listening } ───── host   (once every server endpoint listens)
 * supervisor ◀── { kind: "failed", error } ──────────────────── host   (a user program that cannot start as asked)
 * ```
 */
export type HostCommand =
  | { type: "view" }
  | { type: "offer"; name: string; audience?: string; groups?: string[] }
  | { type: "withdraw"; name: string }
  | { type: "join"; service: string; group: string }
  | { type: "leave"; service: string; group: string }
  | { type: "call"; service?: string; agent?: string; method?: string; args?: unknown; timeoutMs?: number }
  | { type: "publish"; service: string; subject: string; content: unknown; lifetime?: number }
  | { type: "subscribe"; service?: string; agent?: string; pattern: string }
  | { type: "unsubscribe"; id: string }
  | { type: "reports"; since: number; limit?: number }
  | { type: "events"; since: number; limit?: number }
  | { type: "workload"; spec: WorkloadSpec }
  | { type: "workload-stop"; id?: string; graceMs?: number };

export type HostCommandType = HostCommand["type"];

/** A report received by the host's anonymous agent, with its content. `n` numbers them 1, 2, 3… per run. */
export interface ReceivedReport {
  n: number;
  /** Epoch ms when the host received it. */
  time: number;
  publisher: string;
  publicationSeq: number;
  subject: string;
  content: unknown;
  matchedPatterns: string[];
  cached: boolean;
}

/** What a host pushes: an exchange event as emitted, or a report received with its content. */
export type HostRecord =
  | { kind: "exchange"; event: ExchangeEvent }
  | { kind: "report"; event: ReceivedReport }
  | { kind: "operation"; event: Operation };

export interface HostErrorPayload {
  code: MachineErrorCode;
  message: string;
  status: number;
  details?: Record<string, unknown>;
}

export type HostToSupervisor =
  | { kind: "reply"; id: number; ok: true; result: unknown }
  | { kind: "reply"; id: number; ok: false; error: HostErrorPayload }
  | { kind: "records"; records: HostRecord[] }
  | { kind: "ready"; incarnation: string; listening: Record<string, number> }
  | { kind: "failed"; error: string };

export type SupervisorToHost = { kind: "command"; id: number; command: HostCommand };

/** Environment variable carrying the {@link HostSpec} JSON to a forked host. */
export const HOST_SPEC_ENV = "EXLAB_HOST_SPEC";
/**
 * Environment variable giving a user program a directory of its own for state it keeps on disk:
 * `<runDir>/data/<process>`, created before the program starts. It lives as long as the machine's run directory: it
 * outlasts crashes and restarts of the process and of its machine, each scenario's lab gets a new one, and it goes
 * (or stays, when the scenario failed) with the scenario's logs.
 */
export const DATA_DIR_ENV = "EXLAB_DATA_DIR";
/** Environment variable carrying the {@link MachineSpec} JSON to a supervisor. */
export const MACHINE_SPEC_ENV = "EXLAB_MACHINE_SPEC";
/** Prefix of the supervisor's first stdout line: `EXLAB_READY {"controlPort":N,"pid":N}`. */
export const READY_PREFIX = "EXLAB_READY ";
