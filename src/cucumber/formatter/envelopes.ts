/**
 * The parts of cucumber's message envelopes (@cucumber/messages) the formatters read. Declared here, so the
 * evidence layer depends only on @cucumber/cucumber, not on its transitive packages.
 */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

export interface GherkinStep {
  id: string;
  keyword: string;
}

export interface GherkinChild {
  background?: { steps: readonly GherkinStep[] };
  scenario?: { id: string; steps: readonly GherkinStep[]; location: { line: number } };
  rule?: { children: readonly GherkinChild[] };
}

/** A step of a pickle, with its doc string or data table. */
export interface PickleStep {
  id: string;
  text: string;
  astNodeIds: readonly string[];
  argument?: {
    docString?: { content: string; mediaType?: string };
    dataTable?: { rows: readonly { cells: readonly { value: string }[] }[] };
  };
}

export interface Envelope {
  gherkinDocument?: { uri?: string; feature?: { name: string; children: readonly GherkinChild[] } };
  pickle?: {
    id: string;
    uri: string;
    name: string;
    location?: { line: number };
    steps: readonly PickleStep[];
    tags: readonly { name: string }[];
    astNodeIds: readonly string[];
  };
  hook?: { id: string; name?: string; type?: string };
  testCase?: {
    id: string;
    pickleId: string;
    testSteps: readonly { id: string; pickleStepId?: string; hookId?: string }[];
  };
  testRunStarted?: { timestamp: Timestamp };
  testCaseStarted?: { id: string; testCaseId: string; attempt: number; timestamp: Timestamp };
  testStepStarted?: { testCaseStartedId: string; testStepId: string; timestamp: Timestamp };
  testStepFinished?: {
    testCaseStartedId: string;
    testStepId: string;
    timestamp: Timestamp;
    testStepResult: {
      status: string;
      duration: Timestamp;
      message?: string;
      exception?: { type: string; message?: string };
    };
  };
  testCaseFinished?: { testCaseStartedId: string; timestamp: Timestamp; willBeRetried: boolean };
  attachment?: { testCaseStartedId?: string; mediaType: string; body: string; contentEncoding: string };
  testRunFinished?: { timestamp: Timestamp; success: boolean; message?: string };
}

export function toMs(t: Timestamp | undefined): number {
  return t ? t.seconds * 1000 + Math.round(t.nanos / 1e6) : 0;
}
