import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { mesh } from "./mesh-test-kit";
import { checkNoGhosts, judgeNoGhosts } from "./no-ghosts";

/** The mesh, with beta/reporter offering "reports" known at alpha too. */
function meshWithReports() {
  const m = mesh();
  const reports = m.reporter.offer("reports");
  m.bx.learn(reports, "Rb");
  m.ax.learn(reports, m.servers[0]);
  m.billing.learn(reports, "Ba");
  return { ...m, reports };
}

describe("I3 no ghost bindings", () => {
  test("clean: a crashed process's bindings are withdrawn everywhere within the bound; the others stay", () => {
    const m = meshWithReports();
    m.b.lifecycle("alpha/billing", "crashed");
    m.b.advance(30);
    m.ax.link("Bb", "CLOSED", { peer: m.billing, reason: "PEER_CLOSED" });
    m.bx.withdraw(m.bill, "LINK_LOST");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    m.finish(2000);
    const r = judgeNoGhosts(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.be.greaterThan(0);
  });

  test("a process still holding a dead process's binding after T_fail is a violation", () => {
    const m = meshWithReports();
    m.b.lifecycle("alpha/billing", "crashed");
    m.b.advance(30);
    m.ax.link("Bb", "CLOSED", { peer: m.billing, reason: "PEER_CLOSED" });
    m.bx.withdraw(m.bill, "LINK_LOST");
    m.finish(2000);
    const v = checkNoGhosts(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("I3");
    expect(v[0].message).to.match(
      /^beta\/reporter still held service "billing" \(agent alpha\/billing\/alphabilling-i0\/1\) from alpha\/billing 1\.400 s after alpha\/billing crashed at 1\.500 s, although its origin alpha\/billing can no longer reach it/,
    );
    expect(v[0].events.map((e) => e.kind)).to.deep.equal(["exchange", "lifecycle"]);
  });

  test("a binding held over a blackholed link after T_fail is a violation; withdrawn in time it is not", () => {
    const m = meshWithReports();
    m.b.fault("applied", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.b.advance(3000);
    m.finish();
    const v = checkNoGhosts(m.b.history());
    expect(v.map((x) => x.message).join("\n"))
      .to.contain('beta/exchange still held service "billing"')
      .and.contain("it was learned over link Sb from alpha/exchange, which it can no longer hear")
      .and.contain('alpha/exchange still held service "reports"');
    expect(v).to.have.length(2, "beta/reporter learned it from beta/exchange: its own link is not cut");

    const c = meshWithReports();
    c.b.fault("applied", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    c.b.advance(450);
    c.b.disconnect(c.ax, c.bx, c.servers, "IDLE_TIMEOUT");
    c.reporter.withdraw(c.bill, "LINK_LOST");
    c.billing.withdraw(c.reports, "LINK_LOST");
    c.finish(3000);
    expect(checkNoGhosts(c.b.history())).to.deep.equal([]);
  });

  test("a freeze shorter than the bound, or a history without timing, is not judged", () => {
    const m = meshWithReports();
    m.b.lifecycle("alpha", "frozen");
    m.b.advance(1000).lifecycle("alpha", "thawed");
    m.finish(3000);
    expect(checkNoGhosts(m.b.history())).to.deep.equal([]);
    const old = new HistoryBuilder();
    old.process("alpha/exchange").offer("x");
    expect(judgeNoGhosts(old.history()).notes.join(" ")).to.contain("does not say its timing");
  });
});
