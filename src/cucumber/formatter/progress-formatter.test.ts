import { describe, test } from "node:test";
import { expect } from "chai";
import { EventEmitter } from "node:events";
import type { IFormatterOptions } from "@cucumber/cucumber";
import type { Envelope } from "./envelopes";
import ExlabProgressFormatter from "./progress-formatter";

const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

function formatter(parsedArgvOptions: Record<string, unknown> = {}) {
  const bus = new EventEmitter();
  let out = "";
  const id = (s: string) => s;
  const colorFns = {
    forStatus: () => id,
    location: id,
    tag: id,
    diffAdded: id,
    diffRemoved: id,
    errorMessage: id,
    errorStack: id,
    warning: id,
  };
  const options = {
    colorFns,
    cwd: "/work",
    eventBroadcaster: bus,
    log: (s: string) => (out += s),
    parsedArgvOptions,
    stream: { isTTY: false },
    cleanup: async () => undefined,
  } as unknown as IFormatterOptions;
  const f = new ExlabProgressFormatter(options);
  return { f, send: (e: Envelope) => bus.emit("envelope", e), out: () => out };
}

function plan(send: (e: Envelope) => void): void {
  send({
    gherkinDocument: {
      uri: "f.feature",
      feature: {
        name: "Mesh",
        children: [
          { scenario: { id: "sc1", location: { line: 3 }, steps: [{ id: "g1", keyword: "Given " }] } },
          { scenario: { id: "sc2", location: { line: 6 }, steps: [{ id: "g2", keyword: "When " }] } },
        ],
      },
    },
  });
  send({
    pickle: {
      id: "p1",
      uri: "f.feature",
      name: "Slow one",
      location: { line: 3 },
      steps: [{ id: "ps1", text: "a slow step", astNodeIds: ["g1"] }],
      tags: [],
      astNodeIds: ["sc1"],
    },
  });
  send({
    pickle: {
      id: "p2",
      uri: "f.feature",
      name: "Quick one",
      location: { line: 6 },
      steps: [{ id: "ps2", text: "a quick step", astNodeIds: ["g2"] }],
      tags: [],
      astNodeIds: ["sc2"],
    },
  });
  send({ testRunStarted: { timestamp: ts(0) } });
  send({ testCase: { id: "t1", pickleId: "p1", testSteps: [{ id: "s1", pickleStepId: "ps1" }] } });
  send({ testCase: { id: "t2", pickleId: "p2", testSteps: [{ id: "s2", pickleStepId: "ps2" }] } });
}

describe("ExlabProgressFormatter", () => {
  test("scenarios running in parallel are printed as whole blocks, never interleaved", async () => {
    const { f, send, out } = formatter({ exlab: { reportDir: "reports/x" } });
    plan(send);
    send({ testCaseStarted: { id: "a1", testCaseId: "t1", attempt: 0, timestamp: ts(0) } });
    send({ testCaseStarted: { id: "a2", testCaseId: "t2", attempt: 0, timestamp: ts(10) } });
    send({ testStepStarted: { testCaseStartedId: "a1", testStepId: "s1", timestamp: ts(0) } });
    send({ testStepStarted: { testCaseStartedId: "a2", testStepId: "s2", timestamp: ts(10) } });
    send({
      testStepFinished: {
        testCaseStartedId: "a2",
        testStepId: "s2",
        timestamp: ts(60),
        testStepResult: { status: "PASSED", duration: ts(50) },
      },
    });
    send({ testCaseFinished: { testCaseStartedId: "a2", timestamp: ts(61), willBeRetried: false } });
    send({
      testStepFinished: {
        testCaseStartedId: "a1",
        testStepId: "s1",
        timestamp: ts(2000),
        testStepResult: { status: "FAILED", duration: ts(2000), message: "Error: boom\n    at x" },
      },
    });
    send({ testCaseFinished: { testCaseStartedId: "a1", timestamp: ts(2001), willBeRetried: false } });
    send({ testRunFinished: { timestamp: ts(2100), success: false } });
    await f.finished();
    const lines = out().trimEnd().split("\n");
    expect(lines[0]).to.equal("exlab · 2 scenarios planned");
    expect(lines[1]).to.equal("[00:00] ▶ 1/2 Mesh › Slow one  f.feature:3");
    expect(lines.slice(2, 5)).to.deep.equal([
      "[00:00] ▶ 2/2 Mesh › Quick one  f.feature:6",
      "          ✓ When a quick step  50 ms",
      "[00:00] ✓ passed in 51 ms",
    ]);
    expect(lines.slice(5, 9)).to.deep.equal([
      "          ✗ Given a slow step  2.00 s",
      "              Error: boom",
      "                  at x",
      "[00:02] ✗ failed in 2.00 s",
    ]);
    expect(lines)
      .to.include("2 scenarios (1 passed, 1 failed)")
      .and.include("2 steps (1 passed, 1 failed, 0 skipped)")
      .and.include("Total time: 2.10 s");
    expect(lines).to.include("      Given a slow step: Error: boom").and.include("Report: /work/reports/x/index.html");
    expect(lines[lines.length - 1]).to.equal("features: 1 passed, 1 failed");
  });

  test("without exlab options it prints no report path; a retried attempt is marked and not counted twice", async () => {
    const { f, send, out } = formatter();
    plan(send);
    for (const [attempt, status] of [
      [0, "FAILED"],
      [1, "PASSED"],
    ] as const) {
      const id = `a${attempt}`;
      send({ testCaseStarted: { id, testCaseId: "t1", attempt, timestamp: ts(attempt * 100) } });
      send({
        testStepFinished: {
          testCaseStartedId: id,
          testStepId: "s1",
          timestamp: ts(attempt * 100 + 50),
          testStepResult: { status, duration: ts(50) },
        },
      });
      send({
        testCaseFinished: { testCaseStartedId: id, timestamp: ts(attempt * 100 + 60), willBeRetried: attempt === 0 },
      });
    }
    send({ testRunFinished: { timestamp: ts(300), success: true } });
    await f.finished();
    expect(out())
      .to.contain("Slow one (retry 1)")
      .and.contain("✗ failed, will be retried")
      .and.contain("1 scenario (1 passed, 0 failed)");
    expect(out()).not.to.contain("Report:");
    expect(out().trimEnd().split("\n").pop()).to.equal("features: 1 passed, 0 failed");
  });
});
