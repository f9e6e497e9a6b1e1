/**
 * A small realistic mesh for the checkers' tests: alpha/exchange ⇄ beta/exchange, alpha/billing (offers
 * "billing") a client of alpha's, beta/reporter a client of beta's, with short timings; a cut between the
 * machines withdraws "billing" at beta's side and a heal brings it back (S-22).
 */
import { HistoryBuilder, type ProcessHandle } from "../builder";
import type { LinkSummary, TimingSummary, TopologySummary } from "../history";

/** Detection (missedBeats + 1) × heartbeat = 400 ms; windows widen by that plus the 1000 ms lag allowance. */
export const TIMING: TimingSummary = {
  heartbeatMs: 100,
  missedBeats: 3,
  retryDelayMs: 200,
  handshakeTimeoutMs: 200,
  requestTimeoutMs: 1000,
};

export const LINKS: LinkSummary[] = [
  { a: "alpha/exchange", b: "alpha/billing", group: "" },
  { a: "alpha/exchange", b: "beta/exchange", group: "" },
  { a: "beta/exchange", b: "beta/reporter", group: "" },
];

export function meshTopology(): TopologySummary {
  const server = (address: string) => ({
    address,
    machine: address.split("/")[0],
    kind: "server" as const,
    endpoints: [{ group: "", role: "server" as const }],
    services: [],
  });
  const client = (address: string, services: string[]) => ({
    address,
    machine: address.split("/")[0],
    kind: "process" as const,
    endpoints: [{ group: "", role: "client" as const }],
    services: services.map((name) => ({ name, audience: "*", groups: [] })),
  });
  return {
    name: "two-machines",
    processes: [
      server("alpha/exchange"),
      client("alpha/billing", ["billing"]),
      server("beta/exchange"),
      client("beta/reporter", []),
    ],
  };
}

export interface Mesh {
  b: HistoryBuilder;
  ax: ProcessHandle;
  bx: ProcessHandle;
  billing: ProcessHandle;
  reporter: ProcessHandle;
  /** The agent of service "billing". */
  bill: string;
  /** alpha/exchange ⇄ beta/exchange: [alpha's linkId, beta's linkId]. */
  servers: [string, string];
  /** Cuts alpha from beta now: the server link closes 50 ms later and beta's side withdraws "billing". */
  cut(): string;
  /** Heals the cut: 100 ms later the servers link again and beta's side learns "billing" again. */
  heal(faultId: string): void;
  /** `ms` later a last step passes: the history ends there. */
  finish(ms?: number): void;
}

/** The mesh, converged: every link up and "billing" known everywhere, then 1.5 s of quiet. */
export function mesh(o: { timing?: Partial<TimingSummary> } = {}): Mesh {
  const b = new HistoryBuilder({ topology: meshTopology(), timing: { ...TIMING, ...o.timing }, links: LINKS });
  const ax = b.process("alpha/exchange");
  const bx = b.process("beta/exchange");
  const billing = b.process("alpha/billing");
  const reporter = b.process("beta/reporter");
  b.lifecycle("alpha", "started").lifecycle("beta", "started");
  const lb = b.connect(billing, ax, { id: "B" });
  const lr = b.connect(reporter, bx, { id: "R" });
  const bill = billing.offer("billing");
  ax.learn(bill, lb[1]);
  let faults = 0;
  const m: Mesh = {
    b,
    ax,
    bx,
    billing,
    reporter,
    bill,
    servers: b.connect(ax, bx, { id: "S" }),
    cut() {
      const id = `f${++faults}`;
      b.fault("applied", id, { type: "cut", targets: ["alpha", "beta"] });
      b.advance(50);
      b.disconnect(ax, bx, m.servers, "PEER_CLOSED");
      reporter.withdraw(bill, "LINK_LOST");
      return id;
    },
    heal(faultId) {
      b.fault("healed", faultId, { type: "cut", targets: ["alpha", "beta"] });
      b.advance(100);
      m.servers = b.connect(ax, bx, { id: `S${faults}` });
      bx.learn(bill, m.servers[1]);
      reporter.learn(bill, lr[0]);
    },
    finish(ms = 100) {
      b.advance(ms).beginStep("Then ", "the scenario ends").endStep();
    },
  };
  bx.learn(bill, m.servers[1]);
  reporter.learn(bill, lr[0]);
  b.advance(1500);
  return m;
}

export interface Triangle {
  b: HistoryBuilder;
  ax: ProcessHandle;
  bx: ProcessHandle;
  gx: ProcessHandle;
  billing: ProcessHandle;
  web: ProcessHandle;
  reporter: ProcessHandle;
  /** Agents of "billing" (alpha/billing) and "web" (beta/web). */
  bill: string;
  webAgent: string;
  /** Server links [first's id, second's id]: alpha–beta, alpha–gamma, beta–gamma; client links. */
  ab: [string, string];
  ag: [string, string];
  bg: [string, string];
  lb: [string, string];
  lw: [string, string];
  lr: [string, string];
  finish(ms?: number): void;
}

