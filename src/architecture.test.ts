import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { expect } from "chai";

// The checks live in scripts/architecture.js (plain Node, also runnable by hand); this file runs from dist/.
const root = path.join(__dirname, "..");
const { checkArchitecture } = require(path.join(root, "scripts", "architecture.js")) as {
  checkArchitecture(srcDir: string, allowed?: Record<string, string[]>): string[];
};

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("src/: folders import only what the dependency table allows, through doors exporting only what is used; no cycles", () => {
  expect(checkArchitecture(path.join(root, "src"))).to.deep.equal([]);
});

test("the check finds a folder cycle, a forbidden import, a bypassed door and an unused door export", () => {
  const src = mkdtempSync(path.join(tmpdir(), "exlab-arch-"));
  dirs.push(src);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    writeFileSync(path.join(src, file), text);
  };
  write("a/index.ts", 'export { a } from "./a";\nexport { unused } from "./a";\n');
  write("a/a.ts", 'import { b } from "../b";\nexport const a = b;\nexport const unused = 1;\n');
  write("b/index.ts", 'export { b } from "./b";\n');
  write("b/b.ts", 'import { a } from "../a/a";\nexport const b = a;\n');
  const problems = checkArchitecture(src, { a: ["b"], b: [] });
  expect(problems).to.include("b/b.ts imports a/a.ts: b/ may not import a/");
  expect(problems).to.include("a/index.ts exports unused, which nothing outside a/ uses");
  expect(problems.some((p) => p.startsWith("folders import each other: "))).to.equal(true);
  const bypass = checkArchitecture(src, { a: ["b"], b: ["a"] });
  expect(bypass).to.include("b/b.ts imports a/a.ts: go through a/index.ts");
  expect(bypass.some((p) => p.startsWith("the dependency table has a cycle: "))).to.equal(true);
  expect(bypass.some((p) => p.startsWith("files import each other: "))).to.equal(true);
});
