import { runCheckers } from "../checkers";
import type { CheckResult } from "../checkers/types";
import type { RecordedEvent, ScenarioHistory } from "../history";
import { describeExchange, describeRecorded } from "./describe";
import { duration, esc, firstLine } from "./text";
import { renderTimeline } from "./timeline";
import type { ScenarioReport, StepReport } from "./types";
import { workloadsHtml } from "./workloads-html";
import { schedulesHtml } from "./schedules-html";

export function scenarioHtml(s: ScenarioReport, anchor: string): string {
  const checks = s.history ? (s.history.checks ?? runCheckers(s.history)) : undefined;
  const computed = s.history !== undefined && s.history.checks === undefined;
  const failedStep = s.steps.findIndex((st) => isFailure(st));
  const proofIds = new Set((checks ?? []).flatMap((c) => c.violations.flatMap((v) => v.events.map((e) => e.id))));
  const where = s.uri ? `${s.uri}${s.line !== undefined ? `:${s.line}` : ""}` : "";
  return `<section class="scenario ${s.verdict}" id="${anchor}">
<details${s.verdict === "failed" ? " open" : ""}>
<summary><span class="badge ${s.verdict}">${s.verdict}</span><span class="feature">${esc(s.feature)} ›</span><span class="name">${esc(s.name)}</span>${s.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join("")}<span class="meta">${esc(where)} · ${duration(s.durationMs)}</span></summary>
<div class="body">
${failureBanner(s, failedStep)}
<h3>Steps</h3>
<ol class="steps">${s.steps.map((st, i) => stepHtml(st, i)).join("")}</ol>
<h3>Invariants${computed ? " <small>(computed by the report; the lab did not attach results)</small>" : ""}</h3>
${checks ? checksHtml(checks, s.history as ScenarioHistory) : s.historyError ? `<div class="failure"><b>The attached history could not be read</b><pre>${esc(s.historyError)}</pre></div>` : `<p class="nohistory">No recorded history was attached to this scenario, so no invariant was checked.</p>`}
<h3>Timeline</h3>
${s.history ? timelineHtml(s.history, proofIds) : `<p class="nohistory">No recorded history.</p>`}
${schedulesHtml(s)}
${s.history ? workloadsHtml(s.history, anchor) : ""}
</div>
</details>
</section>`;
}

export function isFailure(st: StepReport): boolean {
  return st.status === "failed" || st.status === "undefined" || st.status === "pending" || st.status === "ambiguous";
}

function failureBanner(s: ScenarioReport, failedStep: number): string {
  if (s.verdict !== "failed") return "";
  const st = failedStep >= 0 ? s.steps[failedStep] : undefined;
  const head = st
    ? `Failed at step ${failedStep + 1}: <b>${esc(st.keyword)}${esc(st.text)}</b> (${esc(st.status)})`
    : `<b>Failed</b>`;
  const message = st?.error ?? s.error ?? (st ? `Step is ${st.status}.` : "");
  const logs = s.history?.logsDir
    ? `<p>Logs of its machines, processes and fault proxy: <code>${esc(s.history.logsDir)}</code></p>`
    : "";
  return `<div class="failure">${head}<pre>${esc(message)}</pre>${logs}</div>`;
}

function stepHtml(st: StepReport, i: number): string {
  const err =
    st.error && isFailure(st)
      ? `<pre>${esc(firstLine(st.error))}</pre>`
      : isFailure(st) && st.status !== "failed"
        ? `<pre>Step is ${esc(st.status)}.</pre>`
        : "";
  const kw = st.hook ? "" : `<span class="kw">${esc(st.keyword.trim())}</span> `;
  return `<li class="${st.status}"><span class="n">${i + 1}</span><span class="st" title="${st.status}"></span><span>${kw}${esc(st.text)}</span><span class="dur">${duration(st.durationMs)}</span>${err}</li>`;
}

