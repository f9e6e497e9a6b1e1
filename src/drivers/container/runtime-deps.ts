import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

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
