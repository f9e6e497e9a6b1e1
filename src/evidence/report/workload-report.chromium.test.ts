/**
 * The workload plots as a browser sees them: a report with a few thousand calls across a cut, opened in headless
 * chromium. The marks it holds are read back from chromium's DOM and matched to the recorded operations, the
 * plots are measured against the timeline (same on-screen scale and origin), and a PNG is taken for a human to look
 * at (kept in $EXLAB_SCREENSHOT_DIR when set). Skipped without a chromium.
 */
import { describe, test } from "node:test";
import { expect } from "chai";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { demoWorkloadHistory } from "../demo-workloads";
import type { RecordedOperation } from "../history";
import { dumpDom, findChromium, screenshot } from "../screenshot";
import { historyEnd, latency, workloadStats } from "../workload-stats";
import { sessionReport } from "./session";
import { writeRunReport } from "./write";

const CALLS = 3000;

function chromiumMissing(): string | false {
  try {
    findChromium();
    return false;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Measures the page as laid out, into `data-probe` on <body>: what --dump-dom then carries out. */
const PROBE = `<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return { left: r.left, width: r.width }; }
  var probe = {
    timeline: box(document.querySelector("svg.timeline")),
    plots: Array.prototype.map.call(document.querySelectorAll("svg.wl"), box),
    faultBar: box(document.querySelector("svg.timeline rect.fault-bar")),
    faultShade: box(document.querySelector("svg.wl rect.wl-fault")),
    ms: performance.now()
  };
  document.body.setAttribute("data-probe", JSON.stringify(probe));
})();
</script>`;

interface Probe {
  timeline: { left: number; width: number };
  plots: { left: number; width: number }[];
  faultBar: { left: number; width: number };
  faultShade: { left: number; width: number };
  ms: number;
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => {
  const v = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return v === undefined ? undefined : unescape(v);
};
const num = (tag: string, name: string) => Number(attr(tag, name));

describe("workload plots in headless chromium", { skip: chromiumMissing() }, () => {
  test(
    `${CALLS} calls across a cut: the marks match the operations, the plot lines up with the timeline`,
    {
      timeout: 180_000,
    },
    async (t) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "exlab-wl-chromium-"));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const { history } = demoWorkloadHistory({ calls: CALLS });
      const written = await writeRunReport(dir, sessionReport(history, history.startedAt + historyEnd(history) + 100));
      const page = readFileSync(written.html, "utf8").replace(/<details>/g, "<details open>");
      const probePage = path.join(dir, "probe.html");
      writeFileSync(probePage, page.replace("</body>", `${PROBE}</body>`));

      const started = Date.now();
      const dom = await dumpDom(probePage);
      const chromiumMs = Date.now() - started;
      const probe = JSON.parse(unescape(/<body data-probe="([^"]*)"/.exec(dom)?.[1] ?? "{}")) as Probe;
      t.diagnostic(
        `report ${statSync(written.html).size} bytes; chromium parsed and laid it out in ${Math.round(probe.ms)} ms (${chromiumMs} ms with its start)`,
      );

      // the plots span the same screen width as the timeline, and the cut starts at the same x in both
      expect(probe.plots).to.have.length(2);
      for (const p of probe.plots) {
        expect(Math.abs(p.left - probe.timeline.left)).to.be.below(0.5);
        expect(Math.abs(p.width - probe.timeline.width)).to.be.below(0.5);
      }
      expect(Math.abs(probe.faultShade.left - probe.faultBar.left)).to.be.below(0.5);
      expect(Math.abs(probe.faultShade.width - probe.faultBar.width)).to.be.below(0.5);

      // the call workload: per outcome, one mark per operation, at its start time and latency
      const svg = /<svg class="wl"[^>]*data-workload="w1"[^>]*>/.exec(dom)?.[0] ?? "";
      const [left, right, end] = [num(svg, "data-axis-left"), num(svg, "data-axis-right"), num(svg, "data-axis-end")];
      const [top, bottom] = [num(svg, "data-lat-top"), num(svg, "data-lat-bottom")];
      const [lmin, lmax] = [num(svg, "data-lat-min"), num(svg, "data-lat-max")];
      expect([left, right, end, top, bottom, lmin, lmax].every(Number.isFinite), svg).to.equal(true);
      const xOf = (ms: number) => left + (ms / end) * (right - left);
      const yOf = (ms: number) => {
        const v = Math.min(lmax, Math.max(lmin, ms > 0 ? Math.log10(ms) : lmin));
        return bottom - ((v - lmin) / (lmax - lmin)) * (bottom - top);
      };
      const ops = history.events.filter((e): e is RecordedOperation => e.kind === "operation" && e.workload === "w1");
      expect(ops).to.have.length(CALLS);
      const byOutcome = new Map<string, RecordedOperation[]>();
      for (const o of ops) byOutcome.set(o.outcome, [...(byOutcome.get(o.outcome) ?? []), o]);
      const w1 = dom.slice(dom.indexOf(svg), dom.indexOf("</svg>", dom.indexOf(svg)));
      const paths = w1.match(/<path class="wl-ops[^>]*>/g) ?? [];
      expect(paths.map((p) => attr(p, "data-outcome")).sort()).to.deep.equal([...byOutcome.keys()].sort());
      for (const p of paths) {
        const outcome = attr(p, "data-outcome") ?? "";
        const points = [...(attr(p, "d") ?? "").matchAll(/M([\d.]+) ([\d.]+)h0/g)].map((m) => [+m[1], +m[2]]);
        const recorded = [...(byOutcome.get(outcome) ?? [])].sort((a, b) => a.start - b.start);
        expect(points, outcome).to.have.length(recorded.length);
        points.sort((a, b) => a[0] - b[0]);
        recorded.forEach((o, i) => {
          expect(Math.abs(points[i][0] - xOf(o.start)), `${outcome} #${o.n} x`).to.be.at.most(0.051);
          expect(Math.abs(points[i][1] - yOf(latency(o))), `${outcome} #${o.n} y`).to.be.at.most(0.051);
        });
      }
      // the cut's shade covers the recorded fault
      const shade = /<rect class="wl-fault fault-cut"[^>]*>/.exec(w1)?.[0] ?? "";
      const faults = history.events.filter((e) => e.kind === "fault");
      expect([num(shade, "data-from"), num(shade, "data-to")]).to.deep.equal(faults.map((f) => f.t));

      // the publish workload: what gamma/reporter never received is drawn, one tick each
      const [, w2] = workloadStats(history);
      const missed = w2.subscribers.find((s) => s.process === "gamma/reporter")?.notReceived.length ?? 0;
      expect(missed).to.be.above(0);
      const ticks = new RegExp(
        `<path class="wl-ticks missed" data-subscriber="gamma/reporter" data-kind="not-received" data-count="${missed}" d="([^"]*)"`,
      ).exec(dom);
      expect(ticks?.[1].match(/M/g)).to.have.length(missed);

      // a picture for a human
      const pngPage = path.join(dir, "open.html");
      writeFileSync(pngPage, page);
      const png = await screenshot(pngPage, { out: path.join(dir, "workloads.png"), height: 2600 });
      const bytes = readFileSync(png);
      expect(bytes.subarray(1, 4).toString()).to.equal("PNG");
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).to.deep.equal([1400, 2600]);
      expect(bytes.length).to.be.above(50_000);
      const keep = process.env.EXLAB_SCREENSHOT_DIR;
      if (keep) {
        mkdirSync(keep, { recursive: true });
        copyFileSync(png, path.join(keep, "workloads.png"));
        copyFileSync(written.html, path.join(keep, "workloads.html"));
        t.diagnostic(`screenshot kept in ${path.join(keep, "workloads.png")}`);
      }
    },
  );
});
