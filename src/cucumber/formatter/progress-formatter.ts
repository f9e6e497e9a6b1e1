/**
 * cucumber-js formatter for the console: which scenario and step run, how long they took, and a summary that
 * ends with `features: N passed, N failed` (scenario counts). On a TTY the running step shows a live elapsed
 * time; elsewhere (CI logs) lines are only appended, with a "still running" line for long steps.
 * Scenarios that run in parallel are printed as whole blocks when they finish.
 */
import { Formatter, type IFormatterOptions } from "@cucumber/cucumber";
import { RunCollector, statusOf } from "./collect";
import { type Envelope, toMs } from "./envelopes";
import { defaultRunId, type ExlabFormatOptions, exlabOptions, resolveReportDir } from "./options";
import { firstError } from "../../evidence";
import { duration, firstLine, plural } from "../../evidence";
import path from "node:path";

const MARK: Record<string, string> = {
  passed: "✓",
  failed: "✗",
  skipped: "-",
  undefined: "?",
  pending: "?",
  ambiguous: "?",
};
const INDENT = "          ";
/** The media type of cucumber's `this.log(text)`. */
const LOG_MEDIA_TYPE = "text/x.cucumber.log+plain";

interface Live {
  id: string;
  lines: string[];
  step?: { text: string; startedAt: number };
}

export default class ExlabProgressFormatter extends Formatter {
  static override readonly documentation =
    "exchange-lab console progress: scenario, step and elapsed time; summary with counts, failures and the report path.";
  private readonly collector = new RunCollector();
  private readonly o?: ExlabFormatOptions;
  private readonly tty: boolean;
  private readonly live = new Map<string, Live>();
  private owner?: string;
  private started = 0;
  private timer?: NodeJS.Timeout;
  private liveLine = false;

  constructor(options: IFormatterOptions) {
    super(options);
    this.o = exlabOptions(options.parsedArgvOptions);
    this.tty = (options.stream as { isTTY?: boolean }).isTTY === true;
    options.eventBroadcaster.on("envelope", (e: Envelope) => {
      this.collector.handle(e);
      this.onEnvelope(e);
    });
  }

  override async finished(): Promise<void> {
    this.stopTimer();
    await super.finished();
  }

  private onEnvelope(e: Envelope): void {
    if (e.testCaseStarted) this.caseStarted(e.testCaseStarted.id);
    else if (e.testStepStarted) this.stepStarted(e.testStepStarted);
    else if (e.testStepFinished) this.stepFinished(e.testStepFinished);
    else if (e.testCaseFinished)
      this.caseFinished(e.testCaseFinished.testCaseStartedId, e.testCaseFinished.willBeRetried);
    else if (e.attachment) this.attached(e.attachment);
    else if (e.testRunFinished) this.summary();
  }

  private caseStarted(id: string): void {
    const a = this.collector.attempt(id);
    if (!a) return;
    if (this.started++ === 0) this.print(`exlab · ${plural(this.collector.planned, "scenario")} planned`);
    const retry = a.attempt > 0 ? ` (retry ${a.attempt})` : "";
    const where = a.pickle.location ? `${a.pickle.uri}:${a.pickle.location.line}` : a.pickle.uri;
    const feature = this.collector.report(a).feature;
    const live: Live = { id, lines: [] };
    this.live.set(id, live);
    if (this.owner === undefined) this.owner = id;
    this.emit(
      live,
      `[${this.clock(a.startedAt)}] ▶ ${this.started}/${this.collector.planned} ${feature} › ${a.pickle.name}${retry}  ${this.colorFns.location(where)}`,
    );
  }

  private stepStarted(s: NonNullable<Envelope["testStepStarted"]>): void {
    const live = this.live.get(s.testCaseStartedId);
    const a = this.collector.attempt(s.testCaseStartedId);
    if (!live || !a) return;
    const label = this.collector.stepLabel(a, s.testStepId);
    live.step = { text: `${label.keyword}${label.text}`, startedAt: toMs(s.timestamp) };
    if (live.id === this.owner) this.startTimer(live);
  }

  private stepFinished(s: NonNullable<Envelope["testStepFinished"]>): void {
    const live = this.live.get(s.testCaseStartedId);
    const a = this.collector.attempt(s.testCaseStartedId);
    if (!live || !a) return;
    if (live.id === this.owner) this.stopTimer();
    live.step = undefined;
    const label = this.collector.stepLabel(a, s.testStepId);
    const status = statusOf(s.testStepResult.status);
    if (label.hook && status !== "failed") return;
    const color = this.paint(s.testStepResult.status);
    this.emit(
      live,
      `${INDENT}${color(`${MARK[status]} ${label.keyword}${label.text}`)}  ${duration(toMs(s.testStepResult.duration))}`,
    );
    const message = s.testStepResult.message ?? s.testStepResult.exception?.message;
    if (message && status === "failed")
      for (const line of message.split("\n").slice(0, 6)) this.emit(live, `${INDENT}    ${color(line)}`);
  }

