/**
 * How a lab event becomes history: the one place that knows both the lab's {@link LabEvent} and the recorded
 * entries. Reports a process received are recorded only when a workload published them (content `{ workload, n }`):
 * the exchange events of sender and receiver tell the rest.
 */
import type { ExchangeEvent } from "../exchange";
import type {
  LabEvent,
  LabFaultDescription,
  LabLifecycleState,
  LabListener,
  LabWorkload,
  Operation,
  ReceivedReport,
  WorkloadReport,
} from "../lab";

/** What the intake writes to (the {@link Recorder}). */
export interface HistorySink {
  exchange(machine: string, process: string, ev: ExchangeEvent): void;
  fault(action: "applied" | "healed", faultId: string, fault: LabFaultDescription): void;
  lifecycle(target: string, state: LabLifecycleState, detail?: string): void;
  workload(action: "started" | "stopped", workload: LabWorkload): void;
  operation(process: string, op: Operation): void;
  delivery(process: string, report: ReceivedReport & { content: WorkloadReport }): void;
}

/** What a recorder attaches to: a started lab, or anything that tells lab events the same way. */
export interface LabEventSource {
  /** Every event so far, in arrival order. */
  events(): readonly LabEvent[];
  /** Calls the listener with every future event; returns the unsubscribe function. */
  on(listener: LabListener): () => void;
}

/** Writes one lab event to the sink; throws what the sink throws for a malformed event. */
export function recordLabEvent(sink: HistorySink, e: LabEvent): void {
  switch (e.type) {
    case "exchange":
      sink.exchange(e.machine, e.process, e.event);
      return;
    case "fault":
      sink.fault(e.action, e.faultId, e.fault);
      return;
    case "lifecycle":
      sink.lifecycle(e.target, e.state, e.detail);
      return;
    case "process":
      recordProcessEvent(sink, e);
      return;
    case "workload":
      sink.workload(e.action, e.workload);
      return;
    case "operation":
      sink.operation(e.process, e.operation);
      return;
    case "report":
      if (isWorkloadReport(e.report.content))
        sink.delivery(e.process, e.report as ReceivedReport & { content: WorkloadReport });
      return;
  }
}

function isWorkloadReport(c: unknown): c is WorkloadReport {
  const r = c as Partial<WorkloadReport> | null;
  return typeof r === "object" && r !== null && typeof r.workload === "string" && Number.isInteger(r.n);
}

/** A supervisor's view of a process: ready when started; exited when it went away unasked or never started. */
function recordProcessEvent(sink: HistorySink, e: Extract<LabEvent, { type: "process" }>): void {
  const ev = e.event;
  if (ev.type === "started") sink.lifecycle(e.process, "ready", `pid ${ev.pid}, run ${ev.run}`);
  else if (ev.type === "exited" && !ev.expected)
    sink.lifecycle(e.process, "exited", `code ${ev.code}, signal ${ev.signal}`);
  else if (ev.type === "failed") sink.lifecycle(e.process, "exited", `failed to start: ${ev.error}`);
}
