import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { mesh, triangle } from "./mesh-test-kit";
import { checkOneHop, judgeOneHop } from "./one-hop";

describe("I16 one-hop bound", () => {
  test("clean: client → server → server → client, and a full mesh of three servers", () => {
    const r = judgeOneHop(mesh().b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.equal(3);
    expect(judgeOneHop(triangle().b.history()).violations).to.deep.equal([]);
  });

  test("a binding forwarded server to server twice is a violation naming the path", () => {
    const t = triangle();
    const late = t.billing.offer("late");
    t.ax.learn(late, t.lb[1]);
    t.bx.learn(late, t.ab[1]);
    t.gx.learn(late, t.bg[1]);
    t.reporter.learn(late, t.lr[0]);
    const v = checkOneHop(t.b.history());
    expect(v).to.have.length(2);
    expect(v.map((x) => x.message)).to.deep.equal([
      'gamma/exchange holds service "late" (agent alpha/billing/alphabilling-i0/2) over alpha/billing → alpha/exchange → beta/exchange → gamma/exchange: beta/exchange relayed to another server a binding it had from a server, in exchange group ""; a server forwards to servers only its own bindings and its clients\' (S-19, one-hop rule).',
      'gamma/reporter holds service "late" (agent alpha/billing/alphabilling-i0/2) over a path of 4 links in exchange group "": alpha/billing → alpha/exchange → beta/exchange → gamma/exchange → gamma/reporter; within one group a binding travels at most client → server → server → client (S-19, one-hop rule).',
    ]);
  });

  test("a bridge starts a new group's count; a path the history cannot follow is noted", () => {
    const b = new HistoryBuilder();
    const ax = b.process("alpha/exchange");
    const bx = b.process("beta/exchange");
    const front = b.process("beta/frontend");
    const store = b.process("beta/store");
    const billing = b.process("alpha/billing");
    const ab = b.connect(ax, bx, { id: "AB" });
    const lf = b.connect(front, bx, { id: "F" });
    const ls = b.connect(store, front, { id: "D", group: "database" });
    const lb = b.connect(billing, ax, { id: "B" });
    const catalog = store.offer("catalog");
    front.learn(catalog, ls[1]);
    bx.learn(catalog, lf[1]);
    ax.learn(catalog, ab[0]);
    billing.learn(catalog, lb[0]);
    const r = judgeOneHop(b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.equal(4);
    const gone = new HistoryBuilder();
    const x = gone.process("alpha/exchange");
    const y = gone.process("beta/exchange");
    const l = gone.connect(x, y, { id: "S" });
    gone.services.set("ghost/1", {
      name: "g",
      audience: "*",
      owner: gone.process("gamma/exchange"),
      version: 1,
      groups: new Set(),
    });
    y.learn("ghost/1", l[1]);
    expect(judgeOneHop(gone.history()).notes.join(" ")).to.contain("could not be followed");
  });
});
