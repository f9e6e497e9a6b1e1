import { describe, test } from "node:test";
import { expect } from "chai";
import { demoRunReport } from "../demo-run";
import { demoWorkloadHistory } from "../demo-workloads";
import { workloadStats } from "../workload-stats";
import { renderRunHtml } from "./html";
import { sessionReport } from "./session";
import { DENSE_LANE_MARKS, renderTimeline } from "./timeline";

const { history, healAt, recoveredAt } = demoWorkloadHistory({ calls: 3000 });
const run = sessionReport(history, history.startedAt + 40_000);
const html = renderRunHtml(run);
const plots = html.match(/<svg class="wl"[\s\S]*?<\/svg>/g) ?? [];
const [callsPlot = "", publishPlot = ""] = plots;

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

describe("workloads in the HTML report", () => {
  test("a plot per workload, on the timeline's axis, and the page stays small and self-contained", () => {
    expect(plots).to.have.length(2);
    expect(html).to.contain("<h3>Workloads</h3>");
    expect(html).not.to.match(/https?:\/\//);
    expect(html).not.to.match(/<link\b|<script\s+src=|@import/i);
    expect(html.length).to.be.below(400_000);
    const timeline = /<svg class="timeline" viewBox="0 0 (\d+) /.exec(html);
    for (const p of plots) expect(p).to.match(new RegExp(`viewBox="0 0 ${timeline?.[1]} `));
    // the cut's shade starts where the timeline's fault bar starts
    const bar = /<rect class="fault-bar" x="([\d.]+)"/.exec(html)?.[1];
    const shade = /<rect class="wl-fault fault-cut" x="([\d.]+)"/.exec(callsPlot)?.[1];
    expect(Math.abs(Number(bar) - Number(shade))).to.be.below(0.06);
  });

  test("the marks of a call workload: one path per outcome with as many marks as operations of that outcome", () => {
    const ops = history.events.filter((e) => e.kind === "operation" && e.workload === "w1");
    const counts = new Map<string, number>();
    for (const o of ops) if (o.kind === "operation") counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
    const paths = callsPlot.match(/<path class="wl-ops[^>]*>/g) ?? [];
    expect(paths).to.have.length(counts.size);
    for (const p of paths) {
      const outcome = attr(p, "data-outcome") ?? "";
      const marks = (attr(p, "d") ?? "").match(/M[\d.]+ [\d.]+h0/g) ?? [];
      expect(marks.length, outcome).to.equal(counts.get(outcome));
      expect(attr(p, "data-count")).to.equal(String(counts.get(outcome)));
    }
    expect([...counts.keys()].sort()).to.deep.equal(["REQUEST_TIMEOUT", "RESPONSE", "SERVICE_UNAVAILABLE"]);
  });

  test("the figures table, the recovery after the heal and the subscribers' losses", () => {
    const [w1, w2] = workloadStats(history);
    expect(w1.recoveries[0].recoveredAt).to.be.closeTo(recoveredAt, 0.05);
    expect(html).to.contain(
      `cut alpha ↔ gamma ended at ${(healAt / 1000).toFixed(3)} s: recovered in <b>${Math.round(recoveredAt - healAt)} ms</b>`,
    );
    expect(html).to.match(
      new RegExp(`<tr><th>all</th><td>3000</td><td>${w1.succeeded}</td><td class="bad">${w1.failed} `),
    );
    expect(html).to.contain("<tr><th>outside fault windows</th>");
    const reporter = w2.subscribers.find((s) => s.process === "gamma/reporter");
    expect(reporter?.notReceived.length).to.be.above(100);
    expect(publishPlot).to.contain(
      `data-subscriber="gamma/reporter" data-kind="not-received" data-count="${reporter?.notReceived.length}"`,
    );
    expect(publishPlot).to.contain(`missed ${reporter?.notReceived.length}`);
  });

  test("a timeline lane with thousands of calls draws them as one path per kind, proofs still one by one", () => {
    const svg = renderTimeline(history, {
      highlight: new Set([history.events.findIndex((e) => e.kind === "exchange" && e.event.type === "request")]),
    });
    const dense = svg.match(/<path class="mark dense req-ok" data-count="(\d+)"/);
    const failed = svg.match(/<path class="mark dense req-bad" data-count="(\d+)"/);
    const single = (svg.match(/<g class="mark req-(ok|bad)/g) ?? []).length;
    expect(Number(dense?.[1]) + Number(failed?.[1]) + single).to.equal(3000);
    expect(single).to.equal(1);
    expect(svg).to.contain("gamma/reporter: ");
    expect(DENSE_LANE_MARKS).to.be.below(3000);
    // few marks: one element each, as before
    expect(renderRunHtml(demoRunReport())).not.to.contain("mark dense");
  });

  test("a scenario without workloads has no workload section", () => {
    expect(renderRunHtml(demoRunReport())).not.to.contain("<h3>Workloads</h3>");
  });
});
