import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { mesh, triangle } from "./mesh-test-kit";
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

describe("I3 nothing learned over a closed link (timing-free)", () => {
  test("a close followed in its turn by the withdrawal of everything learned over it passes", () => {
    const m = meshWithReports();
    m.b.fault("applied", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.b.advance(450);
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    m.billing.withdraw(m.reports, "LINK_LOST");
    m.b.advance(100).fault("healed", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.servers = m.b.connect(m.ax, m.bx, { id: "S2" });
    m.bx.learn(m.bill, m.servers[1]);
    m.ax.learn(m.reports, m.servers[0]);
    m.finish(3000);
    const r = judgeNoGhosts(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.be.greaterThan(0);
    expect(r.notes.join(" ")).not.to.contain("closed");
  });

  test("a close without the withdrawal of a binding learned over it is a ghost, even after a short fault", () => {
    const m = meshWithReports();
    m.b.fault("applied", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.b.advance(450);
    m.bx.held.delete(m.bill); // the broken exchange keeps it: no WITHDRAW follows beta's close
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    m.b.advance(100).fault("healed", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.servers = m.b.connect(m.ax, m.bx, { id: "S2" });
    m.ax.learn(m.reports, m.servers[0]);
    m.finish(3000);
    const r = judgeNoGhosts(m.b.history());
    expect(r.violations).to.have.length(1, "the blackhole (550 ms) is shorter than the bound: only the close judges");
    const v = r.violations[0];
    expect(v.invariant).to.equal("I3");
    expect(v.message).to.equal(
      'beta/exchange kept service "billing" (agent alpha/billing/alphabilling-i0/1) from alpha/billing, learned over link Sb from alpha/exchange (seq 5), after recording link Sb CLOSED (IDLE_TIMEOUT) at 1.950 s (seq 7): no WITHDRAW of it followed the close before link S2b ACTIVE at seq 8, and none was recorded up to the incarnation\'s last event (seq 9). A process holds nothing learned over a closed link: S-22 withdraws it in the turn of the close, whatever the fault and however short.',
    );
    expect(v.events.map((e) => (e.kind === "exchange" ? `${e.event.type} ${e.event.seq}` : e.kind))).to.deep.equal([
      "binding 5",
      "link 7",
      "link 8",
    ]);

    // The same, but the new link's snapshot replaces the ghost without a WITHDRAW: still a ghost until then.
    const r2 = meshWithReports();
    r2.bx.held.delete(r2.bill);
    r2.b.disconnect(r2.ax, r2.bx, r2.servers, "IDLE_TIMEOUT");
    r2.reporter.withdraw(r2.bill, "LINK_LOST");
    r2.servers = r2.b.connect(r2.ax, r2.bx, { id: "S2" });
    r2.bx.learn(r2.bill, r2.servers[1]);
    r2.finish(3000);
    expect(checkNoGhosts(r2.b.history()).map((x) => x.message)).to.have.length(1);
    expect(checkNoGhosts(r2.b.history())[0].message).to.contain(
      "an AVAIL via link S2b replaced it at seq 10 without a WITHDRAW",
    );
  });

  test("a ghost past the timed bound is reported once, by the close; without timing the close still judges", () => {
    const m = meshWithReports();
    m.b.fault("applied", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.b.advance(450);
    m.bx.held.delete(m.bill);
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    m.b.advance(3000).fault("healed", "f1", { type: "blackhole", targets: ["alpha", "beta"] });
    m.servers = m.b.connect(m.ax, m.bx, { id: "S2" });
    m.finish(3000);
    const v = checkNoGhosts(m.b.history());
    expect(v.map((x) => x.message.split(",")[0])).to.deep.equal([
      'beta/exchange kept service "billing" (agent alpha/billing/alphabilling-i0/1) from alpha/billing',
    ]);

    const b = new HistoryBuilder();
    const [x, y] = [b.process("alpha/exchange"), b.process("beta/exchange")];
    const ids = b.connect(x, y, { id: "S" });
    const agent = x.offer("x");
    y.learn(agent, ids[1]);
    y.held.delete(agent);
    b.disconnect(x, y, ids, "IDLE_TIMEOUT");
    b.connect(x, y, { id: "T" });
    const r = judgeNoGhosts(b.history());
    expect(r.violations).to.have.length(1);
    expect(r.notes.join(" ")).to.contain("does not say its timing");
  });

  test("a binding learned over another link, re-learned after the close or replaced before it, is not owed", () => {
    const t = triangle();
    // gamma held "web" over BG and "billing" over AG; BG closes and withdraws "web" only.
    t.b.disconnect(t.bx, t.gx, t.bg, "PEER_CLOSED");
    t.reporter.withdraw(t.webAgent, "LINK_LOST");
    t.b.advance(200);
    // "web" comes back to gamma over AG, then a new BG link brings a second path for "billing" (replacing AG's).
    t.gx.learn(t.webAgent, t.ag[1]);
    t.reporter.learn(t.webAgent, t.lr[0]);
    const bg = t.b.connect(t.bx, t.gx, { id: "BG2" });
    t.gx.learn(t.bill, bg[1]);
    // AG closes: gamma withdraws "web" (learned over it after BG's close) but not "billing" (now held over BG2).
    t.b.disconnect(t.ax, t.gx, t.ag, "IDLE_TIMEOUT");
    t.finish(3000);
    const r = judgeNoGhosts(t.b.history());
    expect(r.violations.map((v) => v.message)).to.deep.equal([]);
    expect(r.checked).to.be.greaterThan(0);
  });

  test("a history cut right after the close, or a gap after it, is noted and not judged", () => {
    const m = meshWithReports();
    m.bx.held.delete(m.bill);
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    m.finish(3000);
    const r = judgeNoGhosts(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.notes.join("\n")).to.contain(
      "beta/exchange: link Sb closed (IDLE_TIMEOUT, seq 7) and its history ends right after the close with 1 binding learned over it not yet withdrawn: events after it were not recorded, so not judged.",
    );

    const g = meshWithReports();
    g.bx.held.delete(g.bill);
    g.b.disconnect(g.ax, g.bx, g.servers, "IDLE_TIMEOUT");
    (g.bx as unknown as { seq: number }).seq += 2; // seq 8–9 never reached the lab
    g.servers = g.b.connect(g.ax, g.bx, { id: "S2" });
    g.finish(3000);
    const rg = judgeNoGhosts(g.b.history());
    expect(rg.violations).to.deep.equal([]);
    expect(rg.notes.join("\n")).to.contain("then events seq 8–9 were not recorded");
  });

  test("each incarnation owes only what it learned: a crash ends everything held, and link ids start over", () => {
    const m = meshWithReports();
    m.b.lifecycle("beta", "crashed");
    m.b.advance(50);
    m.ax.link(m.servers[0], "CLOSED", { peer: m.bx, reason: "PEER_CLOSED" });
    m.billing.withdraw(m.reports, "LINK_LOST");
    m.b.advance(500).lifecycle("beta", "started");
    m.bx.restart();
    // The new incarnation's first link reuses the id Sb and closes before learning anything.
    const s = m.b.connect(m.ax, m.bx, { id: "S" });
    m.b.disconnect(m.ax, m.bx, s, "IDLE_TIMEOUT");
    m.servers = m.b.connect(m.ax, m.bx, { id: "S3" });
    m.bx.learn(m.bill, m.servers[1]);
    m.finish(3000);
    expect(judgeNoGhosts(m.b.history()).violations.map((v) => v.message)).to.deep.equal([]);
  });
});
