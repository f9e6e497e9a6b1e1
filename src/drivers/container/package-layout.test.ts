import { after, describe, test } from "node:test";
import fs from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import {
  findInstalled,
  MAX_DEPTH,
  nodeModulesPaths,
  resolveInTree,
  runtimeDependencies,
  runtimeTree,
} from "./package-layout";

// A user's project with the package installed as npm lays it out, without any lockfile: the package's
// dependencies hoisted into the user's node_modules, except where versions conflict (nested), a dependency cycle,
// a scoped package, an optional dependency that is not installed, and a pnpm-style symlinked pair.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-layout-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const user = path.join(scratch, "user");
const pkg = path.join(user, "node_modules", "exchange-lab");

/** Writes a package at `dir` whose package.json carries `tag` (to tell its versions apart) and `deps`. */
function install(dir: string, name: string, tag: string, deps: Record<string, string> = {}, extra = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name, version: "1.0.0", tag, dependencies: deps, ...extra };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, "index.js"), `module.exports = ${JSON.stringify(tag)};`);
}

const nm = (...parts: string[]) => path.join(user, "node_modules", ...parts);
install(user, "user", "user", { "exchange-lab": "*", c: "^1" });
install(pkg, "exchange-lab", "exchange-lab", { a: "1", c: "^2", "@s/e": "1", p: "1", typescript: "5" });
fs.mkdirSync(path.join(pkg, "dist"));
install(path.join(pkg, "node_modules", "c"), "c", "c@2", { b: "^1" });
install(nm("a"), "a", "a@1", { b: "^2", d: "1" }, { optionalDependencies: { fsevents: "*" } });
install(nm("a", "node_modules", "b"), "b", "b@2");
install(nm("b"), "b", "b@1");
install(nm("c"), "c", "c@1");
install(nm("d"), "d", "d@1", { a: "1" }, { peerDependencies: { b: "*" } });
install(nm("@s", "e"), "@s/e", "@s/e@1");
install(nm("typescript"), "typescript", "typescript@5");
// pnpm: node_modules/p → .pnpm/p@1/node_modules/p, whose dependency q is its sibling there (a symlink too).
install(nm(".pnpm", "p@1", "node_modules", "p"), "p", "p@1", { q: "1" });
install(nm(".pnpm", "q@1", "node_modules", "q"), "q", "q@1");
fs.symlinkSync(nm(".pnpm", "q@1", "node_modules", "q"), nm(".pnpm", "p@1", "node_modules", "q"));
fs.symlinkSync(nm(".pnpm", "p@1", "node_modules", "p"), nm("p"));

const real = (p: string) => fs.realpathSync(p);

/** The tag of the package node resolves `name` to from `dir` (by node's own resolution). */
function resolvedTag(dir: string, name: string): string {
  const file = require.resolve(`${name}/package.json`, { paths: [dir] });
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { tag: string }).tag;
}

