import type { ExchangeEvent } from "../../exchange";
import type { RecordedEvent, WorkloadSummary } from "../history";

const q = (s: string) => JSON.stringify(s);

/** One line a human can read for any exchange event (no process prefix). */
export function describeExchange(ev: ExchangeEvent): string {
  switch (ev.type) {
    case "link": {
      const peer = ev.peer ? ` with ${ev.peer.nodeName}` : "";
      const why = ev.reason
        ? ` (${ev.reason}${ev.rejectSent === true ? ", sent" : ev.rejectSent === false ? ", received" : ""})`
        : "";
      return `link ${ev.linkId} ${ev.state}${peer} · group ${q(ev.group)} · ${ev.dialer ? "dialled" : "accepted"}${why}${ev.detail ? ` · ${ev.detail}` : ""}`;
    }
    case "binding": {
      const where =
        ev.location === "remote" ? `remote via ${ev.via?.linkId ?? "?"} (group ${q(ev.via?.group ?? "?")})` : "local";
      const group = ev.serviceGroup !== undefined ? ` group ${q(ev.serviceGroup)}` : "";
      const why = ev.reason ? ` (${ev.reason})` : "";
      return `${ev.change}${group} service ${q(ev.serviceName)} · agent ${ev.agentId} · audience ${q(ev.audience)} · ${where}${why}`;
    }
    case "request-sent":
      return `request ${ev.conversationId} ${q(ev.method)} → ${ev.toAgent ?? ev.target}: sent${ev.deadline !== undefined ? `, deadline ${ev.deadline}` : ", no deadline"}`;
    case "request":
      return `request ${ev.conversationId} ${q(ev.method)} → ${ev.toAgent ?? ev.target}: ${ev.outcome}${ev.code !== undefined ? ` (${ev.code})` : ""}${ev.description ? ` ${ev.description}` : ""}`;
    case "report":
      return `report #${ev.publicationSeq} ${q(ev.subject)} from ${ev.publisher} to ${ev.subscriber}${ev.cached ? " (cached)" : ""}`;
    case "subscription":
      return `subscription ${ev.state} (${ev.side}) ${ev.subscriber} → ${ev.publisher} pattern ${q(ev.pattern)}`;
    case "anomaly":
      return `anomaly ${ev.kind}${ev.agentId ? ` agent ${ev.agentId}` : ""}${ev.linkId ? ` link ${ev.linkId}` : ""}${ev.detail ? ` · ${ev.detail}` : ""}`;
    default:
      return `event ${(ev as { type?: string }).type ?? "?"}`;
  }
}

/** One line for any recorded entry, naming who. */
export function describeRecorded(e: RecordedEvent): string {
  switch (e.kind) {
    case "exchange":
      return `${e.process} #${e.event.seq}: ${describeExchange(e.event)}`;
    case "fault":
      return `fault ${e.faultId} ${e.action}: ${e.fault.type} ${e.fault.targets.join(" ↔ ")}${e.fault.detail ? ` (${e.fault.detail})` : ""}`;
    case "lifecycle":
      return `${e.target} ${e.state}${e.detail ? ` (${e.detail})` : ""}`;
    case "step":
      return `step ${e.keyword}${e.text}: ${e.status}`;
    case "workload":
      return `workload ${e.workload.id} ${e.action}: ${describeWorkload(e.workload)}`;
    case "operation":
      return `${e.process} ${e.workload}#${e.n} ${e.op} ${e.target}${e.subject ? ` ${q(e.subject)}` : ""}: ${e.outcome}${e.detail ? ` (${e.detail})` : ""} in ${Math.round(e.end - e.start)} ms`;
    case "delivery":
      return `${e.process} received ${e.workload}#${e.n} on ${q(e.subject)}${e.cached ? " (cached)" : ""}`;
    case "schedule":
      return `random faults, seed ${e.seed}: ${e.faults.length} fault(s) over ${Math.round(e.to - e.from)} ms${e.error ? ` (stopped: ${e.error})` : ""}`;
  }
}

/** "gamma/reporter calls billing every 20 ms", "alpha/billing publishes on "price.eur" every 10 ms". */
export function describeWorkload(w: WorkloadSummary): string {
  const pace = [
    w.everyMs !== undefined ? `every ${w.everyMs} ms` : "",
    w.inFlight !== undefined ? `with ${w.inFlight} in flight` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return w.kind === "calls"
    ? `${w.process} calls ${w.service}${w.method ? ` (${w.method})` : ""} ${pace}`
    : `${w.service} in ${w.process} publishes on ${q(w.subject ?? "")} ${pace}`;
}
