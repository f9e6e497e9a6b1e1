import { after, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";

// Compiled to dist/exchange/; the checker and the sources stay at the repository root.
const root = path.join(__dirname, "../..");
const { findCycles } = require(path.join(root, "scripts/import-cycles.js")) as {
  findCycles(rootDir: string, opts?: { level?: "file" | "folder" }): string[][];
};

/** Writes `files` (relative path → content) under a fresh temporary directory and returns it. */
function fixture(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-cycles-"));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const fixtures: string[] = [];
after(() => {
  for (const dir of fixtures) fs.rmSync(dir, { recursive: true, force: true });
});

describe("import cycles", () => {
  test("no file of src/exchange imports itself through others (type-only imports count)", () => {
    expect(findCycles(path.join(root, "src/exchange"), { level: "file" })).to.deep.equal([]);
  });

  test("the checker finds file cycles through type-only imports, re-exports, require and folder indexes", () => {
    const dir = fixture({
      "a.ts": 'import type { B } from "./b";\nexport interface A { b?: B }\n',
      "b.ts": 'export { C as B } from "./c";\n',
      "c/index.ts": 'const d = require("../d");\nexport class C {}\nexport const x = d;\n',
      "d.ts": 'import "./a";\nexport const d = 1;\n',
      "e.ts": '// import { A } from "./f";\n/* import { A } from "./f"; */\nexport const s = `import "./f"`;\n',
      "f.ts": 'import { s } from "./e";\nexport const f = s;\n',
      "g.ts": "export const g = 1;\n",
      "g.test.ts": 'import { h } from "./h";\n',
      "h.ts": 'import { g } from "./g";\nexport const h = g;\n',
    });
    fixtures.push(dir);
    expect(findCycles(dir)).to.deep.equal([["a.ts", "b.ts", "c/index.ts", "d.ts"]]);
  });

  test("at folder level, files of one folder are one node and a top-level file is a node of its own", () => {
    const dir = fixture({
      "p/one.ts": 'import { two } from "../q/two";\nexport const one = two;\n',
      "p/index.ts": 'export * from "./one";\n',
      "q/two.ts": "export const two = 2;\n",
      "q/three.ts": 'import type { one } from "../p";\nexport type Three = typeof one;\n',
      "r/four.ts": 'import { one } from "../p/one";\nexport const four = one;\n',
      "main.ts": 'export * from "./r/four";\n',
    });
    fixtures.push(dir);
    expect(findCycles(dir, { level: "folder" })).to.deep.equal([["p", "q"]]);
    expect(findCycles(dir, { level: "file" })).to.deep.equal([]);
  });
});
