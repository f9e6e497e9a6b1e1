import { describe, test } from "node:test";
import { expect } from "chai";
import { mesh } from "./mesh-test-kit";
import { checkWorkloadCalls, judgeWorkloadCalls } from "./workload-calls";

function calling() {
  const m = mesh();
  const w = m.b.workload(m.reporter, "calls", "billing", { everyMs: 20 });
  return { m, w };
}

describe("W4 calls succeed while the mesh is converged", () => {
  test("clean: calls fail during a cut and until the mesh converged again, succeed otherwise", () => {
    const { m, w } = calling();
    w.run(100);
    const f = m.cut();
    w.run(50, { outcome: "SERVICE_UNAVAILABLE" });
    m.heal(f);
    w.run(10, { outcome: "SERVICE_UNAVAILABLE" });
    w.run(200);
    w.op({ outcome: "FAILURE", detail: "54" });
    w.stop();
    m.finish();
    const r = judgeWorkloadCalls(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.checked).to.be.greaterThan(100);
  });

  test("a call that fails while converged is a violation saying which, when and how", () => {
    const { m, w } = calling();
    w.run(40);
    w.op({ outcome: "SERVICE_UNAVAILABLE", latencyMs: 1 });
    m.b.advance(20);
    w.op({ outcome: "REQUEST_TIMEOUT", latencyMs: 1000 });
    m.b.advance(1000);
    w.run(10);
    m.finish();
    const v = checkWorkloadCalls(m.b.history());
    expect(v).to.have.length(1);
    expect(v[0].invariant).to.equal("W4");
    expect(v[0].message).to.match(
      /^w1 \(calls from beta\/reporter to service "billing"\): 2 calls failed while no fault was active and the mesh was converged: #41 SERVICE_UNAVAILABLE at 2\.300 s after 1 ms; #42 REQUEST_TIMEOUT at 2\.320 s after 1000 ms\.$/,
    );
  });

  test("a link that dropped without a fault: calls failing until it is back are not judged", () => {
    const { m, w } = calling();
    w.run(10);
    m.b.disconnect(m.ax, m.bx, m.servers, "IDLE_TIMEOUT");
    m.reporter.withdraw(m.bill, "LINK_LOST");
    w.run(10, { outcome: "SERVICE_UNAVAILABLE" });
    m.servers = m.b.connect(m.ax, m.bx, { id: "S7" });
    m.bx.learn(m.bill, m.servers[1]);
    m.b.advance(150);
    w.run(10);
    expect(checkWorkloadCalls(m.b.history())).to.deep.equal([]);
  });

  test("a service withdrawn on purpose may refuse calls", () => {
    const { m, w } = calling();
    w.run(10);
    m.billing.withdraw(m.bill);
    m.ax.withdraw(m.bill);
    m.bx.withdraw(m.bill);
    m.reporter.withdraw(m.bill);
    w.run(10, { outcome: "SERVICE_UNAVAILABLE" });
    m.finish();
    const r = judgeWorkloadCalls(m.b.history());
    expect(r.violations).to.deep.equal([]);
    expect(r.notes.join(" ")).to.contain('20 call(s) made while no process offered "billing"');
  });

  test("a call in flight when a step withdraws one of the service's agents may fail; one a while later may not", () => {
    const { m, w } = calling();
    const spare = m.reporter.offer("billing");
    m.b.advance(1500);
    w.run(10);
    m.billing.withdraw(m.bill);
    m.ax.withdraw(m.bill);
    m.bx.withdraw(m.bill);
    m.reporter.withdraw(m.bill);
    w.op({ outcome: "SERVICE_WITHDRAWN" });
    m.b.advance(1500);
    w.op({ outcome: "SERVICE_UNAVAILABLE" });
    m.finish();
    const v = checkWorkloadCalls(m.b.history());
    expect(spare).to.be.a("string");
    expect(v).to.have.length(1);
    expect(v[0].message).to.contain("1 call failed").and.contain("#12 SERVICE_UNAVAILABLE");
  });
});
