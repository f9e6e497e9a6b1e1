/**
 * cucumber-js formatter that writes the run report (index.html + junit.xml) when the run finishes.
 *
 *   format: [["./dist/cucumber/formatter/report-formatter.js", "reports/exlab-formatter.log"]],
 *   formatOptions: { exlab: { reportDir: "reports/my-run" } }
 *
 * Histories come from attachments of media type application/vnd.exlab.history+json (the World attaches one
 * per scenario in an After hook). Its own output stream gets one line: where the report is.
 */
import { Formatter, type IFormatterOptions } from "@cucumber/cucumber";
import { RunCollector } from "./collect";
import { replayFeature } from "./replay";
import type { Envelope } from "./envelopes";
import { defaultRunId, type ExlabFormatOptions, exlabOptions, resolveReportDir } from "./options";
import type { RunReport, ScenarioReport } from "../../evidence";
import { writeRunReport, type WrittenReport } from "../../evidence";
import { messageOf } from "../../common";

export default class ExlabReportFormatter extends Formatter {
  static override readonly documentation =
    "Writes the exchange-lab run report (index.html, junit.xml) with histories, invariant results and timelines.";
  private readonly collector = new RunCollector();
  private writing?: Promise<WrittenReport>;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: IFormatterOptions) {
    super(options);
    this.env = (options as { env?: NodeJS.ProcessEnv }).env ?? process.env;
    const o = exlabOptions(options.parsedArgvOptions);
    options.eventBroadcaster.on("envelope", (e: Envelope) => {
      this.collector.handle(e);
      if (e.testRunFinished) {
        this.writing = this.write(o, options.cwd);
        this.writing.catch(() => undefined);
      }
    });
  }

  /** The run as collected so far (the report's input). */
  run(o?: ExlabFormatOptions): RunReport {
    const c = this.collector;
    const startedAt = c.runStartedAt ?? Date.now();
    return {
      runId: o?.runId ?? c.historyRunId() ?? defaultRunId(startedAt),
      startedAt,
      finishedAt: c.runFinishedAt ?? Date.now(),
      driver: o?.driver ?? this.env.LAB_DRIVER ?? (c.historyDrivers().join(", ") || undefined),
      scenarios: c.scenarios().map(withReplay),
    };
  }

  /** Waits for the report; a report that could not be written fails the run (ReportWriteError). */
  override async finished(): Promise<void> {
    try {
      await this.writing;
    } finally {
      await super.finished();
    }
  }

  private async write(o: ExlabFormatOptions | undefined, cwd: string): Promise<WrittenReport> {
    const run = this.run(o);
    try {
      const written = await writeRunReport(resolveReportDir(cwd, o, run.runId), run);
      this.log(`exlab report: ${written.html}\nexlab junit: ${written.junit}\n`);
      return written;
    } catch (err) {
      this.log(`exlab report NOT written: ${messageOf(err)}\n`);
      throw err;
    }
  }
}

/** A scenario that ran random fault schedules, with them written as named steps (the report's `replays/`). */
function withReplay(s: ScenarioReport): ScenarioReport {
  const replay = replayFeature(s);
  return replay ? { ...s, replay: { text: replay } } : s;
}
