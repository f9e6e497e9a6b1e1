import { describe, test } from "node:test";
import { expect } from "chai";
import { demoRunReport } from "../demo-run";
import { renderJunit } from "./junit";
import type { RunReport } from "./types";

/** A small XML well-formedness check: balanced elements, quoted attributes, escaped text, legal characters. */
export function xmlProblem(xml: string): string | undefined {
  if (/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml)) return "illegal character";
  const stack: string[] = [];
  const re = /<[^<>]*>/g;
  let last = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const text = xml.slice(last, m.index);
    if (/&(?!(amp|lt|gt|quot|#39|#10|#13|#9);)/.test(text) || text.includes(">")) return `bad text before ${m[0]}: ${text.slice(0, 60)}`;
    last = re.lastIndex;
    const tag = m[0];
    if (tag.startsWith("<?")) continue;
    const close = /^<\/([\w:-]+)\s*>$/.exec(tag);
    if (close) {
      if (stack.pop() !== close[1]) return `unbalanced </${close[1]}>`;
      continue;
    }
    const open = /^<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(tag);
    if (!open) return `malformed tag ${tag.slice(0, 80)}`;
    if (/&(?!(amp|lt|gt|quot|#39|#10|#13|#9);)/.test(open[2])) return `unescaped & in ${tag.slice(0, 80)}`;
    if (!open[3]) stack.push(open[1]);
  }
  if (xml.slice(last).trim() !== "") return "text after the root";
  return stack.length ? `unclosed <${stack.join(">, <")}>` : undefined;
}

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
    expect(xml).to.match(/<testsuites name="exlab run-demo" tests="3" failures="2" errors="0" skipped="0" time="29\.500"/);
    expect(xml).to.match(/<testsuite name="Exchange survives a cut" tests="2" failures="1"/);
    expect(xml).to.match(/<testcase name="A cut between alpha and beta heals" classname="Exchange survives a cut" time="\d+\.\d{3}"/);
  });

  test("the failure names the failing step and the first line of its error; system-out holds the checker summary", () => {
    const xml = renderJunit(demoRunReport());
    const failure = /<failure message="([^"]*)" type="step failed">([^<]*)<\/failure>/.exec(xml);
    expect(failure?.[1]).to.equal("Then within 5 seconds process &quot;beta/web&quot; sees service &quot;billing&quot;: AssertionError: within 5 s process &quot;beta/web&quot; did not see service &quot;billing&quot;");
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
});
