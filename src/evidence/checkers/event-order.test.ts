import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import type { ScenarioHistory } from "../history";
import { judgeEventOrder } from "./event-order";

function setup() {
  const b = new HistoryBuilder();
  const ax = b.process("alpha/exchange");
  const billing = b.process("alpha/billing");
  const lb = b.connect(billing, ax, { id: "B" });
  const bill = billing.offer("billing", { groups: ["payers"] });
  return { b, ax, billing, lb, bill };
}

describe("I6 event order", () => {
  test("JOIN before any AVAIL is a violation", () => {
    const { b, ax, bill } = setup();
    ax.join(bill, "vip");
    const v = judgeEventOrder(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.equal(
      'alpha/exchange saw JOIN of service group "vip" for service "billing" (agent alpha/billing/alphabilling-i0/1) before any AVAIL of it (S-24).',
    );
  });

  test("an event after WITHDRAW (no new AVAIL) is a violation", () => {
    const { b, ax, lb, bill } = setup();
    ax.learn(bill, lb[1]);
    ax.withdraw(bill, "WITHDRAWN");
    ax.leave(bill, "payers");
    const v = judgeEventOrder(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("after it had been withdrawn");
  });

  test("WITHDRAW while still a member of a group (LEAVE missing) is a violation", () => {
    const { b, ax, lb, bill } = setup();
    ax.learn(bill, lb[1]);
    ax.join(bill, "vip");
    ax.emit({
      type: "binding",
      change: "WITHDRAW",
      agentId: bill,
      serviceName: "billing",
      audience: "*",
      groups: [],
      version: 3,
      origin: { nodeName: "alpha/billing", incarnation: "alphabilling-i0" },
      location: "remote",
      reason: "LINK_LOST",
    });
    const v = judgeEventOrder(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain('still a member of service group(s) "payers", "vip"');
  });

  test("clean: joins and leaves, LEAVE before WITHDRAW on link loss, a new AVAIL after the reconnect, local withdraw", () => {
    const { b, ax, billing, lb, bill } = setup();
    ax.learn(bill, lb[1]);
    billing.join(bill, "vip");
    ax.join(bill, "vip");
    b.disconnect(billing, ax, lb);
    const again = b.connect(billing, ax, { id: "B2" });
    ax.learn(bill, again[1]);
    billing.leave(bill, "vip");
    ax.leave(bill, "vip");
    billing.withdraw(bill);
    ax.withdraw(bill);
    const out = judgeEventOrder(b.history());
    expect(out.violations).to.deep.equal([]);
    expect(out.checked).to.be.greaterThan(6);
  });

  test("clean: a stream whose first recorded event is not seq 1 starts in an unknown state", () => {
    const { b, ax, lb, bill } = setup();
    ax.learn(bill, lb[1]);
    ax.join(bill, "vip");
    ax.leave(bill, "vip");
    const h = b.history();
    const late: ScenarioHistory = {
      ...h,
      events: h.events.filter((e) => !(e.kind === "exchange" && e.process === "alpha/exchange" && e.event.seq <= 3)),
    };
    const out = judgeEventOrder(late);
    expect(out.violations).to.deep.equal([]);
    expect(out.notes.join("\n")).to.contain("alpha/exchange: events before seq 4 were not recorded");
  });
});
