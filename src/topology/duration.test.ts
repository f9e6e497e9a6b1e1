import { describe, test } from "node:test";
import { expect } from "chai";
import { DurationError, formatDuration, isDuration, parseDuration } from "./index";

describe("parseDuration", () => {
  const cases: [string, number][] = [
    ["200ms", 200],
    ["500 ms", 500],
    ["1s", 1000],
    ["1.5 s", 1500],
    ["5 seconds", 5000],
    ["1 second", 1000],
    ["2 minutes", 120_000],
    ["1m", 60_000],
    ["0.5 min", 30_000],
    ["1h", 3_600_000],
    ["3 hours", 10_800_000],
    [".25s", 250],
    ["0ms", 0],
    [" 10 MS ", 10],
    ["10 milliseconds", 10],
  ];
  for (const [text, ms] of cases) {
    test(`"${text}" is ${ms} ms`, () => {
      expect(parseDuration(text)).to.equal(ms);
      expect(isDuration(text)).to.equal(true);
    });
  }

  for (const bad of ["", "5", "fast", "-1s", "1 fortnight", "1s 2ms", "1,5 s", "ms"]) {
    test(`"${bad}" is rejected with a DurationError naming the text`, () => {
      expect(isDuration(bad)).to.equal(false);
      let caught: unknown;
      try {
        parseDuration(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(DurationError);
      expect((caught as DurationError).code).to.equal("DURATION_INVALID");
      expect((caught as DurationError).message)
        .to.contain(`"${bad}"`)
        .and.contain("1.5 s");
    });
  }

  test("formatDuration renders the shortest natural unit and round-trips", () => {
    expect([200, 1000, 1500, 60_000, 90_000, 3_600_000, 1234].map(formatDuration)).to.deep.equal([
      "200ms",
      "1s",
      "1.5s",
      "1m",
      "1.5m",
      "1h",
      "1234ms",
    ]);
    for (const ms of [200, 1500, 90_000, 3_600_000, 1234]) expect(parseDuration(formatDuration(ms))).to.equal(ms);
  });
});