function checksHtml(checks: CheckResult[], h: ScenarioHistory): string {
  const chips = checks
    .map(
      (c) =>
        `<span class="check ${c.status}" title="${esc(c.notes.join("\n"))}"><b>${c.status === "passed" ? "\u2713" : c.status === "failed" ? "\u2717" : "!"} ${c.invariant}</b>${esc(c.title)} <span class="n">(${c.checked} checked)</span></span>`,
    )
    .join("");
  const violations = checks.flatMap((c) =>
    c.violations.map(
      (v) =>
        `<div class="violation" data-ids="${v.events.map((e) => e.id).join(" ")}"><b>${v.invariant} ${esc(v.title)}</b><div class="msg">${esc(v.message)}</div><table class="proof">${v.events.map((e) => proofRow(e, h.events[e.id] ?? e)).join("")}</table></div>`,
    ),
  );
  const errors = checks
    .filter((c) => c.error)
    .map(
      (c) => `<div class="violation"><b>${c.invariant} ${esc(c.title)}</b><div class="msg">${esc(c.error)}</div></div>`,
    );
  const notes = checks.flatMap((c) => c.notes.map((n) => `<li><b>${c.invariant}</b> ${esc(n)}</li>`));
  return `<div class="checks">${chips}</div>${violations.join("")}${errors.join("")}${notes.length ? `<details class="notes"><summary>${notes.length} note${notes.length === 1 ? "" : "s"} from the checkers</summary><ul>${notes.join("")}</ul></details>` : ""}`;
}

function proofRow(e: RecordedEvent, full: RecordedEvent): string {
  const who =
    full.kind === "exchange"
      ? `${full.process} #${full.event.seq}`
      : full.kind === "lifecycle"
        ? full.target
        : full.kind;
  const what = full.kind === "exchange" ? describeExchange(full.event) : describeRecorded(full);
  return `<tr><td class="t">${(e.t / 1000).toFixed(3)} s</td><td class="who">${esc(who)}</td><td class="mono">${esc(what)}</td></tr>`;
}

function timelineHtml(h: ScenarioHistory, proofIds: Set<number>): string {
  return `<div class="timeline-box">${renderTimeline(h, { highlight: proofIds })}${LEGEND}</div>`;
}

const icon = (cls: string, body: string) =>
  `<svg class="timeline" viewBox="-8 -8 16 16"><g class="mark ${cls}">${body}</g></svg>`;
const LEGEND = `<div class="legend">
<span>${icon("link-up", `<polygon points="0,-4 4,3 -4,3"/>`)}link active</span>
<span>${icon("link-down", `<polygon points="0,4 4,-3 -4,-3"/>`)}link closed</span>
<span>${icon("link-refused", `<polygon points="0,4 4,-3 -4,-3"/>`)}dial refused</span>
<span>${icon("svc-offered", `<circle r="3.5"/>`)}service offered</span>
<span>${icon("svc-seen", `<circle r="3.5"/>`)}service seen</span>
<span>${icon("svc-gone", `<circle r="3.5"/><line x1="-2.5" x2="2.5" y1="0" y2="0"/>`)}service withdrawn</span>
<span>${icon("req-ok", `<polygon points="0,-4.5 4,0 0,4.5 -4,0"/>`)}reply</span>
<span>${icon("req-bad", `<polygon points="0,-4.5 4,0 0,4.5 -4,0"/>`)}request failed</span>
<span>${icon("report", `<rect x="-1.2" y="-4" width="2.4" height="8"/>`)}report</span>
<span>${icon("report-cached", `<rect x="-1.2" y="-4" width="2.4" height="8"/>`)}cached report</span>
<span>${icon("life-crashed", `<path d="M-5,-5 L5,5 M5,-5 L-5,5"/>`)}crash</span>
<span>${icon("life-frozen", `<rect x="-5" y="-6" width="3.5" height="12"/><rect x="1.5" y="-6" width="3.5" height="12"/>`)}freeze</span>
<span>${icon("life-started", `<polygon points="-4,-6 6,0 -4,6"/>`)}start</span>
<span>${icon("proof", `<circle class="proof-ring" r="6"/>`)}proof of a violation</span>
<span>hover any mark for details</span>
</div>`;

export function firstError(s: ScenarioReport): string {
  const st = s.steps.find(isFailure);
  if (!st) return firstLine(s.error);
  return `${st.keyword}${st.text}: ${firstLine(st.error) || `step is ${st.status}`}`;
}