  /** A step's `this.log(…)` (the seed of a random schedule): printed under the running step. */
  private attached(att: NonNullable<Envelope["attachment"]>): void {
    const live = att.testCaseStartedId ? this.live.get(att.testCaseStartedId) : undefined;
    if (!live || att.mediaType !== LOG_MEDIA_TYPE) return;
    const text = att.contentEncoding === "BASE64" ? Buffer.from(att.body, "base64").toString("utf8") : att.body;
    for (const line of text.split("\n")) this.emit(live, `${INDENT}  ℹ ${line}`);
  }

  private caseFinished(id: string, willBeRetried: boolean): void {
    const live = this.live.get(id);
    const a = this.collector.attempt(id);
    if (!live || !a) return;
    const r = this.collector.report(a);
    const verdict = willBeRetried ? "failed, will be retried" : r.verdict;
    const color = this.paint(r.verdict === "failed" ? "FAILED" : r.verdict === "passed" ? "PASSED" : "SKIPPED");
    this.emit(
      live,
      `[${this.clock(a.finishedAt ?? a.startedAt)}] ${color(`${MARK[r.verdict]} ${verdict}`)} in ${duration(r.durationMs)}`,
    );
    this.live.delete(id);
    if (id !== this.owner) this.print(live.lines.join("\n"));
    else this.owner = undefined;
    if (this.owner === undefined) {
      const next = this.live.values().next().value as Live | undefined;
      if (next) {
        this.owner = next.id;
        if (next.lines.length) this.print(next.lines.join("\n"));
        next.lines = [];
        if (next.step) this.startTimer(next);
      }
    }
  }

  private summary(): void {
    this.stopTimer();
    const c = this.collector;
    const scenarios = c.scenarios();
    const steps = scenarios.flatMap((s) => s.steps.filter((st) => !st.hook));
    const count = (list: { status?: string; verdict?: string }[], k: string) =>
      list.filter((x) => (x.verdict ?? x.status) === k).length;
    const failedSteps = steps.filter((s) => s.status !== "passed" && s.status !== "skipped").length;
    const passed = count(scenarios, "passed");
    const failed = count(scenarios, "failed");
    const skipped = count(scenarios, "skipped");
    const out = ["─".repeat(60)];
    out.push(
      `${plural(scenarios.length, "scenario")} (${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""})`,
    );
    out.push(
      `${plural(steps.length, "step")} (${count(steps, "passed")} passed, ${failedSteps} failed, ${count(steps, "skipped")} skipped)`,
    );
    out.push(`Total time: ${duration((c.runFinishedAt ?? 0) - (c.runStartedAt ?? 0))}`);
    const failing = scenarios.filter((s) => s.verdict === "failed");
    if (failing.length > 0) {
      out.push("Failing scenarios:");
      for (const s of failing) {
        out.push(
          `  ${this.paint("FAILED")(`✗ ${s.uri}${s.line !== undefined ? `:${s.line}` : ""} ${s.name}`)}\n      ${firstLine(firstError(s))}`,
        );
        if (s.history?.logsDir) out.push(`      logs: ${s.history.logsDir}`);
      }
    }
    if (this.o) {
      const runId = this.o.runId ?? c.historyRunId() ?? defaultRunId(c.runStartedAt ?? Date.now());
      out.push(`Report: ${path.join(resolveReportDir(this.cwd, this.o, runId), "index.html")}`);
    }
    out.push(`features: ${passed} passed, ${failed} failed`);
    this.print(out.join("\n"));
  }

  private paint(status: string): (s: string) => string {
    return (this.colorFns.forStatus(status as never) as ((s: string) => string) | undefined) ?? ((s) => s);
  }

  private emit(live: Live, line: string): void {
    if (live.id === this.owner) this.print(line);
    else live.lines.push(line);
  }

  private print(text: string): void {
    if (this.liveLine) {
      this.log("\r\u001b[2K");
      this.liveLine = false;
    }
    this.log(`${text}\n`);
  }

  private clock(at: number): string {
    const s = Math.max(0, Math.round((at - (this.collector.runStartedAt ?? at)) / 1000));
    return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  }

  private startTimer(live: Live): void {
    this.stopTimer();
    const every = this.tty ? 500 : Math.max(1000, this.o?.heartbeatMs ?? 15_000);
    this.timer = setInterval(() => {
      if (!live.step) return;
      const elapsed = duration(Date.now() - live.step.startedAt);
      if (this.tty) {
        this.log(`\r\u001b[2K${INDENT}… ${live.step.text}  ${elapsed}`);
        this.liveLine = true;
      } else this.print(`${INDENT}… still running: ${live.step.text}  ${elapsed}`);
    }, every);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.liveLine) {
      this.log("\r\u001b[2K");
      this.liveLine = false;
    }
  }
}
