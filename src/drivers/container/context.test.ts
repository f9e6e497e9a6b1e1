import { after, describe, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { MACHINE_IMAGE, planContext, shippedDistFiles } from "./context";
import { EntryPointMissingError, ImageBuildError } from "./errors";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-context-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

write("docker/machine/Dockerfile", "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n");
write("package.json", `{"name":"fake"}`);
write("node_modules/yaml/package.json", `{"name":"yaml","version":"2.0.0"}`);
write("node_modules/yaml/index.js", "module.exports = {};");
write("node_modules/yaml/node_modules/.bin/x", "nested, not a dependency");
write("node_modules/typescript/index.js", "module.exports = {};");
write("dist/machine/main.js", `require("./host"); require("../exchange/index.js");`);
write("dist/machine/host.js", `require("yaml");`);
write("dist/machine/main.test.js", `require("typescript");`);
write("dist/machine/main.d.ts", "export {};");
write("dist/machine/machine-test-utils.js", "exports.fleet = 1;");
write("dist/machine/test-support.js.map", "{}");
write("dist/exchange/docker-test-kit.js", "exports.kit = 1;");
write("dist/exchange/support.js", "exports.notATestHelper = 1;");
write("dist/exchange/index.js", "exports.x = 1;");
write("dist/exchange/index.js.map", "{}");
write("dist/cli/main.js", `require("typescript");`);

describe("planContext", () => {
  test("ships Dockerfile, package.json, dist without tests or typings, and only the runtime packages", () => {
    const plan = planContext(MACHINE_IMAGE, root, "sha256:base1");
    const paths = plan.entries.map((e) => e.path);
    expect(paths).to.include.members([
      "Dockerfile",
      "package.json",
      "node_modules",
      "dist/machine/main.js",
      "dist/exchange/index.js.map",
      "dist/cli/main.js",
      "node_modules/yaml/index.js",
    ]);
    expect(paths.filter((p) => /\.test\.|\.d\.ts|typescript|node_modules\/yaml\/node_modules/.test(p))).to.deep.equal(
      [],
    );
    expect(plan.packages).to.deep.equal(["node_modules/yaml"]);
    expect(plan.bytes).to.be.greaterThan(0);
    expect(paths.indexOf("dist/machine")).to.be.lessThan(paths.indexOf("dist/machine/main.js"));
  });

  test("the hash is stable, and changes with the base image, the code, the Dockerfile or a package's files", () => {
    const h = planContext(MACHINE_IMAGE, root, "sha256:base1").hash;
    expect(planContext(MACHINE_IMAGE, root, "sha256:base1").hash).to.equal(h);
    expect(planContext(MACHINE_IMAGE, root, "sha256:base2").hash).not.to.equal(h);
    write("dist/machine/host.js", `require("yaml"); // changed`);
    const h2 = planContext(MACHINE_IMAGE, root, "sha256:base1").hash;
    expect(h2).not.to.equal(h);
    write("docker/machine/Dockerfile", "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nUSER 1000\n");
    const h3 = planContext(MACHINE_IMAGE, root, "sha256:base1").hash;
    expect(h3).not.to.equal(h2);
    write("node_modules/yaml/package.json", `{"name":"yaml","version":"2.0.1"}`);
    const h4 = planContext(MACHINE_IMAGE, root, "sha256:base1").hash;
    expect(h4).not.to.equal(h3);
    write("node_modules/yaml/index.js", "module.exports = { patched: true };");
    expect(planContext(MACHINE_IMAGE, root, "sha256:base1").hash).not.to.equal(h4);
  });

  test("a package the code requires but nobody installed is named, with the file requiring it", () => {
    write("dist/machine/extra.js", `require("left-pad");`);
    try {
      expect(() => planContext(MACHINE_IMAGE, root, "sha256:base1"))
        .to.throw(ImageBuildError)
        .with.property("message")
        .that.contains("left-pad (required by dist/machine/extra.js)");
    } finally {
      fs.rmSync(path.join(root, "dist/machine/extra.js"));
    }
  });

  test("no compiled entry point: EntryPointMissingError telling to build", () => {
    const err = (() => {
      try {
        planContext({ kind: "faultproxy", entry: "faultproxy/main.js", seeds: ["faultproxy"] }, root, "sha256:b");
      } catch (e) {
        return e;
      }
    })();
    expect(err).to.be.instanceOf(EntryPointMissingError);
    expect(err).to.have.property("code", "ENTRY_POINT_MISSING");
    expect((err as Error).message).to.contain("npm run build");
  });

  test("no package-lock.json is needed: packages are found as node finds them (an installed package has none)", () => {
    expect(fs.existsSync(path.join(root, "package-lock.json"))).to.equal(false);
    const plan = planContext(MACHINE_IMAGE, root, "sha256:b");
    expect(plan.packages).to.deep.equal(["node_modules/yaml"]);
  });

  test("shippedDistFiles leaves out tests, their helpers and declarations", () => {
    expect(shippedDistFiles(path.join(root, "dist"))).to.deep.equal([
      "cli/main.js",
      "exchange/index.js",
      "exchange/index.js.map",
      "exchange/support.js",
      "machine/host.js",
      "machine/main.js",
    ]);
  });
});
