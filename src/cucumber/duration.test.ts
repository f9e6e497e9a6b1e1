import { describe, test } from "node:test";
import { expect } from "chai";
import { DURATION_PATTERN, durationParameter } from "./duration";

const whole = new RegExp(`^(?:${DURATION_PATTERN.source})$`);

describe("{duration} parameter type", () => {
  test("accepts the phrasings of DESIGN §5 and converts them through the topology's parser", () => {
    const cases: [string, number][] = [
      ["5 seconds", 5000],
      ["500 ms", 500],
      ["1.5 s", 1500],
      ["200ms", 200],
      ["1 second", 1000],
      ["2 minutes", 120000],
    ];
    for (const [text, ms] of cases) {
      expect(whole.test(text), text).to.equal(true);
      expect(durationParameter(text), text).to.equal(ms);
    }
  });

  test("rejects a bare number and unknown units", () => {
    for (const text of ["5", "5 parsecs", "s", "1.5"]) expect(whole.test(text), text).to.equal(false);
  });
});
