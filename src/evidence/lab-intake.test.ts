import { describe, test } from "node:test";
import { expect } from "chai";
import type { ExchangeEvent } from "../exchange";
import type { LabEvent, LabListener } from "../lab";
import { loadTopologyTextOrThrow } from "../topology";
import { BadEventError } from "./errors";
import type { RecordedEvent } from "./history";
import { Recorder } from "./recorder";
import { summarizePlan, summarizeProcess } from "./summary";

function recorder() {
  let now = 1_000;
  const r = new Recorder({
    clock: () => now,
    topology: { name: "t", processes: [] },
    runId: "r1",
    feature: "F",
    scenario: "S",
  });
  return { r, tick: (ms: number) => (now += ms) };
}

const link: ExchangeEvent = {
  type: "link",
  state: "ACTIVE",
  linkId: "L1",
  group: "",
  role: "server",
  dialer: false,
  node: "alpha/exchange",
  incarnation: "i1",
  seq: 1,
  time: 123,
};

/** What the recorder kept, without ids and times. */
const kept = (r: Recorder) =>
  r.history().events.map((e: RecordedEvent) => {
    const { id: _id, t: _t, ...rest } = e;
    return rest;
  });

/** A lab's event log and listeners, as StartedLab keeps them. */
function fakeLab(initial: LabEvent[]) {
  const log = [...initial];
  const listeners = new Set<LabListener>();
  return {
    events: () => log,
    on: (l: LabListener) => (listeners.add(l), () => listeners.delete(l)),
    emit: (e: LabEvent) => {
      log.push(e);
      for (const l of listeners) l(e);
    },
    listeners,
  };
}

describe("Recorder intake of lab events", () => {
  test("exchange, fault and lifecycle events are recorded as they are", () => {
    const { r } = recorder();
    r.record({ type: "exchange", time: 5, machine: "alpha", process: "alpha/exchange", event: link });
    r.record({
      type: "fault",
      time: 6,
      action: "applied",
      faultId: "f1",
      fault: { type: "cut", targets: ["alpha", "beta"] },
      proxies: ["alpha-to-beta.exchange"],
    });
    r.record({ type: "lifecycle", time: 7, target: "beta", state: "crashed", detail: "SIGKILL" });
    r.record({ type: "lifecycle", time: 8, target: "beta", state: "started" });
    expect(kept(r)).to.deep.equal([
      { kind: "exchange", machine: "alpha", process: "alpha/exchange", event: link },
      { kind: "fault", action: "applied", faultId: "f1", fault: { type: "cut", targets: ["alpha", "beta"] } },
      { kind: "lifecycle", target: "beta", state: "crashed", detail: "SIGKILL" },
      { kind: "lifecycle", target: "beta", state: "started" },
    ]);
  });

  test("a supervisor's process events become ready / exited; expected exits, stops and reports are left out", () => {
    const { r } = recorder();
    const base = { time: 1, machine: "alpha", process: "alpha/billing" } as const;
    const process = (event: Extract<LabEvent, { type: "process" }>["event"]): LabEvent => ({
      type: "process",
      ...base,
      event,
    });
    r.record(process({ type: "started", pid: 42, run: 1, incarnation: "i1", listening: {} }));
    r.record(process({ type: "exited", pid: 42, run: 1, code: 1, signal: null, expected: false }));
    r.record(process({ type: "exited", pid: 43, run: 2, code: 0, signal: null, expected: true }));
    r.record(process({ type: "stopped", pid: 44, run: 3 }));
    r.record(process({ type: "crashed", pid: 45, run: 4 }));
    r.record(process({ type: "failed", run: 5, error: "spawn ENOENT" }));
    r.record({ type: "report", ...base, report: {} as never });
    expect(kept(r)).to.deep.equal([
      { kind: "lifecycle", target: "alpha/billing", state: "ready", detail: "pid 42, run 1" },
      { kind: "lifecycle", target: "alpha/billing", state: "exited", detail: "code 1, signal null" },
      { kind: "lifecycle", target: "alpha/billing", state: "exited", detail: "failed to start: spawn ENOENT" },
    ]);
  });

  test("record throws BadEventError for a malformed event and records nothing", () => {
    const { r } = recorder();
    const bad = { type: "lifecycle", time: 1, target: "alpha", state: "exploded" } as unknown as LabEvent;
    expect(() => r.record(bad)).to.throw(BadEventError, /Lifecycle state of alpha must be one of/);
    expect(r.history().events).to.have.length(0);
  });

  test("attach records what the lab told so far, then follows it until detached, on the recorder's clock", () => {
    const { r, tick } = recorder();
    const lab = fakeLab([{ type: "lifecycle", time: 1, target: "alpha", state: "started" }]);
    tick(40);
    const detach = r.attach(lab);
    tick(10);
    lab.emit({ type: "lifecycle", time: 2, target: "alpha", state: "frozen" });
    detach();
    lab.emit({ type: "lifecycle", time: 3, target: "alpha", state: "thawed" });
    expect(lab.listeners.size).to.equal(0);
    expect(r.history().events.map((e) => [e.t, e.kind === "lifecycle" && e.state])).to.deep.equal([
      [40, "started"],
      [50, "frozen"],
    ]);
  });

  test("attach never throws at the lab: refused events are kept with their reason", () => {
    const { r } = recorder();
    const lab = fakeLab([{ type: "exchange", time: 1, machine: "", process: "alpha/exchange", event: link }]);
    r.attach(lab);
    expect(() =>
      lab.emit({
        type: "exchange",
        time: 2,
        machine: "alpha",
        process: "alpha/exchange",
        event: { ...link, seq: NaN },
      }),
    ).not.to.throw();
    lab.emit({ type: "exchange", time: 3, machine: "alpha", process: "alpha/exchange", event: link });
    expect(r.refused).to.have.length(2);
    expect(r.refused[0]).to.match(/machine must be a non-empty string/);
    expect(r.refused[1]).to.match(/seq must be a number/);
    expect(r.history().events).to.have.length(1);
  });
});

