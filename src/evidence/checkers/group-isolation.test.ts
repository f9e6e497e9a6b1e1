import { describe, test } from "node:test";
import { expect } from "chai";
import { HistoryBuilder } from "../builder";
import { demoTopology } from "../demo-history";
import { judgeGroupIsolation } from "./group-isolation";

describe("I15 group isolation", () => {
  test('an ACTIVE link of group "" to a process whose only endpoint is in group admin is a violation', () => {
    const b = new HistoryBuilder({ topology: demoTopology() });
    const gx = b.process("gamma/exchange");
    const rogue = b.process("gamma/rogue");
    gx.link("X", "HANDSHAKING", { peer: rogue, group: "" });
    gx.link("X", "ACTIVE", { peer: rogue });
    const v = judgeGroupIsolation(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.equal(
      'gamma/exchange has ACTIVE link X in exchange group "" with gamma/rogue, whose endpoints are in group(s) "admin" only: a link must never join two exchange groups (S-7, S-9 GROUP_MISMATCH).',
    );
  });

  test("a peer missing from the topology is judged by the groups of its own link events", () => {
    const b = new HistoryBuilder();
    const srv = b.process("beta/exchange");
    const late = b.process("beta/late");
    late.link("L", "DIALING", { peer: srv, group: "ops", dialer: true });
    srv.link("M", "ACTIVE", { peer: late, group: "" });
    const v = judgeGroupIsolation(b.history()).violations;
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain('whose endpoints are in group(s) "ops" only');
  });

  test("clean: a bridge linked in both of its groups; refused cross-group dials; unknown peers not judged", () => {
    const b = new HistoryBuilder({ topology: demoTopology() });
    const bx = b.process("beta/exchange");
    const front = b.process("beta/frontend", { role: "server" });
    const store = b.process("beta/store");
    b.connect(front, bx, { id: "F" });
    b.connect(store, front, { id: "D", group: "database" });
    const gx = b.process("gamma/exchange");
    const rogue = b.process("gamma/rogue");
    rogue.link("R", "DIALING", { peer: gx, group: "admin", dialer: true });
    rogue.link("R", "CLOSED", { peer: gx, dialer: true, reason: "GROUP_MISMATCH" });
    const ghost = b.process("delta/ghost");
    gx.link("G", "ACTIVE", { peer: ghost, group: "" });
    b.history().events.forEach(
      (e) => e.kind === "exchange" && e.process === "delta/ghost" && expect.fail("ghost emitted"),
    );
    const out = judgeGroupIsolation(b.history());
    expect(out.violations).to.deep.equal([]);
    expect(out.checked).to.equal(4);
    expect(out.notes.join("\n"))
      .to.contain("1 link(s) closed with GROUP_MISMATCH")
      .and.contain('Links to "delta/ghost" were not judged');
  });
});
