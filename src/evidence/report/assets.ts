/** The report's inline stylesheet and script (no network, no external fonts). */
export const CSS = `
:root { --ok:#1a7f37; --bad:#cf222e; --skip:#8c959f; --warn:#bf8700; --ink:#1f2328; --mute:#656d76; --line:#d0d7de; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
code, pre, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace; font-size: 12px; }
main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 60px; }
header.run { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: center; }
header.run h1 { font-size: 20px; margin: 0; flex-basis: 100%; }
header.run h1 .verdict { font-size: 13px; vertical-align: middle; margin-left: 8px; }
.stat { display: flex; flex-direction: column; }
.stat b { font-size: 18px; }
.stat span { color: var(--mute); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stat.bad b { color: var(--bad); } .stat.ok b { color: var(--ok); }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 700; color: #fff; background: var(--skip); text-transform: uppercase; letter-spacing: .03em; }
.badge.passed { background: var(--ok); } .badge.failed { background: var(--bad); } .badge.error { background: var(--warn); }
nav.toc { margin: 14px 0; display: flex; flex-wrap: wrap; gap: 6px; }
nav.toc a { text-decoration: none; color: var(--ink); background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 3px 10px; font-size: 13px; }
nav.toc a::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: var(--skip); }
nav.toc a.passed::before { background: var(--ok); } nav.toc a.failed::before { background: var(--bad); }
section.scenario { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 10px; margin: 14px 0; }
section.scenario.passed { border-left-color: var(--ok); } section.scenario.failed { border-left-color: var(--bad); }
section.scenario > details > summary { cursor: pointer; padding: 12px 16px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; list-style: none; }
section.scenario > details > summary::-webkit-details-marker { display: none; }
section.scenario > details > summary::before { content: "\\25B8"; color: var(--mute); }
section.scenario > details[open] > summary::before { content: "\\25BE"; }
summary .feature { color: var(--mute); } summary .name { font-weight: 700; font-size: 15px; }
summary .meta { margin-left: auto; color: var(--mute); font-size: 12px; }
.tag { color: #0550ae; background: #ddf4ff; border-radius: 4px; padding: 0 5px; font-size: 12px; }
.body { padding: 0 16px 16px 16px; }
.body h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--mute); margin: 18px 0 8px; }
.failure { background: #ffebe9; border: 1px solid #ffcecb; border-radius: 8px; padding: 10px 14px; }
.failure b { color: var(--bad); }
.failure pre { margin: 6px 0 0; white-space: pre-wrap; }
ol.steps { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
ol.steps li { display: grid; grid-template-columns: 30px 22px 1fr auto; gap: 6px; padding: 5px 10px; border-top: 1px solid #eaeef2; align-items: baseline; }
ol.steps li:first-child { border-top: 0; }
ol.steps .n { color: var(--mute); font-size: 12px; text-align: right; }
ol.steps .kw { font-weight: 700; }
ol.steps .dur { color: var(--mute); font-size: 12px; }
ol.steps .st::before { font-weight: 700; }
ol.steps li.passed .st::before { content: "\\2713"; color: var(--ok); }
ol.steps li.failed .st::before { content: "\\2717"; color: var(--bad); }
ol.steps li.skipped .st::before { content: "\\2013"; color: var(--skip); }
ol.steps li.undefined .st::before, ol.steps li.pending .st::before, ol.steps li.ambiguous .st::before { content: "?"; color: var(--warn); }
ol.steps li.skipped { color: var(--mute); }
ol.steps li.failed, ol.steps li.undefined, ol.steps li.ambiguous, ol.steps li.pending { background: #ffebe9; }
ol.steps li pre { grid-column: 3 / 5; margin: 4px 0 2px; white-space: pre-wrap; color: #82071e; background: #fff5f5; border-radius: 6px; padding: 6px 8px; }
.checks { display: flex; flex-wrap: wrap; gap: 6px; }
.check { border: 1px solid var(--line); border-radius: 6px; padding: 3px 9px; font-size: 12.5px; background: #fff; }
.check b { margin-right: 4px; }
.check.passed b { color: var(--ok); } .check.failed { border-color: #ffcecb; background: #ffebe9; } .check.failed b { color: var(--bad); } .check.error { background: #fff8c5; }
.check .n { color: var(--mute); }
.violation { border: 1px solid #ffcecb; border-radius: 8px; margin: 8px 0; padding: 8px 12px; background: #fffafa; }
.violation:hover { box-shadow: 0 0 0 2px #ffcecb; }
.violation .msg { margin: 2px 0 6px; }
table.proof { border-collapse: collapse; width: 100%; font-size: 12px; }
table.proof td { border-top: 1px solid #f0d0d0; padding: 2px 6px; vertical-align: top; }
table.proof td.t { color: var(--mute); white-space: nowrap; width: 70px; text-align: right; }
table.proof td.who { white-space: nowrap; font-weight: 600; width: 1%; }
details.notes { font-size: 12.5px; color: var(--mute); margin-top: 6px; }
.nohistory { color: var(--mute); font-style: italic; }
.timeline-box { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
svg.timeline { display: block; font-family: system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; }
svg.timeline .lane { fill: #fff; } svg.timeline .lane.alt { fill: #f6f8fa; }
svg.timeline .machine-sep { stroke: var(--line); }
svg.timeline .lane-label { font-size: 12px; } svg.timeline .machine { fill: #8c959f; } svg.timeline .proc { fill: var(--ink); font-weight: 600; } svg.timeline .proc.server { fill: #0550ae; }
svg.timeline .grid { stroke: #eaeef2; } svg.timeline .axis { stroke: var(--line); }
svg.timeline .tick { font-size: 10px; fill: var(--mute); text-anchor: middle; }
svg.timeline .band-label { font-size: 10.5px; fill: var(--mute); font-weight: 700; letter-spacing: .06em; text-transform: uppercase; }
svg.timeline .none { font-size: 11px; fill: #afb8c1; font-style: italic; }
svg.timeline .fault { --c: #57606a; }
svg.timeline .fault-cut, svg.timeline .fault-shade.fault-cut { --c: #cf222e; }
svg.timeline .fault-isolate { --c: #a40e26; } svg.timeline .fault-blackhole { --c: #6639ba; } svg.timeline .fault-one-way { --c: #bc4c00; }
svg.timeline .fault-latency { --c: #9a6700; } svg.timeline .fault-bandwidth { --c: #1b7c83; }
svg.timeline .fault-bar { fill: var(--c, #57606a); opacity: .88; }
svg.timeline .fault-label { fill: #fff; font-size: 10.5px; font-weight: 600; }
svg.timeline .fault-label.outside { fill: var(--c, #57606a); }
svg.timeline .fault-shade { fill: var(--c, #57606a); opacity: .09; }
svg.timeline .schedule-shade { fill: #8250df; fill-opacity: .06; stroke: #8250df; stroke-opacity: .5; stroke-dasharray: 4 3; }
svg.timeline .schedule-label { font-size: 10px; fill: #6639ba; }
table.schedule { border-collapse: collapse; font-size: 12px; margin: 4px 0 8px; }
table.schedule td, table.schedule th { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
svg.timeline .span-down { fill: url(#hatch); opacity: .9; }
svg.timeline .span-frozen { fill: #ddf4ff; stroke: #54aeff; stroke-dasharray: 3 2; }
svg.timeline .step-guide { stroke: #8c959f; stroke-dasharray: 3 3; opacity: .55; }
svg.timeline .step-guide.step-failed { stroke: var(--bad); opacity: .9; }
svg.timeline .step-failed-span { fill: var(--bad); opacity: .06; }
svg.timeline .step-mark rect { fill: #57606a; } svg.timeline .step-mark text { fill: #fff; font-size: 9.5px; font-weight: 700; text-anchor: middle; }
svg.timeline .step-mark.step-failed rect { fill: var(--bad); } svg.timeline .step-mark.step-skipped rect { fill: #afb8c1; }
svg.timeline .mark { cursor: default; }
svg.timeline .mark:hover, svg.timeline .hl { filter: drop-shadow(0 0 2px #0969da); }
svg.timeline .link-up { fill: var(--ok); } svg.timeline .link-down { fill: var(--bad); } svg.timeline .link-refused { fill: #fff; stroke: var(--bad); stroke-width: 1.2; }
svg.timeline .svc-offered { fill: #0969da; } svg.timeline .svc-seen { fill: #fff; stroke: #0969da; stroke-width: 1.6; }
svg.timeline .svc-gone { fill: #fff; stroke: #bc4c00; stroke-width: 1.6; }
svg.timeline .req-ok { fill: var(--ok); } svg.timeline .req-bad { fill: var(--bad); }
svg.timeline .report { fill: #8250df; } svg.timeline .report-cached { fill: #d8b9ff; }
svg.timeline .anomaly { fill: var(--warn); }
svg.timeline .life-crashed { stroke: var(--bad); stroke-width: 2.6; stroke-linecap: round; fill: none; }
svg.timeline .life-stopped, svg.timeline .life-exited { fill: #57606a; }
svg.timeline .life-frozen { fill: #0969da; } svg.timeline .life-thawed { fill: #54aeff; }
svg.timeline .life-started, svg.timeline .life-ready { fill: var(--ok); }
svg.timeline .proof-ring { fill: #ffebe9; stroke: var(--bad); stroke-width: 2; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--mute); padding: 8px 10px; border-top: 1px solid var(--line); background: #fff; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.legend svg { width: 16px; height: 16px; }
.workload { margin: 8px 0 20px; }
.workload h4 { margin: 10px 0 6px; font-size: 13.5px; font-weight: 600; }
.workload .wl-id { display: inline-block; background: #ddf4ff; color: #0550ae; border-radius: 4px; padding: 0 6px; margin-right: 4px; font-weight: 700; }
.wl-note { color: var(--mute); font-size: 12px; margin: 0 0 6px; }
svg.wl { display: block; font-family: system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; background: #fff; }
svg.wl .wl-panel { fill: #fff; stroke: var(--line); }
svg.wl .grid, svg.wl .wl-hgrid { stroke: #eaeef2; }
svg.wl .tick { font-size: 10px; fill: var(--mute); text-anchor: middle; }
svg.wl .wl-ytick { font-size: 10px; fill: var(--mute); text-anchor: end; }
svg.wl .wl-ylabel { font-size: 11px; fill: var(--ink); font-weight: 600; } svg.wl .wl-ylabel.sub { fill: var(--mute); font-weight: 400; }
svg.wl .wl-rowlabel { font-size: 11.5px; fill: var(--ink); } svg.wl .wl-rowlabel .sub { fill: var(--bad); font-weight: 700; font-size: 10.5px; }
svg.wl .wl-ops { fill: none; stroke-linecap: round; stroke-width: 3.2; }
svg.wl .wl-ops.ok { opacity: .5; }
svg.wl .wl-ops.bad { stroke-linecap: square; stroke-width: 3.4; opacity: .85; }
svg.wl .wl-ticks { fill: none; stroke-width: 1.2; }
svg.wl .wl-ticks.received { stroke: #8250df; } svg.wl .wl-ticks.cached { stroke: #d8b9ff; stroke-width: 2; }
svg.wl .wl-ticks.odd { stroke: #bf8700; stroke-width: 2; } svg.wl .wl-ticks.missed { stroke: #cf222e; stroke-width: 1.6; }
svg.wl .wl-bars.ok { fill: #1a7f37; opacity: .5; } svg.wl .wl-bars.bad { fill: #cf222e; opacity: .7; }
svg.wl .wl-fault { fill: var(--c, #57606a); opacity: .13; }
svg.wl .fault-cut { --c: #cf222e; } svg.wl .fault-isolate { --c: #a40e26; } svg.wl .fault-blackhole { --c: #6639ba; }
svg.wl .fault-one-way { --c: #bc4c00; } svg.wl .fault-latency { --c: #9a6700; } svg.wl .fault-bandwidth { --c: #1b7c83; }
svg.wl .wl-outage { opacity: .55; }
svg.wl .wl-heal { stroke: #1a7f37; stroke-dasharray: 2 3; }
svg.wl .wl-recovery path { stroke: #1a7f37; stroke-width: 1.6; fill: none; }
svg.wl .wl-recovery text { font-size: 10.5px; fill: #1a7f37; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.wl .wl-recovery.none text { fill: var(--bad); }
table.figures { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 4px; background: #fff; }
table.figures th, table.figures td { padding: 3px 10px; border-top: 1px solid #eaeef2; text-align: right; white-space: nowrap; }
table.figures tbody th, table.figures thead th:first-child { text-align: left; }
table.figures thead th { color: var(--mute); font-weight: 600; font-size: 11.5px; border-top: 0; }
table.figures td.bad { color: var(--bad); } table.figures .mute { color: var(--mute); white-space: normal; }
.recoveries { font-size: 12.5px; margin: 4px 0; } .recoveries ol { margin: 2px 0 6px; padding-left: 4px; list-style: none; } .recoveries .bad { color: var(--bad); }
footer { color: var(--mute); font-size: 12px; margin-top: 24px; text-align: center; }
`;

/** Hovering a violation lights up its proof events on that scenario's timeline. */
export const SCRIPT = `
document.querySelectorAll('.violation[data-ids]').forEach(function (v) {
  var ids = v.getAttribute('data-ids').split(' ');
  var scope = v.closest('section');
  function marks() {
    return Array.prototype.filter.call(scope.querySelectorAll('svg [data-ids]'), function (m) {
      return m.getAttribute('data-ids').split(' ').some(function (id) { return ids.indexOf(id) >= 0; });
    });
  }
  v.addEventListener('mouseenter', function () { marks().forEach(function (m) { m.classList.add('hl'); }); });
  v.addEventListener('mouseleave', function () { marks().forEach(function (m) { m.classList.remove('hl'); }); });
});
`;
