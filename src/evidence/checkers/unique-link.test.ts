import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { checkUniqueLink } from "./unique-link";

function pair() {
  const b = new HistoryBuilder();
  return { b, ax: b.process("alpha/exchange"), bx: b.process("beta/exchange") };
}

describe("I4 unique link", () => {
  test("two ACTIVE links to the same peer in one group, one carrying a binding, is a violation", () => {
    const { b, ax, bx } = pair();
    const billing = b.process("alpha/billing");
    const lb = b.connect(billing, ax, { id: "B" });
    const bill = billing.offer("billing");
    ax.learn(bill, lb[1]);
    b.connect(ax, bx, { id: "S1" });
    const second = b.connect(bx, ax, { id: "S2" });
    bx.learn(bill, second[0]);
    const v = checkUniqueLink(b.history());
    expect(v).to.have.length(2);
    const atBeta = v.find((x) => x.message.startsWith("beta/exchange"));
    expect(atBeta?.message).to.contain("two ACTIVE links to alpha/exchange").and.contain("S1b").and.contain("S2a");
  });

  test("a second link the tie-break closes with DUPLICATE after a binding used it is still a violation", () => {
    const { b, ax, bx } = pair();
    const svc = ax.offer("svc");
    b.connect(ax, bx, { id: "S1" });
    bx.link("D", "ACTIVE", { peer: ax, dialer: true });
    bx.learn(svc, "D");
    bx.link("D", "CLOSED", { peer: ax, reason: "DUPLICATE" });
    expect(checkUniqueLink(b.history())).to.have.length(1);
  });

  test("clean: reconnects, a DUPLICATE tie-break before use, one link per group to a bridge, a restarted observer", () => {
    const { b, ax, bx } = pair();
    const l1 = b.connect(ax, bx, { id: "S1" });
    bx.link("D", "HANDSHAKING", { peer: ax, dialer: true });
    bx.link("D", "ACTIVE", { peer: ax, dialer: true });
    bx.link("D", "CLOSED", { peer: ax, dialer: true, reason: "DUPLICATE" });
    b.disconnect(ax, bx, l1, "IDLE_TIMEOUT");
    b.connect(ax, bx, { id: "S2" });
    const front = b.process("beta/frontend", { role: "server" });
    b.connect(front, bx, { id: "F", group: "" });
    b.connect(bx, front, { id: "G", group: "database" });
    bx.restart();
    b.connect(ax, bx, { id: "S3" });
    expect(checkUniqueLink(b.history())).to.deep.equal([]);
  });

  test("clean: a link to a peer's new incarnation while a half-open link to the old one lingers (that is I18's)", () => {
    const { b, ax, bx } = pair();
    b.connect(ax, bx, { id: "S1" });
    ax.restart();
    b.connect(ax, bx, { id: "S2" });
    expect(checkUniqueLink(b.history())).to.deep.equal([]);
  });
});
