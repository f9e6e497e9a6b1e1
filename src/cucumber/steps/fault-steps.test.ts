import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";
import type { Envelope } from "@cucumber/messages";
import type { FaultArgValue } from "../../lab";
import type { LabWorld } from "../world";
import { defineFaultSteps, type FaultStepCode } from "./fault-steps";

const root = path.join(__dirname, "..", "..", "..");
const fixtures = path.join(root, "src", "cucumber", "fixtures");
// Registers the throwaway verb "slow-start" (in dist/lab, the registry the steps read).
require(path.join(fixtures, "slow-start.js"));

describe("fault steps", () => {
  test("one step per phrase of the fault table, with the phrase's arity, applying its verb", async () => {
    const defined: [string, FaultStepCode][] = [];
    defineFaultSteps((phrase, code) => defined.push([phrase, code]));
    expect(defined.map(([phrase, code]) => [phrase, code.length])).to.deep.equal([
      ["the link between {string} and {string} is cut", 2],
      ["the link between {string} and {string} is blackholed", 2],
      ["the link between {string} and {string} heals", 2],
      ["the network heals", 0],
      ["{string} is isolated from the network", 1],
      ["{string} can no longer reach {string}", 2],
      ["the link between {string} and {string} gets {duration} of latency", 3],
      ["the link between {string} and {string} gets {duration} of latency with {duration} of jitter", 4],
      ["the link between {string} and {string} is limited to {int} KB\\/s", 3],
      ["the link between {string} and {string} starts slowly by {duration}", 3],
    ]);
    const calls: [string, readonly FaultArgValue[]][] = [];
    const world = {
      lab: { faults: { apply: async (verb: string, args: readonly FaultArgValue[]) => void calls.push([verb, args]) } },
    } as unknown as LabWorld;
    const step = (phrase: string) => defined.find(([p]) => p === phrase)![1];
    // Cucumber passes a callback after the phrase's parameters (unused: the steps return a promise).
    const callback = (() => {}) as unknown as FaultArgValue;
    const slowStart = step("the link between {string} and {string} starts slowly by {duration}");
    await slowStart.call(world, "alpha", "beta", 300, callback);
    await step("the network heals").call(world, callback);
    await step("{string} can no longer reach {string}").call(world, "gamma", "alpha", callback);
    expect(calls).to.deep.equal([
      ["slow-start", ["alpha", "beta", 300]],
      ["heal", []],
      ["one-way", ["gamma", "alpha"]],
    ]);
  });

  /** Runs the fixture feature with cucumber-js in a child process; its step statuses and attachments. */
  function runFeature(support: string[], dryRun: boolean) {
    const cli = path.join(root, "node_modules", "@cucumber", "cucumber", "bin", "cucumber.js");
    const args = [cli, ...support.flatMap((f) => ["--require", path.join(root, f)]), "--format", "message", "--strict"];
    const r = spawnSync(process.execPath, [...args, ...(dryRun ? ["--dry-run"] : []), "fault-steps.feature"], {
      cwd: fixtures,
      encoding: "utf8",
      timeout: 60_000,
    });
    const messages = r.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Envelope);
    return {
      status: r.status,
      output: r.stderr,
      statuses: messages.flatMap((m) => (m.testStepFinished ? [m.testStepFinished.testStepResult.status] : [])),
      attachments: messages.flatMap((m) => (m.attachment ? [JSON.parse(m.attachment.body)] : [])),
    };
  }

  test("cucumber finds every phrase, the registered verb's included, in the bundled steps (dry run)", () => {
    const run = runFeature(["src/cucumber/fixtures/slow-start.js", "dist/cucumber/steps/index.js"], true);
    expect(run.statuses, run.output).to.have.length.at.least(10);
    expect(run.statuses.filter((s) => s !== "SKIPPED")).to.deep.equal([]);
    expect(run.status, run.output).to.equal(0);
  });

  test("cucumber runs every phrase as its verb with the phrase's parameters", () => {
    const run = runFeature(
      ["src/cucumber/fixtures/slow-start.js", "src/cucumber/fixtures/fault-steps-world.js"],
      false,
    );
    expect(run.statuses, run.output).to.deep.equal(Array(10).fill("PASSED"));
    expect(run.attachments).to.deep.equal([
      ["cut", ["alpha", "beta"]],
      ["blackhole", ["alpha", "beta"]],
      ["heal", ["alpha", "beta"]],
      ["isolate", ["gamma"]],
      ["one-way", ["alpha", "beta"]],
      ["latency", ["alpha", "beta", 200]],
      ["latency", ["alpha", "beta", 200, 50]],
      ["bandwidth", ["alpha", "beta", 10]],
      ["heal", []],
      ["slow-start", ["alpha", "beta", 300]],
    ]);
    expect(run.status, run.output).to.equal(0);
  });
});
