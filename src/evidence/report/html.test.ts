import { describe, test } from "node:test";
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { demoRunReport } from "../demo-run";
import { ReportWriteError } from "../errors";
import { renderRunHtml } from "./html";
import { writeRunReport } from "./write";

describe("renderRunHtml", () => {
  const run = demoRunReport();
  const html = renderRunHtml(run);

  test("is self-contained: no http(s) resources, no external stylesheet, script or font", () => {
    expect(html).not.to.match(/https?:\/\//);
    expect(html).not.to.match(/<link\b|<script\s+src=|@import|url\((?!#)/i);
    expect(html).to.match(/^<!doctype html>/);
  });

  test("draws a timeline per scenario with a lane per process, balanced SVG, faults, steps and lifecycle marks", () => {
    const svgs = html.match(/<svg class="timeline" viewBox="0 0 1200 \d+"[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).to.have.length(3);
    const svg = svgs[0] ?? "";
    const lanes = (svg.match(/<text class="lane-label"/g) ?? []).length;
    expect(lanes).to.equal(run.scenarios[0].history?.topology.processes.length);
    for (const address of ["alpha/", "billing", "gamma/", "rogue"]) expect(svg).to.contain(address);
    expect((svg.match(/<g\b/g) ?? []).length).to.equal((svg.match(/<\/g>/g) ?? []).length);
    expect(svg)
      .to.contain("cut alpha ↔ beta")
      .and.contain('class="step-mark step-passed"')
      .and.contain("mark life-crashed");
    expect(svg)
      .to.contain("mark link-up")
      .and.contain("mark svc-seen")
      .and.contain("mark svc-gone")
      .and.contain("mark report-cached");
    expect(svg).to.match(/<title>beta\/web #\d+: WITHDRAW /);
  });

  test("shows the summary, the failing step with its error, and the violations with their proof events", () => {
    expect(html)
      .to.match(/<b>3<\/b><span>scenarios<\/span>/)
      .and.match(/<b>2<\/b><span>failed<\/span>/)
      .and.contain("<b>processes</b><span>driver</span>");
    expect(html).to.contain(
      "Failed at step 10: <b>Then within 5 seconds process &quot;beta/web&quot; sees service &quot;billing&quot;</b>",
    );
    expect(html).to.match(/<li class="failed"><span class="n">10<\/span>/);
    expect(html).to.contain("actual: not visible (last WITHDRAW at 1.67 s, LINK_LOST)");
    expect(html).to.match(/<div class="violation" data-ids="[\d ]+"><b>I1 Audience safety<\/b>/);
    expect(html).to.contain("beta/web holds service &quot;ledger&quot;");
    expect(html).to.match(/class="mark svc-seen proof"/);
  });

  test("escapes scenario names and errors", () => {
    const r = demoRunReport();
    r.scenarios[0].name = "<script>alert(1)</script>";
    const page = renderRunHtml(r);
    expect(page).not.to.contain("<script>alert(1)");
    expect(page).to.contain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  test("a scenario without history says so instead of drawing a timeline", () => {
    const r = demoRunReport();
    delete r.scenarios[0].history;
    expect(renderRunHtml(r)).to.contain("No recorded history was attached to this scenario");
  });
});

describe("writeRunReport", () => {
  test("writes index.html and junit.xml, creating the directory", async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "exlab-report-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = await writeRunReport(path.join(dir, "nested", "run"), demoRunReport());
    expect(readFileSync(out.html, "utf8")).to.contain("exlab run run-demo");
    expect(readFileSync(out.junit, "utf8")).to.match(/^<\?xml/);
  });

  test("fails with ReportWriteError (and its cause) when the directory cannot be created", async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "exlab-report-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, "file"), "x");
    const err = await writeRunReport(path.join(dir, "file", "sub"), demoRunReport()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ReportWriteError);
    expect(err).to.have.property("code", "EVIDENCE_REPORT_WRITE");
    expect((err as Error).cause).to.be.instanceOf(Error);
  });
});
