import fs from "node:fs";
import path from "node:path";

/**
 * Where node looks for a bare `require(name)` made from a file in `dir`: `<dir>/node_modules`, then the same in
 * every parent folder up to the filesystem's root, skipping folders that are themselves called node_modules.
 */
export function nodeModulesPaths(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (path.basename(d) !== "node_modules") out.push(path.join(d, "node_modules"));
    if (path.dirname(d) === d) return out;
  }
}

/** The real folder of the package `name` as node finds it from `dir` (through symlinks), or undefined. */
export function findInstalled(dir: string, name: string): string | undefined {
  for (const modules of nodeModulesPaths(dir)) {
    const candidate = path.join(modules, name);
    try {
      if (fs.statSync(candidate).isDirectory()) return fs.realpathSync(candidate);
    } catch {
      // not here: look further up
    }
  }
  return undefined;
}

/** The packages an installed package needs at run time: its dependencies, optional ones and peers (by name). */
export function runtimeDependencies(packageDir: string): string[] {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
    const deps = manifest[field];
    if (deps && typeof deps === "object") for (const n of Object.keys(deps)) names.add(n);
  }
  return [...names].sort();
}

/**
 * The install location node finds `name` at from the package at `from` ("" = the project) in a tree of
 * locations (`node_modules/a`, `node_modules/a/node_modules/b`…): nested first, then walking up.
 */
export function resolveInTree(has: (location: string) => boolean, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (has(candidate)) return candidate;
    if (base === "") return undefined;
    const i = base.lastIndexOf("/node_modules/");
    base = i < 0 ? "" : base.slice(0, i);
  }
}

/** How the packages needed at run time are laid out in an image: install location → real folder on this host. */
export interface RuntimeTree {
  /** Sorted by location. The same folder may sit at several locations when versions conflict. */
  locations: Map<string, string>;
  /** Roots that are not installed where node would look from the project. */
  missing: string[];
  /** Where a package would have to go deeper than {@link MAX_DEPTH} levels (a graph no tree reproduces). */
  tooDeep: string[];
}

/** How many node_modules levels a location may have. */
export const MAX_DEPTH = 32;

/**
 * The dependency closure of the `roots` packages as node resolves them on this host from `projectRoot` (a checkout,
 * or the package installed in a user's project with its dependencies hoisted into the user's node_modules, or
 * nested, or symlinked by pnpm), laid out again as one node_modules tree under the project: a package goes to
 * the top level (`node_modules/<name>`) unless another version is on the way there, else under the package that
 * needs it.
 * Every `require` made from the project or from a package in the tree then finds the very folder it finds on
 * this host. Dependencies that are not installed (optional, platform-specific, unmet peers) are left out.
 */
export function runtimeTree(projectRoot: string, roots: Iterable<string>): RuntimeTree {
  const tree = new Map<string, string>();
  const missing: string[] = [];
  const tooDeep: string[] = [];
  const has = (loc: string) => tree.has(loc);
  const queue: { location: string; dir: string; deps: string[] }[] = [
    { location: "", dir: path.resolve(projectRoot), deps: [...new Set(roots)].sort() },
  ];
  // Breadth first: every location's own nested packages are placed before any of them is visited, so a later
  // placement never changes what an earlier package resolves to.
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { location, dir, deps } = next;
    for (const name of deps) {
      const target = findInstalled(dir, name);
      if (!target) {
        if (location === "") missing.push(name);
        continue;
      }
      const found = resolveInTree(has, location, name);
      if (found && tree.get(found) === target) continue;
      // Nothing on the way up: the top level. Another version on the way: right under the package needing it.
      const placed = found ? `${location}/node_modules/${name}` : `node_modules/${name}`;
      if (placed.split("node_modules/").length > MAX_DEPTH + 1) {
        tooDeep.push(placed);
        continue;
      }
      tree.set(placed, target);
      queue.push({ location: placed, dir: target, deps: runtimeDependencies(target) });
    }
  }
  const locations = new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { locations, missing: missing.sort(), tooDeep };
}
