import { after, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { packageOf, packagesRequiredBy, requiredSpecifiers } from "./runtime-deps";

describe("runtime dependencies", () => {
  test("requiredSpecifiers finds string-literal requires in compiled CommonJS", () => {
    const src = `const a = require("a");\nconst b = __importDefault(require('@s/e/sub'));\nrequire( "./x" );\nrequire(name);`;
    expect(requiredSpecifiers(src)).to.deep.equal(["a", "@s/e/sub", "./x"]);
  });

  test("packageOf names the package and ignores builtins and paths", () => {
    expect(packageOf("@s/e/sub")).to.equal("@s/e");
    expect(packageOf("yaml/util")).to.equal("yaml");
    for (const s of ["fs", "node:fs", "fs/promises", "./x", "/abs", "child_process"])
      expect(packageOf(s), s).to.equal(undefined);
  });

  test("packagesRequiredBy follows relative requires through compiled files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-deps-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, "machine"));
    fs.mkdirSync(path.join(dir, "exchange", "wire"), { recursive: true });
    fs.mkdirSync(path.join(dir, "cli"));
    fs.writeFileSync(
      path.join(dir, "machine", "main.js"),
      `require("node:http"); require("../exchange"); require("yaml");`,
    );
    fs.writeFileSync(path.join(dir, "exchange", "index.js"), `require("./wire/frame"); require("./data.json");`);
    fs.writeFileSync(path.join(dir, "exchange", "data.json"), `{"require(\\"nope\\")": 1}`);
    fs.writeFileSync(path.join(dir, "exchange", "wire", "frame.js"), `require("@s/e/x");`);
    fs.writeFileSync(path.join(dir, "cli", "main.js"), `require("commander");`);
    const found = packagesRequiredBy([path.join(dir, "machine", "main.js")]);
    expect([...found.keys()].sort()).to.deep.equal(["@s/e", "yaml"]);
    expect(found.get("@s/e")).to.equal(path.join(dir, "exchange", "wire", "frame.js"));
  });
});
