/**
 * A realistic, correct history of a lab scenario (three machines, a bridge, a cut and its heal, a crashed and
 * restarted process, cached reports, a tie-break and a refused cross-group dial). Every checker must pass on
 * it; tests, fixtures and the report screenshot use it.
 */
import { HistoryBuilder, type ProcessHandle } from "./builder";
import type { ScenarioHistory, TopologySummary } from "./history";

export function demoTopology(): TopologySummary {
  const server = (address: string, group = "") => ({
    address,
    machine: address.split("/")[0],
    kind: "server" as const,
    endpoints: [{ group, role: "server" as const }],
    services: [],
  });
  const client = (address: string, group: string, services: { name: string; audience: string }[] = []) => ({
    address,
    machine: address.split("/")[0],
    kind: "process" as const,
    endpoints: [{ group, role: "client" as const }],
    services: services.map((s) => ({ ...s, groups: [] })),
  });
  return {
    name: "three-machine-mesh",
    processes: [
      server("alpha/exchange"),
      client("alpha/billing", "", [
        { name: "billing", audience: "*" },
        { name: "ledger", audience: "" },
      ]),
      server("beta/exchange"),
      server("beta/exchange-admin", "admin"),
      client("beta/web", "", [{ name: "web", audience: "*" }]),
      client("beta/console", "admin", [{ name: "audit", audience: "admin" }]),
      {
        address: "beta/frontend",
        machine: "beta",
        kind: "process",
        endpoints: [
          { group: "", role: "client" },
          { group: "database", role: "server" },
        ],
        services: [],
      },
      client("beta/store", "database", [
        { name: "orders", audience: "database" },
        { name: "catalog", audience: "*" },
      ]),
      server("gamma/exchange"),
      client("gamma/reporter", ""),
      client("gamma/rogue", "admin"),
    ],
  };
}

export interface DemoOptions {
  /** Make the step "Then within 5 seconds process "beta/web" sees service "billing"" fail with this error. */
  failingStepError?: string;
  /** Add two invariant violations: beta/web sees the audience-"" service "ledger", and a reply arrives twice. */
  violate?: boolean;
  scenario?: string;
  feature?: string;
  runId?: string;
  start?: number;
}

