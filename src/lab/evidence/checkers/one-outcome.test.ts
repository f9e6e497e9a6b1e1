import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import type { ScenarioHistory } from "../history";
import { judgeOneOutcome } from "./one-outcome";

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
    expect(v[0].message).to.equal("beta/web settled conversation web/c1 2 times (RESPONSE, REQUEST_TIMEOUT): a request settles exactly once (S-31).");
  });

  test("a RESPONSE from an agent withdrawn seconds earlier is a violation (it had to settle SERVICE_WITHDRAWN)", () => {
    const { b, web, bill } = setup();
    web.withdraw(bill, "LINK_LOST");
    b.advance(2000);
    web.request("web/c2", "RESPONSE", { toAgent: bill, method: "charge" });
    const v = judgeOneOutcome(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain('got RESPONSE for conversation web/c2 ("charge" to service "billing"').and.contain("SERVICE_WITHDRAWN");
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
});
