import { describe, test } from "node:test";
import { expect } from "chai";
import { triangle } from "./mesh-test-kit";
import { checkFailureContainment, judgeFailureContainment } from "./failure-containment";

/** alpha/exchange crashes: its peers drop the link and what they learned over it, S-22. */
function alphaServerCrashes() {
  const t = triangle();
  t.b.lifecycle("alpha/exchange", "crashed");
  t.b.advance(20);
  t.b.disconnect(t.ax, t.bx, t.ab, "PEER_CLOSED");
  t.gx.link(t.ag[1], "CLOSED", { peer: t.ax, reason: "PEER_CLOSED" });
  t.billing.link(t.lb[0], "CLOSED", { peer: t.ax, dialer: true, reason: "PEER_CLOSED" });
  t.web.withdraw(t.bill, "LINK_LOST");
  t.reporter.withdraw(t.bill, "LINK_LOST");
  return t;
}

describe("I20 failure containment", () => {
  test("clean: when alpha's server fails, processes not attached to it lose only alpha's bindings", () => {
    const t = alphaServerCrashes();
    t.b.advance(1000).lifecycle("alpha/exchange", "ready");
    t.finish(3000);
    const r = judgeFailureContainment(t.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.equal(1, 'gamma/reporter keeps "web"; beta/web holds only alpha\'s binding');
  });

  test("a binding from elsewhere withdrawn and made available again (a flap) is a violation", () => {
    const t = alphaServerCrashes();
    t.b.advance(200);
    t.reporter.withdraw(t.webAgent, "LINK_LOST");
    t.b.advance(100);
    t.reporter.learn(t.webAgent, t.lr[0]);
    t.finish(3000);
    const v = checkFailureContainment(t.b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("I20");
    expect(v[0].message).to.match(
      /^gamma\/reporter withdrew service "web" \(agent beta\/web\/betaweb-i0\/1\) from beta\/web at 1\.720 s while alpha\/exchange was down \(alpha\/exchange crashed at 1\.500 s\): losing a server affects only its machine and its clients/,
    );
  });

  test("a failure overlapping another fault is not judged, and says so", () => {
    const t = alphaServerCrashes();
    t.b.fault("applied", "f1", { type: "cut", targets: ["beta", "gamma"] });
    t.reporter.withdraw(t.webAgent, "LINK_LOST");
    t.finish(3000);
    const r = judgeFailureContainment(t.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.notes.join(" ")).to.contain("not judged, cut beta ⇄ gamma overlapped it");
  });
});
