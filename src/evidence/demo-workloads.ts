/**
 * A history with background workloads across faults, for the report's workload plots (tests, the screenshot):
 * gamma/reporter calls billing (on alpha) every `everyMs` while alpha and gamma are cut for a while, and beta is
 * frozen later; alpha/billing publishes on "price.eur" to beta/web and gamma/reporter. Deterministic (seeded).
 *
 * During the cut the calls in flight and those made before the cut is noticed time out; then they fail at once
 * (SERVICE_UNAVAILABLE) until the link is back, `recoveryMs` after the heal. gamma/reporter receives no report
 * during the cut, then the cached last one.
 */
import { HistoryBuilder } from "./builder";
import { demoTopology } from "./demo-history";
import type { ScenarioHistory, WorkloadSummary } from "./history";
import type { OperationOutcome } from "../lab";

/**
 * Writes workload entries (started/stopped, settled operations, deliveries) through a {@link HistoryBuilder}'s
 * recorder, with times in ms since the scenario started.
 */
export class WorkloadEntries {
  /** Epoch ms of t = 0. */
  readonly origin: number;

  constructor(private readonly b: HistoryBuilder) {
    this.origin = b.recorder.history().startedAt;
  }

  /** Sets the builder's clock to `t` ms since the scenario started. */
  at(t: number): this {
    this.b.now = this.origin + t;
    return this;
  }

  started(w: WorkloadSummary): this {
    this.b.recorder.workload("started", w);
    return this;
  }

  stopped(w: WorkloadSummary): this {
    this.b.recorder.workload("stopped", w);
    return this;
  }

  /** An operation of `process` settled and reached the recorder now; `end` defaults to now. */
  operation(
    process: string,
    o: {
      workload: string;
      n: number;
      target: string;
      start: number;
      end?: number;
      outcome: OperationOutcome;
      op?: "call" | "publish";
      subject?: string;
      detail?: string;
    },
  ): this {
    this.b.recorder.operation(process, {
      workload: o.workload,
      n: o.n,
      op: o.op ?? (o.outcome === "PUBLISHED" ? "publish" : "call"),
      target: o.target,
      ...(o.subject !== undefined ? { subject: o.subject } : {}),
      start: this.origin + o.start,
      end: o.end !== undefined ? this.origin + o.end : this.b.now,
      outcome: o.outcome,
      ...(o.detail !== undefined ? { detail: o.detail } : {}),
    });
    return this;
  }

  /** `process` received report `n` of a publish workload now. */
  delivery(
    process: string,
    d: { workload: string; n: number; publisher: string; subject: string; cached?: boolean },
  ): this {
    this.b.recorder.delivery(process, {
      n: d.n,
      time: this.b.now,
      publisher: d.publisher,
      publicationSeq: d.n,
      subject: d.subject,
      content: { workload: d.workload, n: d.n },
      matchedPatterns: [d.subject],
      cached: d.cached ?? false,
    });
    return this;
  }
}

export interface DemoWorkloadOptions {
  /** Calls of w1. @default 3000 */
  calls?: number;
  /** Period of w1's calls. @default 10 */
  everyMs?: number;
  /** Period of w2's publications. @default 50 */
  publishEveryMs?: number;
  /** The cut alpha ↔ gamma, in ms since the start. @default 35 % → 60 % of w1's run */
  cut?: { from: number; to: number };
  /** How long the cut goes unnoticed (calls time out), and how long after the heal calls still fail. */
  detectMs?: number;
  recoveryMs?: number;
  timeoutMs?: number;
  /** Record each call's `request` event at gamma/reporter too (as a real run does). @default true */
  exchangeEvents?: boolean;
  seed?: number;
  start?: number;
}

export interface DemoWorkloadHistory {
  history: ScenarioHistory;
  /** The heal of the cut and the start of the first call that succeeded after it. */
  healAt: number;
  recoveredAt: number;
}

