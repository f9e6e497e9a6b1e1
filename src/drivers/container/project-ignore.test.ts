import { describe, test } from "node:test";
import { expect } from "chai";
import { DockerignoreInvalidError } from "./errors";
import { DEFAULT_IGNORES, ignoreRules } from "./project-ignore";

describe("the project's .dockerignore (Docker's rules)", () => {
  test("comments and blank lines are skipped; a pattern matches from the project's root only; the last match wins", () => {
    const rules = ignoreRules("# build output\n\n/build \n*.log\n!keep.log\nsecrets/**\n");
    const left = ["build", "build/a.js", "x.log", "secrets/a/b.pem"];
    const kept = ["keep.log", "services/x.log", "src/build/a.js", "Build"];
    expect(left.filter((p) => !rules.ignores(p))).to.deep.equal([]);
    expect(kept.filter((p) => rules.ignores(p))).to.deep.equal([]);
    expect(rules.hasExceptions).to.equal(true);
    expect(rules.patterns).to.deep.equal([...DEFAULT_IGNORES, "/build", "*.log", "!keep.log", "secrets/**"]);
  });

  test("VCS data and exlab's reports are left out by default; the project's rules can take them back", () => {
    const none = ignoreRules("");
    expect([".git/HEAD", "reports/latest", "src/reports/x"].map((p) => none.ignores(p))).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect(none.hasExceptions).to.equal(false);
    expect(ignoreRules("!reports").ignores("reports/x.html")).to.equal(false);
  });

  test("a folder left out can have files taken back (so it must still be looked into)", () => {
    const rules = ignoreRules("node_modules\n!node_modules/exchange-lab\n");
    expect(rules.ignores("node_modules/left-pad/index.js")).to.equal(true);
    expect(rules.ignores("node_modules/exchange-lab/package.json")).to.equal(false);
  });

  test("a pattern Docker refuses is a DockerignoreInvalidError naming the file and line", () => {
    for (const [text, line, why] of [
      ["ok\n[abc", 2, /unterminated character class/],
      ["!", 1, /needs a pattern after `!`/],
      ["# c\n\nsrc\\", 3, /ends with an escape/],
    ] as const) {
      expect(() => ignoreRules(text, "/p/.dockerignore"))
        .to.throw(DockerignoreInvalidError, new RegExp(`^/p/\\.dockerignore:${line}: `))
        .that.satisfies(
          (e: DockerignoreInvalidError) => e.code === "PROJECT_DOCKERIGNORE_INVALID" && why.test(e.message),
        );
    }
    expect(ignoreRules("a\\\\").ignores("a\\")).to.equal(true);
  });
});
