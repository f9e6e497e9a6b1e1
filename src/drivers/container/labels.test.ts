import { describe, test } from "node:test";
import { expect } from "chai";
import { InvalidRunIdError } from "./errors";
import { assertRunId, LABEL_KIND, LABEL_MANAGED, LABEL_RUN, labelFilter, runLabels } from "./labels";

describe("labels", () => {
  test("a run's labels mark it managed and name the run, keeping extra labels", () => {
    expect(runLabels("r-1", { [LABEL_KIND]: "machine" })).to.deep.equal({
      [LABEL_KIND]: "machine",
      [LABEL_MANAGED]: "true",
      [LABEL_RUN]: "r-1",
    });
  });

  test("extra labels cannot override the run id or the managed mark", () => {
    const labels = runLabels("r-1", { [LABEL_RUN]: "other", [LABEL_MANAGED]: "false" });
    expect(labels[LABEL_RUN]).to.equal("r-1");
    expect(labels[LABEL_MANAGED]).to.equal("true");
  });

  test("run ids that would break a label filter are refused with a coded error", () => {
    for (const bad of ["", "a=b", "with space", "-lead", "x".repeat(129), "a,b"]) {
      expect(() => assertRunId(bad), bad)
        .to.throw(InvalidRunIdError)
        .with.property("code", "INVALID_RUN_ID");
    }
    expect(() => assertRunId("20260101T120000-abc_1.2")).not.to.throw();
  });

  test("labelFilter builds Docker's label filter", () => {
    expect(labelFilter({ a: "1", b: "two" })).to.deep.equal({ label: ["a=1", "b=two"] });
  });
});
