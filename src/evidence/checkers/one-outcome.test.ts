import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import type { ScenarioHistory } from "../history";
import { judgeOneOutcome } from "./one-outcome";
import { PENDING_GRACE_MS } from "./sent-requests";

function setup() {
  const b = new HistoryBuilder();
  const bx = b.process("beta/exchange");
  const billing = b.process("beta/billing");
  const web = b.process("beta/web");
  const lb = b.connect(billing, bx, { id: "B" });
  const lw = b.connect(web, bx, { id: "W" });
  const bill = billing.offer("billing");
  bx.learn(bill, lb[1]);
  web.learn(bill, lw[0]);
  return { b, bx, billing, web, lb, lw, bill };
}

describe("I8 exactly one outcome", () => {
  test("a conversation settled twice is a violation listing both outcomes", () => {
    const { b, web, bill } = setup();
    web.request("web/c1", "RESPONSE", { toAgent: bill });
    b.advance(30_000);
    web.request("web/c1", "REQUEST_TIMEOUT", { toAgent: bill });
    const v = judgeOneOutcome(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.equal(
      "beta/web settled conversation web/c1 2 times (RESPONSE, REQUEST_TIMEOUT): a request settles exactly once (S-31).",
    );
  });

  test("a RESPONSE from an agent withdrawn seconds earlier is a violation (it had to settle SERVICE_WITHDRAWN)", () => {
    const { b, web, bill } = setup();
    web.withdraw(bill, "LINK_LOST");
    b.advance(2000);
    web.request("web/c2", "RESPONSE", { toAgent: bill, method: "charge" });
    const v = judgeOneOutcome(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message)
      .to.contain('got RESPONSE for conversation web/c2 ("charge" to service "billing"')
      .and.contain("SERVICE_WITHDRAWN");
    expect(v[0].events).to.have.length(2);
  });

  test("SERVICE_WITHDRAWN without any WITHDRAW of the target is a violation", () => {
    const { b, web, bill } = setup();
    web.request("web/c3", "SERVICE_WITHDRAWN", { toAgent: bill });
    b.advance(10);
    web.request("web/c4", "RESPONSE", { toAgent: bill });
    const v = judgeOneOutcome(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("never saw a WITHDRAW of that agent");
  });

  test("clean: withdrawn in the cut and settled at once, answered after the re-AVAIL, reply event a microtask behind the WITHDRAW", () => {
    const { b, bx, web, lw, bill } = setup();
    web.request("web/c1", "RESPONSE", { toAgent: bill });
    b.disconnect(web, bx, lw);
    web.request("web/c2", "SERVICE_WITHDRAWN", { toAgent: bill });
    web.request("web/c3", "SERVICE_UNAVAILABLE", { target: "billing" });
    const again = b.connect(web, bx, { id: "W2" });
    web.learn(bill, again[0]);
    web.request("web/c4", "RESPONSE", { toAgent: bill });
    web.withdraw(bill, "WITHDRAWN");
    web.request("web/c5", "RESPONSE", { toAgent: bill });
    const out = judgeOneOutcome(b.history());
    expect(out.violations).to.deep.equal([]);
    expect(out.checked).to.equal(5);
  });

  test("clean: a requester shutting down may settle SERVICE_WITHDRAWN before its links close", () => {
    for (const reason of ["SHUTDOWN", "IDLE_TIMEOUT"] as const) {
      const { b, web, bill } = setup();
      web.request("web/c8", "SERVICE_WITHDRAWN", { toAgent: bill });
      web.emit({ type: "link", state: "CLOSED", linkId: "other", group: "", role: "client", dialer: true, reason });
      expect(judgeOneOutcome(b.history()).violations, reason).to.have.length(reason === "SHUTDOWN" ? 0 : 1);
    }
  });

  test("clean: a SERVICE_WITHDRAWN that is the last recorded event is not judged (its WITHDRAW may not have been pulled)", () => {
    const { b, web, bill } = setup();
    web.request("web/c9", "SERVICE_WITHDRAWN", { toAgent: bill });
    const h: ScenarioHistory = b.history();
    expect(judgeOneOutcome(h).violations).to.deep.equal([]);
  });

  /** Ends the recorded history `ms` after now, with a step (any entry of any kind marks the end). */
  const endAfter = (b: HistoryBuilder, ms: number) => b.beginStep("Then ", "something").advance(ms).endStep();

  describe("requests still pending (request-sent without an outcome)", () => {
    test("a request still pending past its deadline + ε at the end of the history is a violation naming its request-sent", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, method: "charge", timeoutMs: 2000 });
      endAfter(b, 2000 + PENDING_GRACE_MS + 300);
      const out = judgeOneOutcome(b.history());
      expect(out.violations).to.have.length(1);
      expect(out.violations[0].message).to.equal(
        `beta/web began conversation web/c1 ("charge" to service "billing" (agent ${bill})) and it was still pending at the end of the recorded history, at least ${PENDING_GRACE_MS + 300} ms past its deadline (ε ${PENDING_GRACE_MS} ms): a request with a timeout settles by its deadline (S-31, REQUEST_TIMEOUT).`,
      );
      expect(out.violations[0].events.map((e) => e.kind === "exchange" && e.event.type)).to.deep.equal([
        "request-sent",
      ]);
      expect(out.checked).to.equal(1);
    });

    test("ε is the bound: pending just under deadline + ε at the end is clean, just over is not", () => {
      for (const [ms, bad] of [
        [2000 + PENDING_GRACE_MS - 20, 0],
        [2000 + PENDING_GRACE_MS + 20, 1],
      ] as const) {
        const { b, web, bill } = setup();
        web.sent("web/c1", { toAgent: bill, timeoutMs: 2000 });
        endAfter(b, ms);
        expect(judgeOneOutcome(b.history()).violations, `${ms} ms`).to.have.length(bad);
      }
    });

    test("judged on the requester's own clock: a requester whose clock is an hour off is judged the same", () => {
      const pendingFor5s = (clockSkew: number, timeoutMs: number) => {
        const b = new HistoryBuilder();
        const bx = b.process("beta/exchange");
        const web = b.process("beta/web", { clockSkew });
        b.connect(web, bx, { id: "W" });
        web.sent("web/c1", { target: "billing", timeoutMs });
        endAfter(b, 5000);
        return judgeOneOutcome(b.history()).violations;
      };
      for (const clockSkew of [-3_600_000, 3_600_000]) {
        expect(pendingFor5s(clockSkew, 1000), `skew ${clockSkew}`).to.have.length(1);
        expect(pendingFor5s(clockSkew, 10_000), `skew ${clockSkew}, not due`).to.deep.equal([]);
      }
    });

    test("the requester's clock is read from its promptest pulled event: late pulls make it look earlier, never later", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, timeoutMs: 2000 });
      endAfter(b, 2000 + PENDING_GRACE_MS + 300);
      const h = b.history();
      const pulledLate = (keepPrompt: (e: ScenarioHistory["events"][number]) => boolean): ScenarioHistory => ({
        ...h,
        events: h.events.map((e) =>
          e.kind === "exchange" && e.process === "beta/web" && !keepPrompt(e) ? { ...e, t: e.t + 1000 } : e,
        ),
      });
      expect(
        judgeOneOutcome(pulledLate(() => false)).violations,
        "every event 1 s late: cannot be sure, not flagged",
      ).to.deep.equal([]);
      const isSent = (e: ScenarioHistory["events"][number]) => e.kind === "exchange" && e.event.type === "request-sent";
      expect(judgeOneOutcome(pulledLate(isSent)).violations, "one prompt event is enough").to.have.length(1);
      expect(judgeOneOutcome(pulledLate((e) => !isSent(e))).violations, "whichever it is").to.have.length(1);
    });

    test("clean: settled in time (a reply, a timeout at its deadline, refused at once), and pending without a deadline", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, timeoutMs: 2000 });
      b.advance(40);
      web.request("web/c1", "RESPONSE", { toAgent: bill });
      web.sent("web/c2", { toAgent: bill, timeoutMs: 1000 });
      b.advance(1000 + PENDING_GRACE_MS - 10);
      web.request("web/c2", "REQUEST_TIMEOUT", { toAgent: bill });
      web.sent("web/c3", { target: "nobody", timeoutMs: 1000 });
      web.request("web/c3", "SERVICE_UNAVAILABLE", { target: "nobody" });
      web.sent("web/c4", { toAgent: bill });
      endAfter(b, 60_000);
      const out = judgeOneOutcome(b.history());
      expect(out.violations).to.deep.equal([]);
      expect(out.checked).to.equal(4);
      expect(out.notes).to.include(
        "beta/web: 1 request(s) without a deadline were still pending at the end (allowed).",
      );
    });

    test("a request settled more than ε after its deadline is a violation; after a freeze of its machine it is not judged", () => {
      for (const frozen of [false, true]) {
        const { b, web, bill } = setup();
        web.sent("web/c1", { toAgent: bill, timeoutMs: 1000 });
        if (frozen) b.advance(500).lifecycle("beta", "frozen").advance(2000).lifecycle("beta", "thawed");
        else b.advance(2500);
        b.advance(PENDING_GRACE_MS);
        web.request("web/c1", "REQUEST_TIMEOUT", { toAgent: bill });
        const v = judgeOneOutcome(b.history()).violations;
        expect(v, `frozen ${frozen}`).to.have.length(frozen ? 0 : 1);
        if (!frozen)
          expect(v[0].message).to.contain(
            `settled conversation web/c1 ("call" to service "billing" (agent ${bill})) as REQUEST_TIMEOUT ${1500 + PENDING_GRACE_MS} ms after its deadline`,
          );
      }
    });

    test("a request begun twice, or settled before it began, is a violation", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, timeoutMs: 1000 });
      web.sent("web/c1", { toAgent: bill, timeoutMs: 1000 });
      web.request("web/c1", "RESPONSE", { toAgent: bill });
      web.request("web/c2", "RESPONSE", { toAgent: bill });
      web.sent("web/c2", { toAgent: bill, timeoutMs: 1000 });
      const v = judgeOneOutcome(b.history()).violations.map((x) => x.message);
      expect(v).to.have.length(2);
      expect(v[0]).to.contain("began conversation web/c1").and.contain("2 times");
      expect(v[1]).to.contain("settled conversation web/c2").and.contain("before it began");
    });

    test("not judged: the requester crashed, shut down, exited, was restarted, or is frozen at the end (or thawed within ε of it)", () => {
      type Web = ReturnType<typeof setup>["web"];
      const cases: [string, (b: HistoryBuilder, web: Web) => void, number, number][] = [
        ["process crashed", (b) => b.lifecycle("beta/web", "crashed"), 5000, 0],
        ["machine shut down", (b) => b.lifecycle("beta", "stopped"), 5000, 0],
        ["process exited", (b) => b.lifecycle("beta/web", "exited", "code 1"), 5000, 0],
        [
          "new incarnation",
          (_b, web) => (
            web.restart(),
            web.emit({ type: "link", state: "DIALING", linkId: "W9a", group: "", role: "client", dialer: true })
          ),
          5000,
          0,
        ],
        ["frozen at the end", (b) => b.lifecycle("beta", "frozen"), 5000, 0],
        [
          "thawed just before the end",
          (b) => b.lifecycle("beta", "frozen").advance(10_000).lifecycle("beta", "thawed"),
          PENDING_GRACE_MS - 100,
          0,
        ],
        [
          "thawed long before the end",
          (b) => b.lifecycle("beta", "frozen").advance(1000).lifecycle("beta", "thawed"),
          10_000,
          1,
        ],
        ["another process crashed", (b) => b.lifecycle("beta/billing", "crashed"), 5000, 1],
      ];
      for (const [what, act, tailMs, bad] of cases) {
        const { b, web, bill } = setup();
        web.sent("web/c1", { toAgent: bill, timeoutMs: 1000 });
        b.advance(200);
        act(b, web);
        endAfter(b, tailMs);
        const out = judgeOneOutcome(b.history());
        expect(out.violations, what).to.have.length(bad);
        if (!bad)
          expect(out.notes.join("\n"), what).to.match(
            /beta\/web.*1 request\(s\) were pending (when the process ended|while the process was frozen)/,
          );
      }
    });

    test("a crash before this incarnation began does not excuse it", () => {
      const { b, web, bill } = setup();
      b.lifecycle("beta/web", "crashed");
      b.advance(100);
      web.restart();
      web.emit({ type: "link", state: "DIALING", linkId: "W9a", group: "", role: "client", dialer: true });
      web.sent("web/c1", { toAgent: bill, timeoutMs: 1000 });
      endAfter(b, 5000);
      expect(judgeOneOutcome(b.history()).violations).to.have.length(1);
    });

    test("not judged: events after the request were not recorded (a seq gap), and outcomes whose request-sent came before the history", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, timeoutMs: 1000 });
      web.request("web/c1", "RESPONSE", { toAgent: bill });
      web.request("web/c0", "REQUEST_TIMEOUT", { toAgent: bill });
      endAfter(b, 5000);
      const h = b.history();
      const lostOutcome: ScenarioHistory = {
        ...h,
        events: h.events.filter(
          (e) => !(e.kind === "exchange" && e.event.type === "request" && e.event.conversationId === "web/c1"),
        ),
      };
      const out = judgeOneOutcome(lostOutcome);
      expect(out.violations).to.deep.equal([]);
      expect(out.notes).to.include(
        "beta/web: 1 request(s) without an outcome were not judged: events after them were not recorded.",
      );
      expect(out.notes).to.include(
        "beta/web: 1 outcome(s) without a recorded request-sent were judged for duplicates only.",
      );
      expect(judgeOneOutcome(h).violations, "the full history is clean too").to.deep.equal([]);
    });
  });

  describe("a request pending when its target is withdrawn (S-33)", () => {
    test("clean: it settles SERVICE_WITHDRAWN in the same turn as the WITHDRAW", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, timeoutMs: 5000 });
      b.advance(200);
      web.withdraw(bill, "LINK_LOST");
      web.request("web/c1", "SERVICE_WITHDRAWN", { toAgent: bill });
      b.advance(1000);
      web.sent("web/c2", { target: "billing" });
      web.request("web/c2", "SERVICE_UNAVAILABLE", { target: "billing" });
      expect(judgeOneOutcome(b.history()).violations).to.deep.equal([]);
    });

    test("settling by its timeout instead is a violation naming the outcome and the delay", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill, method: "charge", timeoutMs: 5000 });
      b.advance(200);
      web.withdraw(bill, "LINK_LOST");
      b.advance(4800);
      web.request("web/c1", "REQUEST_TIMEOUT", { toAgent: bill, method: "charge" });
      const v = judgeOneOutcome(b.history()).violations;
      expect(v).to.have.length(1);
      expect(v[0].message).to.equal(
        'beta/web saw the target of conversation web/c1 ("charge" to service "billing" (agent beta/billing/betabilling-i0/1)) withdrawn while the request was pending, but it settled as REQUEST_TIMEOUT only 4800 ms later: it had to settle SERVICE_WITHDRAWN in the same turn as the WITHDRAW (S-33).',
      );
      expect(v[0].events.map((e) => (e.kind === "exchange" ? e.event.type : e.kind))).to.deep.equal([
        "request-sent",
        "binding",
        "request",
      ]);
    });

    test("never settling while the requester runs on is a violation; a requester that crashed is not judged", () => {
      const { b, web, bill } = setup();
      web.sent("web/c1", { toAgent: bill });
      web.withdraw(bill, "LINK_LOST");
      b.advance(1000);
      web.offer("web");
      const v = judgeOneOutcome(b.history()).violations;
      expect(v.map((x) => x.message)).to.deep.equal([
        'beta/web saw the target of conversation web/c1 ("call" to service "billing" (agent beta/billing/betabilling-i0/1)) withdrawn while the request was pending, and the request never settled: it had to settle SERVICE_WITHDRAWN in the same turn as the WITHDRAW (S-33).',
      ]);
      const c = setup();
      c.web.sent("web/c1", { toAgent: c.bill });
      c.web.withdraw(c.bill, "LINK_LOST");
      c.b.advance(10).lifecycle("beta/web", "crashed");
      expect(judgeOneOutcome(c.b.history()).violations).to.deep.equal([]);
    });
  });
});