describe("package layout: the runtime closure of an installed package, by node's resolution", () => {
  test("nodeModulesPaths lists the folders node searches, as node itself does", () => {
    const internal = Module as unknown as { _nodeModulePaths(dir: string): string[] };
    for (const dir of [path.join(pkg, "dist", "machine"), nm("a", "node_modules", "b"), "/", "/app/dist"])
      expect(nodeModulesPaths(dir), dir).to.deep.equal(internal._nodeModulePaths(dir));
  });

  test("findInstalled finds nested versions first, then hoisted ones, through symlinks", () => {
    expect(findInstalled(pkg, "c")).to.equal(real(path.join(pkg, "node_modules", "c")));
    expect(findInstalled(user, "c")).to.equal(real(nm("c")));
    expect(findInstalled(real(nm("a")), "b")).to.equal(real(nm("a", "node_modules", "b")));
    expect(findInstalled(real(nm("p")), "q")).to.equal(real(nm(".pnpm", "q@1", "node_modules", "q")));
    expect(findInstalled(pkg, "nope")).to.equal(undefined);
  });

  test("runtimeDependencies reads dependencies, optional ones and peers, not devDependencies", () => {
    expect(runtimeDependencies(nm("a"))).to.deep.equal(["b", "d", "fsevents"]);
    expect(runtimeDependencies(nm("d"))).to.deep.equal(["a", "b"]);
    expect(runtimeDependencies(path.join(scratch, "no-such-package"))).to.deep.equal([]);
  });

  test("resolveInTree looks in nested node_modules first, then walks up", () => {
    const tree = new Set(["node_modules/a", "node_modules/a/node_modules/b", "node_modules/b", "node_modules/d"]);
    const has = (l: string) => tree.has(l);
    expect(resolveInTree(has, "node_modules/a", "b")).to.equal("node_modules/a/node_modules/b");
    expect(resolveInTree(has, "node_modules/d", "b")).to.equal("node_modules/b");
    expect(resolveInTree(has, "node_modules/a/node_modules/b", "d")).to.equal("node_modules/d");
    expect(resolveInTree(has, "", "zzz")).to.equal(undefined);
  });

  test("runtimeTree lays out the closure of the roots: hoisted, nested and symlinked packages, no lockfile", () => {
    const { locations, missing, tooDeep } = runtimeTree(pkg, ["a", "c", "@s/e", "p", "nope"]);
    expect(missing).to.deep.equal(["nope"]);
    expect(tooDeep).to.deep.equal([]);
    expect(Object.fromEntries(locations)).to.deep.equal({
      "node_modules/@s/e": real(nm("@s", "e")),
      "node_modules/a": real(nm("a")),
      "node_modules/b": real(nm("a", "node_modules", "b")),
      "node_modules/c": real(path.join(pkg, "node_modules", "c")),
      "node_modules/c/node_modules/b": real(nm("b")),
      "node_modules/d": real(nm("d")),
      "node_modules/d/node_modules/b": real(nm("b")),
      "node_modules/p": real(nm("p")),
      "node_modules/q": real(nm(".pnpm", "q@1", "node_modules", "q")),
    });
    expect([...locations.keys()]).to.deep.equal([...locations.keys()].sort());
  });

  test("laid out again, every require resolves to the same package as on this host", () => {
    const { locations } = runtimeTree(pkg, ["a", "c", "@s/e", "p"]);
    const image = path.join(scratch, "image");
    fs.mkdirSync(path.join(image, "dist"), { recursive: true });
    for (const [loc, source] of locations)
      fs.cpSync(source, path.join(image, loc), { recursive: true, filter: (s) => path.basename(s) !== "node_modules" });
    for (const name of ["a", "c", "@s/e", "p"])
      expect(resolvedTag(path.join(image, "dist"), name), name).to.equal(resolvedTag(path.join(pkg, "dist"), name));
    for (const [loc, source] of locations)
      for (const dep of runtimeDependencies(source).filter((d) => findInstalled(source, d)))
        expect(resolvedTag(path.join(image, loc), dep), `${dep} from ${loc}`).to.equal(resolvedTag(source, dep));
  });

  test("a cycle through two versions of two packages (pnpm can link one) cannot be a tree: tooDeep says where", () => {
    const store = path.join(scratch, "store");
    const at = (id: string) => path.join(store, id, "node_modules", id.split("@")[0]);
    const link = (from: string, to: string) =>
      fs.symlinkSync(at(to), path.join(store, from, "node_modules", to.split("@")[0]));
    install(at("a@1"), "a", "a@1", { b: "1" });
    install(at("b@1"), "b", "b@1", { a: "2" });
    install(at("a@2"), "a", "a@2", { b: "2" });
    install(at("b@2"), "b", "b@2", { a: "1" });
    link("a@1", "b@1");
    link("b@1", "a@2");
    link("a@2", "b@2");
    link("b@2", "a@1");
    const project = path.join(scratch, "cyclic");
    install(project, "cyclic", "cyclic", { a: "1" });
    fs.mkdirSync(path.join(project, "node_modules"));
    fs.symlinkSync(at("a@1"), path.join(project, "node_modules", "a"));
    const tree = runtimeTree(project, ["a"]);
    expect(tree.tooDeep).to.have.length(1);
    expect(tree.tooDeep[0].split("node_modules/")).to.have.length(MAX_DEPTH + 2);
    expect(tree.locations.size, "a and b at the top, then one per level").to.equal(MAX_DEPTH + 1);
  });

  test("a checkout (everything under the project's own node_modules) keeps its layout", () => {
    const checkout = path.join(scratch, "checkout");
    install(checkout, "exchange-lab", "checkout", { a: "1" });
    install(path.join(checkout, "node_modules", "a"), "a", "a@1", { b: "1" });
    install(path.join(checkout, "node_modules", "a", "node_modules", "b"), "b", "b@3");
    install(path.join(checkout, "node_modules", "b"), "b", "b@1");
    expect([...runtimeTree(checkout, ["a", "b"]).locations.keys()]).to.deep.equal([
      "node_modules/a",
      "node_modules/a/node_modules/b",
      "node_modules/b",
    ]);
  });
});
