import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import type { ScenarioHistory } from "../history";
import { judgeUniqueBinding } from "./unique-binding";

function setup() {
  const b = new HistoryBuilder();
  const [ax, bx, gx, web] = ["alpha/exchange", "beta/exchange", "gamma/exchange", "beta/web"].map((a) => b.process(a));
  const billing = b.process("alpha/billing");
  const lb = b.connect(billing, ax, { id: "B" });
  const lab = b.connect(ax, bx, { id: "AB" });
  const lgb = b.connect(gx, bx, { id: "GB" });
  const lw = b.connect(web, bx, { id: "W" });
  const bill = billing.offer("billing");
  ax.learn(bill, lb[1]);
  return { b, ax, bx, gx, web, bill, lab, lgb, lw };
}

describe("I5 unique binding", () => {
  test("AVAIL of an agent already held over another link is a violation naming both paths", () => {
    const { b, bx, bill, lab, lgb } = setup();
    bx.learn(bill, lab[1]);
    bx.learn(bill, lgb[1]);
    const out = judgeUniqueBinding(b.history());
    expect(out.violations).to.have.length(1);
    expect(out.violations[0].message)
      .to.contain('beta/exchange already held service "billing"')
      .and.contain("via link ABb")
      .and.contain("via link GBb");
    expect(out.violations[0].events).to.have.length(2);
  });

  test("clean: withdrawn on link loss and made available again after the reconnect; DUP_BINDING_PATH is a note", () => {
    const { b, ax, bx, bill, lab } = setup();
    bx.learn(bill, lab[1]);
    b.disconnect(ax, bx, lab);
    const again = b.connect(ax, bx, { id: "AB2" });
    bx.learn(bill, again[1]);
    bx.emit({ type: "anomaly", kind: "DUP_BINDING_PATH", agentId: bill, linkId: "GBb" });
    const out = judgeUniqueBinding(b.history());
    expect(out.violations).to.deep.equal([]);
    expect(out.notes.join("\n")).to.contain("beta/exchange: DUP_BINDING_PATH counted 1 time(s)");
  });

  test("clean: a seq gap hides the WITHDRAW, so the second AVAIL is not judged, and a note says so", () => {
    const { b, ax, bx, bill, lab } = setup();
    bx.learn(bill, lab[1]);
    b.disconnect(ax, bx, lab);
    const again = b.connect(ax, bx, { id: "AB2" });
    bx.learn(bill, again[1]);
    const h = b.history();
    const withoutWithdraw: ScenarioHistory = {
      ...h,
      events: h.events.filter(
        (e) =>
          !(
            e.kind === "exchange" &&
            e.process === "beta/exchange" &&
            e.event.type === "binding" &&
            e.event.change === "WITHDRAW"
          ),
      ),
    };
    const out = judgeUniqueBinding(withoutWithdraw);
    expect(out.violations).to.deep.equal([]);
    expect(out.notes.join("\n")).to.match(/beta\/exchange: events seq \d+–\d+ were not recorded/);
    expect(judgeUniqueBinding(h).violations).to.deep.equal([]);
  });
});