describe("summarizePlan", () => {
  test("keeps each process's address, machine, kind, endpoints and services, in plan order", () => {
    const { plan } = loadTopologyTextOrThrow(`
name: two
mesh: full
machines:
  alpha:
    servers: [{ port: 11111 }]
    processes:
      billing: { services: [{ name: billing }, { name: ledger, audience: "" }] }
  beta:
    servers: [{ port: 11111 }, { port: 11112, group: admin }]
`);
    const summary = summarizePlan(plan);
    expect(summary.name).to.equal("two");
    expect(summary.processes.map((p) => [p.address, p.machine, p.kind])).to.deep.equal([
      ["alpha/exchange", "alpha", "server"],
      ["alpha/billing", "alpha", "process"],
      ["beta/exchange", "beta", "server"],
      ["beta/exchange-admin", "beta", "server"],
    ]);
    expect(summary.processes[1]).to.deep.equal({
      address: "alpha/billing",
      machine: "alpha",
      kind: "process",
      endpoints: [{ group: "", role: "client" }],
      services: [
        { name: "billing", audience: "*", groups: [] },
        { name: "ledger", audience: "", groups: [] },
      ],
    });
    expect(summary.processes[3].endpoints).to.deep.equal([{ group: "admin", role: "server" }]);
    expect(summarizeProcess(plan.processes[1])).to.deep.equal(summary.processes[1]);
    expect(summary.processes[1].services[0].groups).not.to.equal(plan.processes[1].services[0].groups);
  });

  test("keeps the timing and the links the plan dials (mutual dials once), for the checkers' bounds", () => {
    const { plan } = loadTopologyTextOrThrow(`
name: timed
mesh: full
timing: { heartbeat: 200ms, missedBeats: 4, retryDelay: 500ms, handshakeTimeout: 1s, requestTimeout: 5s }
machines:
  alpha:
    servers: [{ port: 11111, connect: [beta] }]
    processes:
      billing: { services: [{ name: billing }] }
  beta:
    servers: [{ port: 11111, connect: [alpha] }]
`);
    const summary = summarizePlan(plan);
    expect(summary.timing).to.deep.equal({
      heartbeatMs: 200,
      missedBeats: 4,
      retryDelayMs: 500,
      handshakeTimeoutMs: 1000,
      requestTimeoutMs: 5000,
    });
    expect(summary.links).to.deep.equal([
      { a: "alpha/exchange", b: "beta/exchange", group: "" },
      { a: "alpha/exchange", b: "alpha/billing", group: "" },
    ]);
  });
});
