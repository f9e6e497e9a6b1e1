import { describe, test } from "node:test";
import { expect } from "chai";
import { demoRunReport } from "../demo-run";
import { demoWorkloadHistory } from "../demo-workloads";
import { workloadStats } from "../workload-stats";
import { renderJunit, workloadProperties } from "./junit";
import { sessionReport } from "./session";
import type { RunReport } from "./types";
import { xmlProblem } from "./xml-check";

function tricky(): RunReport {
  const run = demoRunReport();
  const s = run.scenarios[1];
  s.name = `Quotes "and" <angles> & 'apostrophes'`;
  s.feature = "Feature <&>";
  const st = s.steps.find((x) => x.status === "failed");
  if (!st) throw new Error("demo has no failing step");
  st.error = "\u001b[31mAssertionError\u001b[39m: expected <a> & \"b\"\u0000\u0007 to be 'c'\n    at step (x.js:1:1)";
  return run;
}

describe("renderJunit", () => {
  test("is well-formed XML with one testsuite per feature and one testcase per scenario", () => {
    const xml = renderJunit(demoRunReport());
    expect(xmlProblem(xml)).to.equal(undefined);
    expect(xml.match(/<testsuite /g)).to.have.length(2);
    expect(xml.match(/<testcase /g)).to.have.length(3);
    expect(xml).to.match(
      /<testsuites name="exlab run-demo" tests="3" failures="2" errors="0" skipped="0" time="29\.500"/,
    );
    expect(xml).to.match(/<testsuite name="Exchange survives a cut" tests="2" failures="1"/);
    expect(xml).to.match(
      /<testcase name="A cut between alpha and beta heals" classname="Exchange survives a cut" time="\d+\.\d{3}"/,
    );
  });

  test("the failure names the failing step and the first line of its error; system-out holds the checker summary", () => {
    const xml = renderJunit(demoRunReport());
    const failure = /<failure message="([^"]*)" type="step failed">([^<]*)<\/failure>/.exec(xml);
    expect(failure?.[1]).to.equal(
      "Then within 5 seconds process &quot;beta/web&quot; sees service &quot;billing&quot;: AssertionError: within 5 s process &quot;beta/web&quot; did not see service &quot;billing&quot;",
    );
    expect(failure?.[2]).to.contain("expected: visible");
    expect(xml).to.contain("I1 Audience safety: FAILED (1 violation)");
    expect(xml).to.contain("After hook: every invariant holds");
    expect(xml).to.match(/I4 Unique link: passed \(\d+ checked\)/);
  });

  test("escapes markup, quotes and ampersands, and drops colour codes and characters XML cannot carry", () => {
    const xml = renderJunit(tricky());
    expect(xmlProblem(xml)).to.equal(undefined);
    expect(xml).to.contain(`name="Quotes &quot;and&quot; &lt;angles&gt; &amp; &#39;apostrophes&#39;"`);
    expect(xml).to.contain(`classname="Feature &lt;&amp;&gt;"`);
    expect(xml).to.contain("AssertionError: expected &lt;a&gt; &amp; &quot;b&quot; to be &#39;c&#39;");
    expect(xml).not.to.match(/\u001b|\u0000|\u0007/);
  });

  test("the well-formedness check itself catches broken XML", () => {
    expect(xmlProblem("<a><b></a>")).to.match(/unbalanced/);
    expect(xmlProblem("<a>x & y</a>")).to.match(/bad text/);
    expect(xmlProblem('<a x="1>')).to.match(/malformed|bad text/);
    expect(xmlProblem("<a>")).to.match(/unclosed/);
  });

  test("a scenario with workloads carries their figures as testcase properties, and a summary in system-out", () => {
    const { history } = demoWorkloadHistory({ calls: 600 });
    const xml = renderJunit(sessionReport(history, history.startedAt + 40_000));
    expect(xmlProblem(xml)).to.equal(undefined);
    const props = new Map(
      [...xml.matchAll(/<property name="([^"]*)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]] as const),
    );
    const [w1, w2] = workloadStats(history);
    expect(props.get("workload.w1.operations")).to.equal("600");
    expect(props.get("workload.w1.succeeded")).to.equal(String(w1.succeeded));
    expect(props.get("workload.w1.availability")).to.equal(String(+(w1.succeeded / 600).toFixed(6)));
    expect(props.get("workload.w1.p50_ms")).to.equal(String(+(w1.p50Ms ?? NaN).toFixed(3)));
    expect(props.get("workload.w1.p99_ms")).to.equal(String(+(w1.p99Ms ?? NaN).toFixed(3)));
    expect(props.get("workload.w1.outcome.SERVICE_UNAVAILABLE")).to.equal(
      String(w1.byOutcome.find((o) => o.outcome === "SERVICE_UNAVAILABLE")?.count),
    );
    const outside = w1.outside.availability;
    expect(props.get("workload.w1.outside_faults.availability")).to.equal(
      outside === undefined ? undefined : String(+outside.toFixed(6)),
    );
    expect(props.get("workload.w1.recovery_ms.1")).to.equal(String(w1.recoveries[0].recoveryMs));
    expect(props.get("workload.w1.recovery_after.1")).to.match(/^cut alpha ↔ gamma ended at [\d.]+ s$/);
    const reporter = w2.subscribers.find((s) => s.process === "gamma/reporter");
    expect(props.get("workload.w2.subscriber.gamma/reporter.not_received")).to.equal(
      String(reporter?.notReceived.length),
    );
    expect(props.get("workload.w2.subscriber.gamma/reporter.not_received_numbers")).to.match(/^#\d+–#\d+$/);
    expect(props.has("workload.w2.recovery_ms.1")).to.equal(false);
    expect(xml.indexOf("<properties>")).to.be.below(xml.indexOf("<system-out>"));
    expect(xml).to.match(/Workloads:\nw1 gamma\/reporter calls billing every 10 ms: 600 operations, \d+ succeeded/);
  });

  test("a recovery that did not happen is a property too; no workload, no properties", () => {
    const props = workloadProperties([
      {
        ...workloadStats(demoWorkloadHistory({ calls: 300 }).history)[0],
        recoveries: [{ healAt: 1000, heal: "cut a ↔ b", ids: [], failed: 3 }],
      },
    ]);
    expect(props).to.deep.include({ name: "workload.w1.recovery_ms.1", value: "not recovered" });
    expect(renderJunit(demoRunReport())).not.to.contain("<properties>");
  });
});
