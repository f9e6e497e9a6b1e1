import type { ExchangeEvent } from "../exchange";
import type { LifecycleEvent, Operation, ReceivedReport } from "../machine";
import type { LabWorkload } from "./workloads";

/**
 * What a started lab tells its listeners (the evidence recorder attaches to the lab). `time` is epoch ms on the
 * lab host's clock: for pulled entries, the supervisor's arrival time; for lab actions, when the action was done.
 */
export type LabEvent =
  /** An exchange event a process emitted, pulled from its machine's log. */
  | { type: "exchange"; time: number; machine: string; process: string; event: ExchangeEvent }
  /** A report a process received. */
  | { type: "report"; time: number; machine: string; process: string; report: ReceivedReport }
  /** A workload operation settled in a process (machine/workload.ts). */
  | { type: "operation"; time: number; machine: string; process: string; operation: Operation }
  /** A workload was started or stopped (lab/workloads.ts). */
  | { type: "workload"; time: number; action: "started" | "stopped"; workload: LabWorkload }
  /** A process's life as its supervisor saw it (started, exited…). */
  | { type: "process"; time: number; machine: string; process: string; event: LifecycleEvent }
  /** The lab did something to a machine or a process, or noticed it went away. */
  | { type: "lifecycle"; time: number; target: string; state: LabLifecycleState; detail?: string }
  /** A fault was applied or healed on the proxies. */
  | {
      type: "fault";
      time: number;
      action: "applied" | "healed";
      faultId: string;
      fault: LabFaultDescription;
      proxies: string[];
    };

export type LabLifecycleState = "started" | "crashed" | "stopped" | "frozen" | "thawed" | "exited" | "ready";

/**
 * How a fault is described to people, from its verb in the fault table (src/lab/faults/verbs.ts): the lab's events,
 * the recorded history and its reports all carry this one shape.
 */
export interface LabFaultDescription {
  /** The verb's name: "cut", "blackhole", "one-way", "isolate", "latency", "bandwidth", or a registered one. */
  type: string;
  /** Machines or process addresses: both ends of a link, [from, to] for one-way, [node] for isolate. */
  targets: string[];
  /** Human detail, e.g. "500 ms ± 50 ms" or "10 KB/s". */
  detail?: string;
}

export type LabEventType = LabEvent["type"];
export type LabEventOf<K extends LabEventType> = Extract<LabEvent, { type: K }>;
export type LabListener = (event: LabEvent) => void;
