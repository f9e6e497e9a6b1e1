/**
 * Turns cucumber's envelope stream into {@link ScenarioReport}s: steps with keyword, status, duration and
 * error; failed hooks; the final attempt of each test case; and the history the World attached.
 */
import { parseHistory } from "../../evidence";
import { HISTORY_MEDIA_TYPE, type ScenarioHistory, type StepStatus } from "../../evidence";
import type { ScenarioReport, StepReport } from "../../evidence";
import { type Envelope, toMs } from "./envelopes";
import { stepSources } from "./replay";
import { messageOf } from "../../common";

type Pickle = NonNullable<Envelope["pickle"]>;
type TestCase = NonNullable<Envelope["testCase"]>;

interface Attempt {
  id: string;
  testCase: TestCase;
  pickle: Pickle;
  attempt: number;
  startedAt: number;
  finishedAt?: number;
  willBeRetried?: boolean;
  results: Map<string, NonNullable<Envelope["testStepFinished"]>["testStepResult"]>;
  history?: ScenarioHistory;
  historyError?: string;
}

export class RunCollector {
  runStartedAt?: number;
  runFinishedAt?: number;
  readonly attempts: Attempt[] = [];
  private readonly byId = new Map<string, Attempt>();
  private readonly pickles = new Map<string, Pickle>();
  private readonly testCases = new Map<string, TestCase>();
  private readonly hooks = new Map<string, NonNullable<Envelope["hook"]>>();
  private readonly keywords = new Map<string, string>();
  private readonly features = new Map<string, string>();

  handle(e: Envelope): void {
    if (e.gherkinDocument) this.indexDocument(e.gherkinDocument);
    else if (e.pickle) this.pickles.set(e.pickle.id, e.pickle);
    else if (e.hook) this.hooks.set(e.hook.id, e.hook);
    else if (e.testCase) this.testCases.set(e.testCase.id, e.testCase);
    else if (e.testRunStarted) this.runStartedAt = toMs(e.testRunStarted.timestamp);
    else if (e.testCaseStarted) this.started(e.testCaseStarted);
    else if (e.testStepFinished)
      this.byId
        .get(e.testStepFinished.testCaseStartedId)
        ?.results.set(e.testStepFinished.testStepId, e.testStepFinished.testStepResult);
    else if (e.attachment) this.attached(e.attachment);
    else if (e.testCaseFinished) {
      const a = this.byId.get(e.testCaseFinished.testCaseStartedId);
      if (a) {
        a.finishedAt = toMs(e.testCaseFinished.timestamp);
        a.willBeRetried = e.testCaseFinished.willBeRetried;
      }
    } else if (e.testRunFinished) this.runFinishedAt = toMs(e.testRunFinished.timestamp);
  }

  /** Test cases planned for the run. */
  get planned(): number {
    return this.testCases.size;
  }

  attempt(testCaseStartedId: string): Attempt | undefined {
    return this.byId.get(testCaseStartedId);
  }

  /** The text of a test step: its Gherkin line, or "Before hook"/"After hook". */
  stepLabel(a: Attempt, testStepId: string): { keyword: string; text: string; hook?: "before" | "after" } {
    const steps = a.testCase.testSteps;
    const i = steps.findIndex((s) => s.id === testStepId);
    const step = steps[i];
    if (!step?.pickleStepId) {
      const hook = step?.hookId ? this.hooks.get(step.hookId) : undefined;
      const firstPickleStep = steps.findIndex((s) => s.pickleStepId !== undefined);
      const kind =
        hook?.type === "AFTER_TEST_CASE" || (hook?.type === undefined && firstPickleStep >= 0 && i > firstPickleStep)
          ? "after"
          : "before";
      return {
        keyword: "",
        text: `${kind === "after" ? "After" : "Before"} hook${hook?.name ? ` "${hook.name}"` : ""}`,
        hook: kind,
      };
    }
    const ps = a.pickle.steps.find((p) => p.id === step.pickleStepId);
    return { keyword: this.keywords.get(ps?.astNodeIds[0] ?? "") ?? "", text: ps?.text ?? "?" };
  }

