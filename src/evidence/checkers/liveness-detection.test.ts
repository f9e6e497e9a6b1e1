import { describe, test } from "node:test";
import { expect } from "chai";
import { mesh } from "./mesh-test-kit";
import { checkLivenessDetection, judgeLivenessDetection } from "./liveness-detection";

describe("I17 liveness detection", () => {
  test("clean: a blackholed link is closed by the idle timer after missedBeats × heartbeat, within the bound", () => {
    const m = mesh();
    m.b.fault("applied", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.b.advance(450);
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    m.finish(2000);
    const r = judgeLivenessDetection(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.equal(4, "two idle closes (both ends) and two silenced links");
  });

  test("an idle close soon after a frame arrived on the link is a violation", () => {
    const m = mesh();
    m.b.advance(120);
    const late = m.billing.offer("late");
    m.ax.learn(late, "Bb");
    m.bx.learn(late, m.servers[1]);
    m.b.advance(120);
    m.bx.link(m.servers[1], "CLOSED", { peer: m.ax, reason: "IDLE_TIMEOUT" });
    const v = checkLivenessDetection(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /^beta\/exchange closed link Sb to alpha\/exchange with IDLE_TIMEOUT only 120 ms after a frame arrived on it \(event #\d+, a binding change\); the idle timer closes a link after 300 ms/,
    );
  });

  test("a link to a frozen machine still ACTIVE after the bound is a violation", () => {
    const m = mesh();
    m.b.lifecycle("beta", "frozen");
    m.b.advance(3000);
    m.finish();
    const v = checkLivenessDetection(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /^alpha\/exchange still had link Sa to beta\/exchange ACTIVE 1\.400 s after beta frozen at 1\.500 s, although nothing could arrive on it: a silent link is closed within idleTimeout \+ heartbeat = 400 ms/,
    );
  });

  test("a link to a crashed process left open is a violation", () => {
    const m = mesh();
    m.b.lifecycle("alpha/billing", "crashed");
    m.finish(2000);
    const v = checkLivenessDetection(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("alpha/exchange still had link Bb to alpha/billing ACTIVE");
  });
});