export function demoHistory(o: DemoOptions = {}): ScenarioHistory {
  const b = new HistoryBuilder({
    topology: demoTopology(),
    runId: o.runId ?? "run-demo",
    start: o.start,
    feature: o.feature ?? "Exchange survives a cut",
    scenario: o.scenario ?? "A cut between alpha and beta heals",
    tags: ["@processes"],
  });
  const [ax, bx, badmin, gx] = [
    b.process("alpha/exchange", { clockSkew: 3 }),
    b.process("beta/exchange", { clockSkew: -7 }),
    b.process("beta/exchange-admin"),
    b.process("gamma/exchange", { clockSkew: 11 }),
  ];
  const [billing, web, consoleP, frontend, store, reporter, rogue] = [
    b.process("alpha/billing", { clockSkew: 5 }),
    b.process("beta/web", { clockSkew: -2 }),
    b.process("beta/console"),
    b.process("beta/frontend", { role: "server", roles: { "": "client" } }),
    b.process("beta/store"),
    b.process("gamma/reporter", { clockSkew: 20 }),
    b.process("gamma/rogue"),
  ];

  b.beginStep("Given ", 'the topology "three-machine-mesh" is running');
  for (const target of ["alpha", "beta", "gamma"]) b.advance(40).lifecycle(target, "started");
  b.advance(120);
  const abx = b.connect(ax, bx, { id: "S1" });
  b.advance(15);
  betaDuplicate(b, ax, bx);
  const agx = b.connect(gx, ax, { id: "S2" });
  b.connect(gx, bx, { id: "S3" });
  const lBill = b.advance(30).connect(billing, ax, { id: "C1" });
  const lWeb = b.connect(web, bx, { id: "C2" });
  const lCon = b.connect(consoleP, badmin, { id: "C3", group: "admin" });
  const lFront = b.connect(frontend, bx, { id: "C4" });
  const lStore = b.connect(store, frontend, { id: "C5", group: "database" });
  const lRep = b.advance(20).connect(reporter, gx, { id: "C6" });
  rogue.link("R1a", "DIALING", { peer: gx, group: "admin", dialer: true });
  gx.link("R1b", "HANDSHAKING", { peer: rogue });
  gx.link("R1b", "CLOSED", { peer: rogue, reason: "GROUP_MISMATCH" });
  rogue.link("R1a", "CLOSED", { peer: gx, group: "admin", dialer: true, reason: "GROUP_MISMATCH" });

  const bill = billing.offer("billing");
  const ledger = billing.offer("ledger", { audience: "" });
  b.advance(5);
  ax.learn(bill, lBill[1]);
  bx.learn(bill, abx[1]);
  gx.learn(bill, agx[0]);
  web.learn(bill, lWeb[0]);
  frontend.learn(bill, lFront[0]);
  reporter.learn(bill, lRep[0]);
  const audit = consoleP.offer("audit", { audience: "admin" });
  badmin.learn(audit, lCon[1]);
  const orders = store.offer("orders", { audience: "database" });
  const catalog = store.offer("catalog");
  frontend.learn(orders, lStore[1]);
  frontend.learn(catalog, lStore[1]);
  bx.learn(catalog, lFront[1]);
  web.learn(catalog, lWeb[0]);
  const webAgent = web.offer("web");
  bx.learn(webAgent, lWeb[1]);
  b.endStep();

  b.beginStep("When ", 'service "billing" in process "alpha/billing" joins service group "payers"');
  b.advance(200);
  billing.join(bill, "payers");
  for (const p of [ax, bx, gx, web, frontend, reporter]) p.join(bill, "payers");
  b.endStep();

  b.beginStep("When ", 'process "gamma/reporter" subscribes to reports "*" from service "billing"');
  b.advance(150);
  const sub = reporter.agent(0);
  const webSub = web.agent(0);
  for (const [seq, subject] of [
    [1, "rate"],
    [2, "status"],
    [3, "rate"],
  ] as const) {
    b.advance(40);
    reporter.report({ publisher: bill, seq, subscriber: sub, subject });
    web.report({ publisher: bill, seq, subscriber: webSub, subject });
  }
  web.request(`${web.node}/${web.incarnation}/c1`, "RESPONSE", { toAgent: bill, method: "charge" });
  b.endStep();

  b.beginStep("When ", 'the link between "alpha" and "beta" is cut');
  b.advance(100).fault("applied", "f1", { type: "cut", targets: ["alpha", "beta"] });
  b.advance(620);
  b.disconnect(ax, bx, abx, "IDLE_TIMEOUT");
  for (const p of [web, frontend]) p.withdraw(bill, "WITHDRAWN");
  web.request(`${web.node}/${web.incarnation}/c2`, "SERVICE_WITHDRAWN", { toAgent: bill, method: "charge" });
  web.request(`${web.node}/${web.incarnation}/c3`, "SERVICE_UNAVAILABLE", { target: "billing", method: "charge" });
  b.endStep();

  b.beginStep("Then ", 'within 5 seconds process "beta/web" no longer sees service "billing"');
  b.advance(30).endStep();

  b.beginStep("When ", 'process "gamma/reporter" crashes');
  b.advance(80).lifecycle("gamma/reporter", "crashed", "SIGKILL");
  b.advance(10);
  gx.link(lRep[1], "CLOSED", { peer: reporter, reason: "PEER_CLOSED" });
  b.endStep();

  b.beginStep("When ", 'process "gamma/reporter" starts again');
  b.advance(300);
  reporter.restart();
  b.lifecycle("gamma/reporter", "started");
  const lRep2 = b.advance(60).connect(reporter, gx, { id: "C7" });
  reporter.learn(bill, lRep2[0]);
  for (const [seq, subject] of [
    [3, "rate"],
    [2, "status"],
  ] as const)
    reporter.report({ publisher: bill, seq, subscriber: reporter.agent(0), subject, cached: true });
  b.lifecycle("gamma/reporter", "ready");
  b.endStep();

  b.beginStep("When ", 'the link between "alpha" and "beta" heals');
  b.advance(200).fault("healed", "f1", { type: "cut", targets: ["alpha", "beta"] });
  b.advance(480);
  const abx2 = b.connect(ax, bx, { id: "S4" });
  bx.learn(bill, abx2[1]);
  web.learn(bill, lWeb[0]);
  frontend.learn(bill, lFront[0]);
  for (const [seq, subject] of [
    [3, "rate"],
    [2, "status"],
  ] as const)
    web.report({ publisher: bill, seq, subscriber: webSub, subject, cached: true });
  b.advance(50);
  web.report({ publisher: bill, seq: 4, subscriber: webSub, subject: "rate" });
  reporter.report({ publisher: bill, seq: 4, subscriber: reporter.agent(0), subject: "rate" });
  b.endStep();

  b.beginStep("When ", '"beta" gets 200 ms of latency');
  b.advance(60).fault("applied", "f2", { type: "latency", targets: ["beta/web"], detail: "200 ms ± 20 ms" });
  b.advance(400);
  web.request(`${web.node}/${web.incarnation}/c4`, "RESPONSE", { toAgent: bill, method: "charge" });
  if (o.violate) {
    b.advance(120);
    web.learn(ledger, lWeb[0]);
    b.advance(90);
    web.request(`${web.node}/${web.incarnation}/c4`, "RESPONSE", { toAgent: bill, method: "charge" });
  }
  b.endStep();

  b.beginStep("Then ", 'within 5 seconds process "beta/web" sees service "billing"');
  if (o.failingStepError) b.advance(5000).endStep("failed", o.failingStepError);
  else b.advance(20).endStep();
  return b.history();
}

/** A mutual dial at beta/exchange resolved by the safety net: the newer link closes with DUPLICATE at once. */
function betaDuplicate(b: HistoryBuilder, ax: ProcessHandle, bx: ProcessHandle): void {
  bx.link("D1", "DIALING", { peer: ax, dialer: true });
  bx.link("D1", "HANDSHAKING", { peer: ax, dialer: true });
  bx.link("D1", "ACTIVE", { peer: ax, dialer: true });
  bx.link("D1", "CLOSED", { peer: ax, dialer: true, reason: "DUPLICATE" });
  b.advance(5);
}
