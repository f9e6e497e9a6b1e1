import { describe, test } from "node:test";
import { expect } from "chai";
import { demoRunReport } from "../demo-run";
import type { RecordedSchedule } from "../history";
import { renderRunHtml } from "./html";
import { renderJunit } from "./junit";
import { renderTimeline } from "./timeline";
import type { RunReport } from "./types";
import { xmlProblem } from "./xml-check";

/** The demo run, its first scenario with a random schedule (seed 1234) recorded in its history. */
function withSchedule(): RunReport {
  const run = demoRunReport();
  const s = run.scenarios[0];
  const h = s.history!;
  const schedule: RecordedSchedule = {
    id: h.events.length,
    t: 9000,
    kind: "schedule",
    step: { index: 1, text: "random faults strike for 5 seconds with seed 1234" },
    seed: 1234,
    from: 2000,
    to: 7000,
    settings: {
      windowMs: 5000,
      weights: { freeze: 1 },
      atOnce: 1,
      lasting: [1000, 3000],
      between: [200, 2000],
      recoveryMs: 30_000,
      quietMs: 2100,
    },
    faults: [{ n: 1, kind: "freeze", targets: ["beta"], at: 500, lasting: 1500 }],
    actions: [
      { fault: 1, phase: "start", step: 'machine "beta" freezes', at: 500, startedAt: 501, durationMs: 20 },
      { fault: 1, phase: "end", step: 'machine "beta" thaws', at: 2000, startedAt: 2000, durationMs: 15 },
    ],
  };
  h.events.push(schedule);
  s.replay = { text: "Feature: x\n", file: "replays/01-x.feature" };
  return run;
}

describe("a random schedule in the reports", () => {
  test("the HTML lists the seed, each fault due and begun, and links the replay", () => {
    const html = renderRunHtml(withSchedule());
    expect(html).to.contain("<h3>Random faults</h3>");
    expect(html).to.match(/Seed <b>1234<\/b> · 1 fault\(s\) drawn, at most 1 at once/);
    expect(html).to.contain("<code>exlab run --seed 1234</code>");
    expect(html).to.contain("<td>freeze beta</td><td>0.50 s</td><td>0.50 s</td><td>1.50 s</td>");
    expect(html).to.contain('href="replays/01-x.feature"');
  });

  test("the timeline shades the schedule's window, labelled with its seed", () => {
    const svg = renderTimeline(withSchedule().scenarios[0].history!);
    expect(svg).to.match(/<rect class="schedule-shade" x="[\d.]+" y="\d+" width="[\d.]+"/);
    expect(svg).to.contain(">random faults · seed 1234</text>");
  });

  test("JUnit carries the seed, the number of faults and the replay as properties, and says them in system-out", () => {
    const xml = renderJunit(withSchedule());
    expect(xmlProblem(xml)).to.equal(undefined);
    expect(xml).to.contain('<property name="seed" value="1234"/>');
    expect(xml).to.contain('<property name="schedule.faults" value="1"/>');
    expect(xml).to.contain('<property name="replay" value="replays/01-x.feature"/>');
    expect(xml).to.contain("Random faults: seed 1234, 1 fault(s); again with exlab run --seed 1234");
  });
});
