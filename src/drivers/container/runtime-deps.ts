import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

/** package-lock.json (lockfileVersion 2 or 3): the `packages` map keyed by install location. */
export interface Lockfile {
  packages: Record<string, LockEntry>;
}

export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const REQUIRE = /\brequire\(\s*(["'])([^"'\n]+)\1\s*\)/g;

/** Module specifiers of the string-literal `require(...)` calls in compiled CommonJS source. */
export function requiredSpecifiers(source: string): string[] {
  return [...source.matchAll(REQUIRE)].map((m) => m[2]);
}

/** The npm package a bare specifier names (`@scope/pkg/sub` → `@scope/pkg`), or undefined for builtins and paths. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:")) return undefined;
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

/**
 * The npm packages the code reachable from `seeds` (compiled .js files) requires, following relative requires
 * through other compiled files. Returns package names and, for each, one file that requires it.
 */
export function packagesRequiredBy(seeds: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [...seeds];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith(".js")) continue;
    for (const spec of requiredSpecifiers(fs.readFileSync(file, "utf8"))) {
      if (spec.startsWith("./") || spec.startsWith("../")) {
        const target = resolveRelative(path.dirname(file), spec);
        if (target) queue.push(target);
        continue;
      }
      const pkg = packageOf(spec);
      if (pkg && !found.has(pkg)) found.set(pkg, file);
    }
  }
  return found;
}

function resolveRelative(dir: string, spec: string): string | undefined {
  const base = path.resolve(dir, spec);
  return [base, `${base}.js`, `${base}.json`, path.join(base, "index.js")].find(
    (p) => fs.existsSync(p) && fs.statSync(p).isFile(),
  );
}

/** Where node would find `name` when required from the package installed at `from` ("" = the project). */
export function resolveInLock(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === "") return undefined;
    const i = base.lastIndexOf("/node_modules/");
    base = i < 0 ? "" : base.slice(0, i);
  }
}

/**
 * The install locations (`node_modules/a`, `node_modules/a/node_modules/b`…) needed at run time by the given
 * root packages: their dependency closure through the lockfile. Roots missing from the lockfile are returned
 * in `missing`; optional or platform-specific dependencies that are not installed are skipped.
 */
export function runtimeLocations(lock: Lockfile, roots: Iterable<string>): { locations: string[]; missing: string[] } {
  const selected = new Set<string>();
  const missing: string[] = [];
  const queue: string[] = [];
  for (const root of roots) {
    const loc = resolveInLock(lock, "", root);
    if (loc) queue.push(loc);
    else missing.push(root);
  }
  while (queue.length) {
    const loc = queue.pop()!;
    if (selected.has(loc)) continue;
    selected.add(loc);
    const e = lock.packages[loc];
    const deps = { ...e.peerDependencies, ...e.optionalDependencies, ...e.dependencies };
    for (const dep of Object.keys(deps)) {
      const found = resolveInLock(lock, loc, dep);
      if (found) queue.push(found);
    }
  }
  return { locations: [...selected].sort(), missing: missing.sort() };
}