/**
 * Three machines, servers in a full mesh, a client on each: alpha/billing offers "billing", beta/web offers
 * "web", gamma/reporter offers nothing; every binding propagated by the one-hop rule (S-19).
 */
export function triangle(): Triangle {
  const servers = ["alpha/exchange", "beta/exchange", "gamma/exchange"];
  const clients = ["alpha/billing", "beta/web", "gamma/reporter"];
  const topology: TopologySummary = {
    name: "three-machines",
    processes: [
      ...servers.map((address) => ({
        address,
        machine: address.split("/")[0],
        kind: "server" as const,
        endpoints: [{ group: "", role: "server" as const }],
        services: [],
      })),
      ...clients.map((address) => ({
        address,
        machine: address.split("/")[0],
        kind: "process" as const,
        endpoints: [{ group: "", role: "client" as const }],
        services: [],
      })),
    ],
  };
  const links: LinkSummary[] = [
    { a: servers[0], b: servers[1], group: "" },
    { a: servers[0], b: servers[2], group: "" },
    { a: servers[1], b: servers[2], group: "" },
    ...clients.map((c, i) => ({ a: servers[i], b: c, group: "" })),
  ];
  const b = new HistoryBuilder({ topology, timing: TIMING, links });
  const [ax, bx, gx] = servers.map((s) => b.process(s));
  const [billing, web, reporter] = clients.map((c) => b.process(c));
  const ab = b.connect(ax, bx, { id: "AB" });
  const ag = b.connect(ax, gx, { id: "AG" });
  const bg = b.connect(bx, gx, { id: "BG" });
  const lb = b.connect(billing, ax, { id: "LB" });
  const lw = b.connect(web, bx, { id: "LW" });
  const lr = b.connect(reporter, gx, { id: "LR" });
  const bill = billing.offer("billing");
  ax.learn(bill, lb[1]);
  bx.learn(bill, ab[1]);
  gx.learn(bill, ag[1]);
  web.learn(bill, lw[0]);
  reporter.learn(bill, lr[0]);
  const webAgent = web.offer("web");
  bx.learn(webAgent, lw[1]);
  ax.learn(webAgent, ab[0]);
  gx.learn(webAgent, bg[1]);
  billing.learn(webAgent, lb[0]);
  reporter.learn(webAgent, lr[0]);
  b.advance(1500);
  return {
    b,
    ax,
    bx,
    gx,
    billing,
    web,
    reporter,
    bill,
    webAgent,
    ab,
    ag,
    bg,
    lb,
    lw,
    lr,
    finish(ms = 100) {
      b.advance(ms).beginStep("Then ", "the scenario ends").endStep();
    },
  };
}

/**
 * A clean scenario with traffic across a fault: beta/reporter calls "billing" every 20 ms and subscribes to its
 * reports, published every 10 ms with lifetime -1; the machines are cut for 2 s (calls fail, reports are lost,
 * the edge goes) and heal (the link, the binding and the edge come back, the cache replays the last report);
 * the workloads stop. Every checker passes on it.
 */
export function workloadScenario(): Mesh {
  const m = mesh();
  const { b, reporter, billing, bill } = m;
  const pub = b.workload(billing, "publish", "billing", {
    subject: "ticks",
    everyMs: 10,
    publisher: bill,
    lifetime: -1,
  });
  const calls = b.workload(reporter, "calls", "billing", { everyMs: 20 });
  b.subscribe(reporter, bill);
  let subscribed = true;
  let last = 0;
  const receive = (n: number, cached = false) => {
    reporter.report({ publisher: bill, seq: n, subscriber: reporter.anonymous, subject: "ticks", cached });
    pub.deliver(reporter, n, { cached });
  };
  const tick = (ms: number, o: { fail?: boolean }) => {
    for (let i = 0; i < ms / 10; i++) {
      last = pub.op();
      if (subscribed) receive(last);
      if (i % 2 === 0) calls.op(o.fail ? { outcome: "SERVICE_UNAVAILABLE", latencyMs: 1 } : {});
      b.advance(10);
    }
  };
  tick(2000, {});
  reporter.sent("reporter/c1", { toAgent: bill, timeoutMs: 1000 });
  const f = m.cut();
  reporter.request("reporter/c1", "SERVICE_WITHDRAWN", { toAgent: bill });
  b.subscribe(reporter, bill, { state: "WITHDRAWN" });
  subscribed = false;
  tick(2000, { fail: true });
  m.heal(f);
  tick(100, { fail: true });
  receive(last, true);
  b.subscribe(reporter, bill);
  subscribed = true;
  tick(3000, {});
  pub.stop();
  calls.stop();
  m.finish(100);
  return m;
}
