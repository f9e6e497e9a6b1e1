import { describe, test } from "node:test";
import { expect } from "chai";
import { mesh } from "./mesh-test-kit";
import { checkReconnectProgress, judgeReconnectProgress } from "./reconnect-progress";

describe("I19 reconnect progress", () => {
  test("clean: after a cut heals the servers link again within retryDelay × 1.1 + 2 × handshake (+ lag)", () => {
    const m = mesh();
    const f = m.cut();
    m.b.advance(2000);
    m.heal(f);
    m.finish(3000);
    const r = judgeReconnectProgress(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.be.greaterThan(0);
  });

  test("a pair never linked again after the heal is a violation", () => {
    const m = mesh();
    const f = m.cut();
    m.b.advance(2000);
    m.b.fault("healed", f, { type: "cut", targets: ["alpha", "beta"] });
    m.finish(3000);
    const v = checkReconnectProgress(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /^alpha\/exchange ⇄ beta\/exchange \(exchange group ""\) was not linked again within 1620 ms after cut alpha ⇄ beta ended at 3\.550 s: still not linked when the history ended at 6\.550 s\./,
    );
  });

  test("a link that dropped on its own and came back late is a violation naming the delay", () => {
    const m = mesh();
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.b.advance(3000);
    m.servers = m.b.connect(m.ax, m.bx, { id: "S8" });
    m.finish(100);
    const v = checkReconnectProgress(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("after the link closed at 1.500 s: linked again only 3000 ms later");
  });

  test("a dialler in STANDBY resumes once the ACTIVE link is gone", () => {
    const standby = (resumeAfter?: number) => {
      const m = mesh();
      m.bx.link("D9", "STANDBY", { peer: m.ax, dialer: true, reason: "DUPLICATE" });
      m.b.advance(500);
      m.b.disconnect(m.ax, m.bx, m.servers, "PEER_CLOSED");
      if (resumeAfter !== undefined) {
        m.b.advance(resumeAfter);
        m.bx.link("D9", "DIALING", { peer: m.ax, dialer: true });
      }
      m.finish(2000);
      return m.b.history();
    };
    expect(checkReconnectProgress(standby(100)).filter((v) => v.message.includes("STANDBY"))).to.deep.equal([]);
    const v = checkReconnectProgress(standby()).filter((x) => x.message.includes("STANDBY"));
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(
      /^beta\/exchange stood by \(STANDBY on D9 for alpha\/exchange, exchange group ""\) and had no ACTIVE link to that peer from 2\.000 s, but never resumed dialling/,
    );
  });
});
