import path from "node:path";
import { describe, test } from "node:test";
import { expect } from "chai";
import { exlab, shrinkProof, tempDir } from "./shrink-test-kit";

// The proof on processes (shrink-test-kit.ts; shrink.docker.test.ts runs it on containers), then what a
// shrink says when there is nothing to shrink.
describe("exlab shrink", () => {
  const { report } = shrinkProof("processes");

  test("a failure that does not come back when replayed is called flaky, and nothing is shrunk", () => {
    // The same report, its candidates run on the real exchange: the failure cannot reproduce.
    const r = exlab(["shrink", report, "--out", path.join(tempDir(), "never.feature")]);
    expect(r.status, r.output).to.equal(3);
    expect(r.output).to.match(/did not come back when its realized schedule was replayed \(it passed\)/);
    expect(r.output).to.match(/shrink: run 1 · /);
    expect(r.output).not.to.match(/shrink: run 2 · /);
  });

  test("feature:line runs the scenario first; one that passes has nothing to shrink", () => {
    const fixture = path.join(__dirname, "..", "..", "src", "cucumber", "fixtures", "random-seed.feature");
    const r = exlab(["shrink", `${fixture}:3`, "--seed", "42"], {}, tempDir());
    expect(r.status, r.output).to.equal(2);
    expect(r.output).to.contain('"Random faults with no seed of their own" passed: nothing to shrink');
  });
});
