// Import cycles among the TypeScript files of a directory, at file level or at the level of its top folders.
//
//   node scripts/import-cycles.js src/exchange          cycles among the files of src/exchange
//   node scripts/import-cycles.js src --level folder    cycles among src's top folders (src/x.ts counts as "x.ts")
//
// Prints one line per cycle and exits 1 when there is any. Plain Node, no dependencies.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** Every `.ts` file under `dir` except tests (`*.test.ts`) and declarations (`*.d.ts`), as absolute paths. */
function sourceFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") out.push(...sourceFiles(p));
    } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) {
      out.push(p);
    }
  }
  return out.sort();
}

/**
 * The source as code only: comments and the text of template literals blanked (newlines kept), and every quoted
 * string replaced by `"<n>"`, its content being strings[n]. So nothing inside a comment or a string can pass for an
 * import. (A regular expression literal holding a quote or `//` may blank the rest of its line; imports never
 * share a line with one.)
 */
function scan(src) {
  let code = "";
  const strings = [];
  const braces = []; // per open template literal: the `{` depth inside its current `${ … }`
  const blank = (text) => text.replace(/[^\n]/g, " ");
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      i = end < 0 ? src.length : end;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      code += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      code += `${c}${strings.length}${c}`;
      strings.push(src.slice(i + 1, j));
      i = j + 1;
    } else if (c === "`" || (c === "}" && braces.length > 0 && braces[braces.length - 1] === 0)) {
      if (c === "}") braces.pop();
      let j = i + 1;
      while (j < src.length && src[j] !== "`" && !(src[j] === "$" && src[j + 1] === "{")) j += src[j] === "\\" ? 2 : 1;
      const opens = src[j] === "$";
      if (opens) braces.push(0);
      code += c + blank(src.slice(i + 1, j)) + (opens ? "${" : "`");
      i = j + (opens ? 2 : 1);
    } else {
      if (braces.length > 0 && c === "{") braces[braces.length - 1]++;
      else if (braces.length > 0 && c === "}") braces[braces.length - 1]--;
      code += c;
      i++;
    }
  }
  return { code, strings };
}

const STRING = String.raw`(["'])(\d+)\1`;
const SPECIFIER_PATTERNS = [
  // import x from "…", import type { X } from "…", export * from "…", export type { X } from "…"
  new RegExp(String.raw`\b(?:import|export)\s+(?:type\s+)?[\w$*\s{},]*?\bfrom\s*${STRING}`, "g"),
  // import "…" (side effects only)
  new RegExp(String.raw`\bimport\s*${STRING}`, "g"),
  // require("…"), import("…") (dynamic, or an inline type), import x = require("…")
  new RegExp(String.raw`\b(?:require|import)\s*\(\s*${STRING}\s*\)`, "g"),
  // declare module "…" (augmenting another module's declarations depends on it)
  new RegExp(String.raw`\bdeclare\s+module\s+${STRING}`, "g"),
];

/** The relative specifiers (`./x`, `../y`) a TypeScript source imports, re-exports or requires, type-only included. */
function relativeSpecifiers(src) {
  const { code, strings } = scan(src);
  const found = new Set();
  for (const re of SPECIFIER_PATTERNS) {
    for (const m of code.matchAll(re)) {
      const spec = strings[Number(m[2])];
      if (spec.startsWith(".")) found.add(spec);
    }
  }
  return [...found];
}

/** The file a relative specifier names (x.ts, x/index.ts; a `.js` suffix stands for `.ts`), or undefined. */
function resolveSpecifier(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.js$/, "");
  for (const candidate of [base, `${stem}.ts`, path.join(stem, "index.ts")]) {
    if (candidate.endsWith(".ts") && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Posix path of `file` relative to `rootDir`. */
function rel(rootDir, file) {
  return path.relative(rootDir, file).split(path.sep).join("/");
}

/** The node a file belongs to: itself (file level), or its top folder under rootDir (a top-level file is itself). */
function nodeOf(rootDir, file, level) {
  const r = rel(rootDir, file);
  return level === "folder" ? r.split("/")[0] : r;
}

/**
 * The import graph of the non-test `.ts` files under rootDir: node → sorted nodes it imports. Imports that
 * leave rootDir or name no file are ignored. At folder level, imports within one folder are not edges.
 */
function importGraph(rootDir, { level = "file" } = {}) {
  if (level !== "file" && level !== "folder") throw new Error(`level must be "file" or "folder", got ${String(level)}`);
  const root = path.resolve(rootDir);
  const graph = new Map();
  const files = sourceFiles(root);
  for (const f of files) if (!graph.has(nodeOf(root, f, level))) graph.set(nodeOf(root, f, level), new Set());
  for (const f of files) {
    const from = nodeOf(root, f, level);
    for (const spec of relativeSpecifiers(fs.readFileSync(f, "utf8"))) {
      const target = resolveSpecifier(f, spec);
      if (!target || rel(root, target).startsWith("../")) continue;
      const to = nodeOf(root, target, level);
      if (level === "folder" && to === from) continue;
      graph.get(from).add(to);
    }
  }
  return new Map([...graph].map(([k, v]) => [k, [...v].sort()]));
}

/** Strongly connected components (Tarjan), each sorted; only those that hold a cycle. */
function cyclicComponents(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** A shortest cycle through `start` that stays inside `members` (breadth-first). */
function shortestCycle(graph, start, members) {
  const prev = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const cycle = [v];
        while (cycle[0] !== start) cycle.unshift(prev.get(cycle[0]));
        return cycle;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** The same cycle always starts at its smallest node. */
function rotate(cycle) {
  const at = cycle.indexOf([...cycle].sort()[0]);
  return [...cycle.slice(at), ...cycle.slice(0, at)];
}

/**
 * Import cycles under rootDir: for every node on a cycle, the shortest cycle through it (duplicates dropped), so
 * every node that is part of a cycle appears in at least one. Each cycle lists nodes in import order, starting at
 * its smallest; its last node imports its first. Nodes are paths relative to rootDir (level "file") or the top
 * folders of rootDir (level "folder"; a file directly in rootDir is a node of its own). Empty: no cycle.
 */
function findCycles(rootDir, { level = "file" } = {}) {
  const graph = importGraph(rootDir, { level });
  const out = new Map();
  for (const scc of cyclicComponents(graph)) {
    const members = new Set(scc);
    for (const v of scc) {
      const cycle = rotate(shortestCycle(graph, v, members));
      out.set(cycle.join("\n"), cycle);
    }
  }
  return [...out.values()].sort((a, b) => (a.join("\n") < b.join("\n") ? -1 : 1));
}

module.exports = { cyclicComponents, findCycles, importGraph, relativeSpecifiers };

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--level");
  const level = at >= 0 ? args.splice(at, 2)[1] : "file";
  const dir = args[0] ?? "src";
  const cycles = findCycles(dir, { level });
  for (const c of cycles) console.log([...c, c[0]].join(" -> "));
  console.log(`${cycles.length} import cycle(s) among the ${level}s of ${dir}`);
  process.exit(cycles.length > 0 ? 1 : 0);
}