/** Deterministic uniform [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoWorkloadHistory(o: DemoWorkloadOptions = {}): DemoWorkloadHistory {
  const calls = o.calls ?? 3000;
  const every = o.everyMs ?? 10;
  const pubEvery = o.publishEveryMs ?? 50;
  const t0 = 400;
  const runMs = calls * every;
  const cut = o.cut ?? { from: t0 + Math.round(runMs * 0.35), to: t0 + Math.round(runMs * 0.6) };
  const detect = o.detectMs ?? 1500;
  const recovery = o.recoveryMs ?? 640;
  const timeout = o.timeoutMs ?? 1000;
  const freeze = { from: t0 + Math.round(runMs * 0.75), to: t0 + Math.round(runMs * 0.8) };
  const random = mulberry32(o.seed ?? 15);
  const b = new HistoryBuilder({
    topology: demoTopology(),
    runId: "run-demo",
    start: o.start,
    feature: "Calls across a cut",
    scenario: "Calls from gamma to billing recover after the cut heals",
    tags: ["@processes", "@workload"],
  });
  const wl = new WorkloadEntries(b);
  const [ax, bx, gx] = [b.process("alpha/exchange"), b.process("beta/exchange"), b.process("gamma/exchange")];
  const [billing, web, reporter] = [b.process("alpha/billing"), b.process("beta/web"), b.process("gamma/reporter")];
  const actions: { at: number; seq: number; run: () => void }[] = [];
  const at = (time: number, run: () => void) => actions.push({ at: time, seq: actions.length, run });

  let bill = "";
  let agx: [string, string] = ["", ""];
  let lRep: [string, string] = ["", ""];
  at(0, () => {
    b.beginStep("Given ", 'the topology "three-machine-mesh" is running');
    for (const m of ["alpha", "beta", "gamma"]) b.lifecycle(m, "started");
    const abx = b.connect(ax, bx, { id: "S1" });
    agx = b.connect(gx, ax, { id: "S2" });
    b.connect(gx, bx, { id: "S3" });
    const lBill = b.connect(billing, ax, { id: "C1" });
    const lWeb = b.connect(web, bx, { id: "C2" });
    lRep = b.connect(reporter, gx, { id: "C6" });
    bill = billing.offer("billing");
    ax.learn(bill, lBill[1]);
    bx.learn(bill, abx[1]);
    gx.learn(bill, agx[0]);
    web.learn(bill, lWeb[0]);
    reporter.learn(bill, lRep[0]);
  });
  at(300, () => b.endStep());
  const w1 = { id: "w1", process: "gamma/reporter", kind: "calls" as const, service: "billing", everyMs: every };
  const w2 = {
    id: "w2",
    process: "alpha/billing",
    kind: "publish" as const,
    service: "billing",
    subject: "price.eur",
    everyMs: pubEvery,
  };
  at(t0 - 60, () => b.beginStep("Given ", `process "gamma/reporter" calls service "billing" every ${every} ms`));
  at(t0 - 45, () => (wl.started(w1), b.endStep()));
  at(t0 - 30, () =>
    b.beginStep(
      "Given ",
      `service "billing" in process "alpha/billing" publishes on subject "price.eur" every ${pubEvery} ms`,
    ),
  );
  at(t0 - 1, () => (wl.started(w2), b.endStep()));

  at(cut.from - 5, () => b.beginStep("When ", 'the link between "alpha" and "gamma" is cut'));
  at(cut.from, () => b.fault("applied", "f1", { type: "cut", targets: ["alpha", "gamma"] }).endStep());
  at(cut.from + detect, () => {
    b.disconnect(gx, ax, agx, "IDLE_TIMEOUT");
    reporter.withdraw(bill, "WITHDRAWN");
  });
  at(cut.to - 5, () => b.beginStep("When ", 'the link between "alpha" and "gamma" heals'));
  at(cut.to, () => b.fault("healed", "f1", { type: "cut", targets: ["alpha", "gamma"] }).endStep());
  at(cut.to + recovery - 5, () => {
    agx = b.connect(gx, ax, { id: "S4" });
    gx.learn(bill, agx[0]);
    reporter.learn(bill, lRep[0]);
  });
  at(freeze.from - 5, () => b.beginStep("When ", 'machine "beta" freezes'));
  at(freeze.from, () => b.lifecycle("beta", "frozen").endStep());
  at(freeze.to - 5, () => b.beginStep("When ", 'machine "beta" thaws'));
  at(freeze.to, () => b.lifecycle("beta", "thawed").endStep());

  let recoveredAt = Infinity;
  let recoveredStart = Infinity;
  for (let n = 1; n <= calls; n++) {
    const start = t0 + (n - 1) * every + Math.floor(random() * 3);
    const inCut = start >= cut.from - 3 && start < cut.to + recovery;
    let outcome: OperationOutcome = "RESPONSE";
    let len = 1.5 + -Math.log(1 - random()) * 2.5 + (random() < 0.01 ? 20 + random() * 60 : 0);
    if (inCut && start < cut.from + detect) {
      outcome = "REQUEST_TIMEOUT";
      len = timeout + random() * 4;
    } else if (inCut) {
      outcome = "SERVICE_UNAVAILABLE";
      len = random() * 0.8;
    }
    if (start >= freeze.from && start < freeze.to) len += random() < 0.3 ? 5 + random() * 20 : 0;
    const end = start + Math.round(len * 10) / 10;
    if (outcome === "RESPONSE" && start > cut.to && start < recoveredStart) {
      recoveredStart = start; // the recovery ends with the first lasting success (workload-stats.ts)
      recoveredAt = end;
    }
    const cid = `${reporter.node}/${reporter.incarnation}/c${n}`;
    at(end + 1 + random() * 40, () => {
      if (o.exchangeEvents ?? true)
        reporter.request(
          cid,
          outcome === "SERVICE_UNAVAILABLE"
            ? "SERVICE_UNAVAILABLE"
            : outcome === "REQUEST_TIMEOUT"
              ? "REQUEST_TIMEOUT"
              : "RESPONSE",
          {
            target: "billing",
            method: "identify",
            ...(outcome === "RESPONSE" ? { toAgent: bill } : {}),
          },
        );
      wl.operation("gamma/reporter", { workload: "w1", n, target: "billing", start, end, outcome });
    });
  }
  const stopAt = t0 + runMs + 20;
  const pubs = Math.floor((stopAt - t0) / pubEvery);
  const pub = { workload: "w2", publisher: "alpha/billing/i0/1", subject: "price.eur" };
  let cachedSent = false;
  for (let n = 1; n <= pubs; n++) {
    const start = t0 + (n - 1) * pubEvery;
    at(start + 0.2, () =>
      wl.operation("alpha/billing", {
        workload: "w2",
        n,
        target: "billing",
        start,
        outcome: "PUBLISHED",
        subject: "price.eur",
      }),
    );
    at(start + 2 + random() * 3, () => wl.delivery("beta/web", { ...pub, n }));
    const cutOff = start >= cut.from && start < cut.to + recovery;
    if (!cutOff) {
      if (start >= cut.to + recovery && !cachedSent) {
        cachedSent = true;
        const last = Math.floor((cut.from - t0) / pubEvery);
        at(cut.to + recovery + 1, () => wl.delivery("gamma/reporter", { ...pub, n: last, cached: true }));
      }
      at(start + 3 + random() * 4, () => wl.delivery("gamma/reporter", { ...pub, n }));
    }
  }
  at(stopAt - 10, () => b.beginStep("When ", "the workloads stop"));
  at(stopAt, () => wl.stopped(w1).stopped(w2));
  at(stopAt + timeout + 60, () => b.endStep());
  at(stopAt + timeout + 62, () =>
    b.beginStep("Then ", 'at least 90% of the calls from "gamma/reporter" to "billing" succeeded'),
  );
  at(stopAt + timeout + 70, () => b.endStep());

  actions.sort((a, c) => a.at - c.at || a.seq - c.seq);
  for (const a of actions) {
    b.now = Math.max(b.now, wl.origin + Math.round(a.at * 10) / 10);
    a.run();
  }
  return { history: b.history(), healAt: cut.to, recoveredAt };
}