  /** Final attempts of finished test cases, in start order. */
  scenarios(): ScenarioReport[] {
    return this.attempts.filter((a) => a.finishedAt !== undefined && !a.willBeRetried).map((a) => this.report(a));
  }

  report(a: Attempt): ScenarioReport {
    const steps: StepReport[] = [];
    for (const ts of a.testCase.testSteps) {
      const r = a.results.get(ts.id);
      const status = statusOf(r?.status);
      const label = this.stepLabel(a, ts.id);
      if (label.hook && status !== "failed") continue;
      const error = r?.message ?? r?.exception?.message;
      steps.push({ ...label, status, durationMs: toMs(r?.duration), ...(error ? { error } : {}) });
    }
    const failed = steps.find(
      (s) => s.status === "failed" || s.status === "undefined" || s.status === "pending" || s.status === "ambiguous",
    );
    const ran = steps.some((s) => s.status !== "skipped");
    const scheduled = a.history?.events.some((e) => e.kind === "schedule");
    return {
      feature: this.features.get(a.pickle.uri) ?? a.pickle.uri,
      name: a.pickle.name,
      uri: a.pickle.uri,
      ...(a.pickle.location ? { line: a.pickle.location.line } : {}),
      tags: a.pickle.tags.map((t) => t.name),
      steps,
      verdict: failed ? "failed" : ran ? "passed" : "skipped",
      ...(failed
        ? { error: `${failed.keyword}${failed.text}: ${(failed.error ?? `step is ${failed.status}`).split("\n")[0]}` }
        : {}),
      startedAt: a.startedAt,
      durationMs: (a.finishedAt ?? a.startedAt) - a.startedAt,
      ...(a.history ? { history: a.history } : {}),
      ...(a.historyError ? { historyError: a.historyError } : {}),
      ...(scheduled ? { source: stepSources(a.pickle.steps, (id) => this.keywords.get(id) ?? "") } : {}),
    };
  }

  /** The runId of the first attached history, if any. */
  historyRunId(): string | undefined {
    return this.attempts.find((a) => a.history)?.history?.runId;
  }

  historyDrivers(): string[] {
    return [...new Set(this.attempts.flatMap((a) => (a.history?.driver ? [a.history.driver] : [])))];
  }

  private started(s: NonNullable<Envelope["testCaseStarted"]>): void {
    const testCase = this.testCases.get(s.testCaseId);
    const pickle = testCase ? this.pickles.get(testCase.pickleId) : undefined;
    if (!testCase || !pickle) return;
    const a: Attempt = {
      id: s.id,
      testCase,
      pickle,
      attempt: s.attempt,
      startedAt: toMs(s.timestamp),
      results: new Map(),
    };
    this.attempts.push(a);
    this.byId.set(s.id, a);
  }

  private attached(att: NonNullable<Envelope["attachment"]>): void {
    const a = att.testCaseStartedId ? this.byId.get(att.testCaseStartedId) : undefined;
    if (!a || att.mediaType !== HISTORY_MEDIA_TYPE) return;
    try {
      a.history = parseHistory(
        att.contentEncoding === "BASE64" ? Buffer.from(att.body, "base64").toString("utf8") : att.body,
      );
      delete a.historyError;
    } catch (err) {
      a.historyError = messageOf(err);
    }
  }

  private indexDocument(doc: NonNullable<Envelope["gherkinDocument"]>): void {
    if (!doc.feature) return;
    if (doc.uri) this.features.set(doc.uri, doc.feature.name);
    const walk = (children: readonly GherkinChildLike[]) => {
      for (const c of children) {
        for (const st of [...(c.background?.steps ?? []), ...(c.scenario?.steps ?? [])])
          this.keywords.set(st.id, st.keyword);
        if (c.rule) walk(c.rule.children);
      }
    };
    walk(doc.feature.children);
  }
}

type GherkinChildLike = NonNullable<NonNullable<Envelope["gherkinDocument"]>["feature"]>["children"][number];

export function statusOf(s: string | undefined): StepStatus {
  switch (s) {
    case "PASSED":
      return "passed";
    case "FAILED":
      return "failed";
    case "PENDING":
      return "pending";
    case "UNDEFINED":
      return "undefined";
    case "AMBIGUOUS":
      return "ambiguous";
    default:
      return "skipped";
  }
}
