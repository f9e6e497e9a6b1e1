import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { expect } from "chai";
import { scaffold } from "./scaffold";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "exlab-init-"));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

describe("exlab init's scaffold", () => {
  test("--example copies an example's programs, topologies and features (not its README), keeping what exists", () => {
    const examples = project({
      "shop/README.md": "about the example",
      "shop/services/orders.js": "// orders",
      "shop/topologies/shop.yaml": "name: shop",
      "shop/features/orders.feature": "Feature: orders",
      "shop/data/orders.ndjson": "{}",
    });
    const dir = project({ "package.json": "{}", "services/orders.js": "// mine" });
    const actions = scaffold({ dir, example: "shop", examplesDir: examples });
    expect(actions.filter((a) => a.action === "created").map((a) => a.file)).to.have.members([
      "features/orders.feature",
      "topologies/shop.yaml",
      "step_definitions/lab.steps.js",
      ".github/workflows/exchange-lab.yml",
      ".gitignore",
    ]);
    expect(actions.find((a) => a.file === "services/orders.js")?.action).to.equal("kept");
    expect(read(dir, "services/orders.js")).to.equal("// mine");
    expect(() => scaffold({ dir, example: "bank", examplesDir: examples })).to.throw(
      /unknown example "bank"; known examples: shop/,
    );
  });

  test("a CommonJS project gets a topology, a feature, a require() step, scripts, .gitignore and a workflow", () => {
    const dir = project({ "package.json": JSON.stringify({ name: "shop", scripts: { test: "node --test" } }) });
    const actions = scaffold({ dir });
    expect(actions.filter((a) => a.action === "created").map((a) => a.file)).to.have.members([
      "topologies/shop.yaml",
      "features/shop.feature",
      "step_definitions/lab.steps.js",
      ".github/workflows/exchange-lab.yml",
      ".gitignore",
    ]);
    expect(read(dir, "step_definitions/lab.steps.js")).to.contain('require("@cucumber/cucumber")');
    expect(read(dir, "features/shop.feature")).to.contain('Given the topology "shop" is running');
    expect(read(dir, ".github/workflows/exchange-lab.yml")).to.contain("exlab run --driver containers");
    const pkg = JSON.parse(read(dir, "package.json"));
    expect(pkg.scripts).to.deep.equal({
      test: "node --test",
      lab: "exlab run --driver processes",
      "lab:containers": "exlab run --driver containers",
      "lab:doctor": "exlab doctor",
    });
    expect(read(dir, ".gitignore")).to.match(/^reports\/$/m);
  });

  test("an ESM project gets an import step; a TypeScript one a typed step", () => {
    const esm = project({ "package.json": JSON.stringify({ type: "module" }) });
    scaffold({ dir: esm });
    expect(read(esm, "step_definitions/lab.steps.js")).to.contain('import { Then } from "@cucumber/cucumber"');
    const ts = project({ "package.json": "{}", "tsconfig.json": "{}" });
    scaffold({ dir: ts });
    expect(read(ts, "step_definitions/lab.steps.ts")).to.contain("this: LabWorld");
  });

  test("never overwrites: existing files are kept, package.json and .gitignore only gain what they lack", () => {
    const dir = project({
      "package.json": JSON.stringify({ scripts: { lab: "my own" } }, null, 4),
      "features/shop.feature": "Feature: mine\n",
      ".gitignore": "node_modules",
    });
    const actions = scaffold({ dir });
    expect(actions.find((a) => a.file === "features/shop.feature")?.action).to.equal("kept");
    expect(read(dir, "features/shop.feature")).to.equal("Feature: mine\n");
    expect(JSON.parse(read(dir, "package.json")).scripts.lab).to.equal("my own");
    expect(read(dir, "package.json")).to.match(/^\{\n {4}"scripts"/);
    expect(read(dir, ".gitignore")).to.equal("node_modules\n# exchange-lab's run reports\nreports/\n");
    const again = scaffold({ dir });
    expect(
      again.every((a) => a.action === "kept"),
      JSON.stringify(again),
    ).to.equal(true);
  });
});
