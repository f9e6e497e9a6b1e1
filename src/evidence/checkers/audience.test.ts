import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { checkAudienceSafety } from "./audience";

function mesh() {
  const b = new HistoryBuilder();
  const ax = b.process("alpha/exchange");
  const bx = b.process("beta/exchange");
  const billing = b.process("alpha/billing");
  const web = b.process("beta/web");
  const servers = b.connect(ax, bx, { id: "S" });
  const lb = b.connect(billing, ax, { id: "B" });
  const lw = b.connect(web, bx, { id: "W" });
  return { b, ax, bx, billing, web, servers, lb, lw };
}

describe("I1 audience safety", () => {
  test('an audience-"" service seen as remote is a violation naming the observer and the service', () => {
    const { b, billing, ax, lb } = mesh();
    const ledger = billing.offer("ledger", { audience: "" });
    ax.learn(ledger, lb[1]);
    const v = checkAudienceSafety(b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("I1");
    expect(v[0].message)
      .to.contain("alpha/exchange")
      .and.contain('service "ledger"')
      .and.contain("must never leave its process");
    expect(v[0].events.map((e) => e.kind)).to.include("exchange");
  });

  test('an audience-"admin" service that arrives over a link of group "" is a violation', () => {
    const { b, billing, ax, lb } = mesh();
    const audit = billing.offer("audit", { audience: "admin" });
    ax.learn(audit, lb[1]);
    const v = checkAudienceSafety(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.match(/over link Bb of exchange group "", but its audience is "admin"/);
  });

  test("a program that offers a service more widely than its topology declares is judged by the declaration", () => {
    const endpoint = { group: "", role: "client" as const };
    const b = new HistoryBuilder({
      topology: {
        name: "shop",
        processes: [
          {
            address: "alpha/billing",
            machine: "alpha",
            kind: "process",
            endpoints: [endpoint],
            services: [{ name: "orders", audience: "database", groups: [] }],
          },
        ],
      },
    });
    const ax = b.process("alpha/exchange");
    const billing = b.process("alpha/billing");
    const [, axSide] = b.connect(billing, ax, { id: "B" });
    const orders = billing.offer("orders", { audience: "*" });
    ax.learn(orders, axSide);
    const v = checkAudienceSafety(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message)
      .to.contain('offered with audience "*", declared in the topology with audience "database"')
      .and.contain('of exchange group "", but its audience is "database"');
    const clean = new HistoryBuilder();
    const [cx, cb] = [clean.process("alpha/exchange"), clean.process("alpha/billing")];
    const [, side] = clean.connect(cb, cx, { id: "B" });
    cx.learn(cb.offer("orders", { audience: "*" }), side);
    expect(checkAudienceSafety(clean.history()), "undeclared, audience * travels anywhere").to.deep.equal([]);
  });

  test("the group judged is the link's own group, not the event's via.group", () => {
    const b = new HistoryBuilder();
    const srv = b.process("beta/exchange-admin");
    const con = b.process("beta/console");
    const web = b.process("beta/web");
    const [, adminSide] = b.connect(con, srv, { id: "A", group: "admin" });
    const [, webSide] = b.connect(web, srv, { id: "W", group: "" });
    const audit = con.offer("audit", { audience: "admin" });
    srv.learn(audit, adminSide);
    srv.links.set(webSide, { group: "admin", peer: web }); // the exchange mislabels via.group
    srv.learn(audit, webSide);
    const v = checkAudienceSafety(b.history());
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain(`link ${webSide} of exchange group ""`);
  });

  test("an audience changed on the way is judged against the origin's audience", () => {
    const { billing, ax, lb, b } = mesh();
    const ledger = billing.offer("ledger", { audience: "" });
    ax.learn(ledger, lb[1], { audience: "*" });
    const v = checkAudienceSafety(b.history());
    expect(v.map((x) => x.message).join("\n"))
      .to.contain('with audience "*", but the origin offered it with audience ""')
      .and.contain("must never leave its process");
  });

  test("clean: '*' everywhere, a group audience inside its group, bridged '*' re-exported, re-learned after a reconnect", () => {
    const { b, ax, bx, billing, web, servers, lb, lw } = mesh();
    const bill = billing.offer("billing");
    billing.offer("ledger", { audience: "" });
    ax.learn(bill, lb[1]);
    bx.learn(bill, servers[1]);
    web.learn(bill, lw[0]);
    const frontend = b.process("beta/frontend");
    const store = b.process("beta/store");
    const lf = b.connect(frontend, bx, { id: "F" });
    const ls = b.connect(store, frontend, { id: "D", group: "database" });
    const orders = store.offer("orders", { audience: "database" });
    const catalog = store.offer("catalog");
    frontend.learn(orders, ls[1]);
    frontend.learn(catalog, ls[1]);
    bx.learn(catalog, lf[1]);
    b.disconnect(ax, bx, servers);
    const again = b.connect(ax, bx, { id: "S2" });
    bx.learn(bill, again[1]);
    expect(checkAudienceSafety(b.history())).to.deep.equal([]);
  });
});
