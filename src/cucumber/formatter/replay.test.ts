import { describe, test } from "node:test";
import { expect } from "chai";
import type { RecordedSchedule, ScenarioHistory } from "../../evidence";
import { replayFeature } from "./replay";

const schedule: RecordedSchedule = {
  id: 0,
  t: 0,
  kind: "schedule",
  step: { index: 2, text: "random faults strike for 5 seconds:" },
  seed: 7,
  from: 1000,
  to: 4000,
  settings: {
    windowMs: 5000,
    weights: { cut: 1 },
    atOnce: 1,
    lasting: [1000, 1000],
    between: [500, 500],
    recoveryMs: 20_000,
    quietMs: 1500,
  },
  faults: [{ n: 1, kind: "cut", targets: ["alpha", "beta"], at: 500, lasting: 1000 }],
  actions: [
    {
      fault: 1,
      phase: "start",
      step: 'the link between "alpha" and "beta" is cut',
      at: 500,
      startedAt: 500,
      durationMs: 10,
    },
    {
      fault: 1,
      phase: "end",
      step: 'the link between "alpha" and "beta" heals',
      at: 1500,
      startedAt: 1500,
      durationMs: 10,
    },
  ],
};
const history = { events: [schedule] } as unknown as ScenarioHistory;

describe("replayFeature", () => {
  test("the scenario as written, its random step replaced by the named steps it realized", () => {
    const text = replayFeature({
      feature: "Chaos",
      name: "A | tricky name",
      uri: "features/chaos.feature",
      line: 4,
      tags: ["@processes"],
      history,
      source: [
        {
          keyword: "Given ",
          text: "this topology is running:",
          docString: { content: 'name: x\n"""quoted"""', mediaType: "yaml" },
        },
        {
          keyword: "And ",
          text: "the services seen are:",
          dataTable: [
            ["process", "a|b"],
            ["x\\y", "yes"],
          ],
        },
        { keyword: "When ", text: "random faults strike for 5 seconds:", dataTable: [["cut", "1"]] },
        { keyword: "Then ", text: "every invariant holds" },
      ],
    })!;
    expect(text.split("\n")).to.deep.equal([
      '# The random faults of "A | tricky name" (features/chaos.feature:4), seed 7, written by exlab as named steps:',
      "# no randomness; the same faults, targets and offsets. Run it with: exlab run <this file>",
      "Feature: Chaos",
      "",
      "  @processes",
      "  Scenario: A | tricky name (seed 7, replayed)",
      "    Given this topology is running:",
      "      ```yaml",
      "      name: x",
      '      """quoted"""',
      "      ```",
      "    And the services seen are:",
      "      | process | a\\|b |",
      "      | x\\\\y | yes |",
      "    # When random faults strike for 5 seconds:  (seed 7)",
      "    When 500 ms pass",
      '    When the link between "alpha" and "beta" is cut',
      "    When 990 ms pass",
      '    When the link between "alpha" and "beta" heals',
      "    Then within 20 seconds the lab has recovered",
      "    When 1.5 seconds pass",
      "    Then every invariant holds",
      "",
    ]);
  });

  test("nothing for a scenario that ran no schedule", () => {
    expect(
      replayFeature({
        feature: "F",
        name: "n",
        tags: [],
        history: { events: [] } as unknown as ScenarioHistory,
        source: [],
      }),
    ).to.equal(undefined);
  });
});
