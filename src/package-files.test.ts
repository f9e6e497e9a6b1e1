import { test } from "node:test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { isTestOnlyFile } from "./runs";

const root = path.resolve(__dirname, "..");

function listDist(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listDist(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
}

test("the npm package ships dist/ without tests or their helpers (package.json files agrees with isTestOnlyFile)", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const packed = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
  const dist = listDist(path.join(root, "dist"));
  const testOnly = dist.filter(isTestOnlyFile);
  expect(testOnly.length, "the build compiles tests and helpers into dist/").to.be.greaterThan(50);
  for (const helper of [
    "exchange/exchange-test-utils.js",
    "faultproxy/test-support.js",
    "drivers/container/docker-test-kit.js",
    "machine/machine-test-utils.js",
  ]) {
    expect(testOnly, helper).to.include(helper);
  }
  expect(
    testOnly.filter((f) => packed.has(`dist/${f}`)),
    "test-only files in the package",
  ).to.deep.equal([]);
  expect(
    dist.filter((f) => !isTestOnlyFile(f) && !packed.has(`dist/${f}`)),
    "dist files missing from the package",
  ).to.deep.equal([]);
});
