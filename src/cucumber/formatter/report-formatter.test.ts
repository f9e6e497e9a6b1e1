import { describe, test } from "node:test";
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import { loadConfiguration, runCucumber } from "@cucumber/cucumber/api";
import { PROGRESS_FORMATTER, REPORT_FORMATTER } from "./paths";
import { xmlProblem } from "../../evidence";

/** The fixtures are plain JS next to the sources (tsc does not copy them); this file runs from dist/. */
const fixtures = path.join(__dirname, "../../../src/cucumber/fixtures");

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString("utf8");
}

describe("cucumber-js run with the exlab formatters", () => {
  test("one passing, one failing step, one failing invariant: HTML, JUnit and console all say which and why", async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "exlab-cucumber-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const environment = {
      cwd: dir,
      stdout,
      stderr,
      env: { ...process.env, FORCE_COLOR: "0", LAB_DRIVER: "processes" },
    };
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          paths: [path.join(fixtures, "evidence.feature")],
          require: [path.join(fixtures, "steps.js")],
          format: [
            [pathToFileURL(PROGRESS_FORMATTER).href],
            [pathToFileURL(REPORT_FORMATTER).href, path.join(dir, "exlab.log")],
          ],
          formatOptions: { exlab: { reportDir: "reports/fixture-run", heartbeatMs: 60_000 } },
        },
      },
      environment,
    );
    const result = await runCucumber(runConfiguration, environment);
    expect(result.success, err()).to.equal(false);

    const html = readFileSync(path.join(dir, "reports/fixture-run/index.html"), "utf8");
    expect(html)
      .to.match(/<b>3<\/b><span>scenarios<\/span>/)
      .and.match(/<b>1<\/b><span>passed<\/span>/)
      .and.match(/<b>2<\/b><span>failed<\/span>/);
    expect(html).to.contain(
      "Failed at step 3: <b>Then process &quot;beta/web&quot; sees service &quot;payroll&quot;</b>",
    );
    expect(html).to.contain("process &quot;beta/web&quot; does not see service &quot;payroll&quot;; it sees: billing");
    expect(html).to.match(
      /<li class="skipped"><span class="n">4<\/span><span class="st" title="skipped"><\/span><span><span class="kw">And<\/span> process/,
    );
    expect(html)
      .to.contain("Failed at step 4: <b>After hook</b>")
      .and.contain("Invariants violated: I1 Audience safety");
    expect(html).to.match(
      /<div class="violation" data-ids="[\d ]+"><b>I1 Audience safety<\/b><div class="msg">beta\/web holds service &quot;ledger&quot;/,
    );
    expect((html.match(/<svg class="timeline" viewBox="0 0 1200/g) ?? []).length).to.equal(3);
    expect(html).to.contain("cut alpha ↔ beta").and.contain("<b>processes</b><span>driver</span>");
    expect(html).not.to.match(/https?:\/\//);

    const xml = readFileSync(path.join(dir, "reports/fixture-run/junit.xml"), "utf8");
    expect(xmlProblem(xml)).to.equal(undefined);
    expect(xml).to.match(/<testsuite name="Evidence fixture" tests="3" failures="2"/);
    expect(xml).to.contain(
      `<failure message="Then process &quot;beta/web&quot; sees service &quot;payroll&quot;: Error: process &quot;beta/web&quot; does not see service &quot;payroll&quot;; it sees: billing" type="step failed">`,
    );
    expect(xml).to.contain(
      `<failure message="After hook: Error: Invariants violated: I1 Audience safety" type="step failed">`,
    );
    expect(xml).to.match(
      /<testcase name="A cut between alpha and beta heals" classname="Evidence fixture" time="\d+\.\d{3}" file="[^"]+">\n\s+<system-out>/,
    );

    const console = out();
    expect(console).to.contain("exlab · 3 scenarios planned");
    expect(console).to.match(/\[\d\d:\d\d\] ▶ 2\/3 Evidence fixture › Web looks for a service nobody offers/);
    expect(console).to.match(/✗ Then process "beta\/web" sees service "payroll"\s+\d+ ms/);
    expect(console).to.contain("3 scenarios (1 passed, 2 failed)");
    expect(console).to.match(/10 steps \(8 passed, 1 failed, 1 skipped\)/);
    expect(console)
      .to.contain("Failing scenarios:")
      .and.contain(
        'Then process "beta/web" sees service "payroll": Error: process "beta/web" does not see service "payroll"',
      );
    expect(console).to.contain(`Report: ${path.join(dir, "reports/fixture-run/index.html")}`);
    expect(console.trimEnd().split("\n").pop()).to.equal("features: 1 passed, 2 failed");
    expect(console).not.to.contain("\u001b[");
    expect(readFileSync(path.join(dir, "exlab.log"), "utf8")).to.contain(
      `exlab report: ${path.join(dir, "reports/fixture-run/index.html")}`,
    );
  });
});
