// The repository's shape, checked (src/architecture.test.ts): which top-level folder of src/ may import which,
// that other folders come in through a folder's door (index.ts), that a door exports only what is used
// outside its folder, and that no folder or file imports itself through others (scripts/import-cycles.js).
// Plain Node, no dependencies: it reads import/export/require specifiers as text.
const fs = require("node:fs");
const path = require("node:path");
const { cyclicComponents, findCycles } = require("./import-cycles");

/** Who may import whom (non-test code). Dependencies point one way: this table has no cycle. */
const ALLOWED = {
  exchange: [],
  faultproxy: [],
  topology: [],
  common: [],
  machine: ["common", "exchange"],
  runs: ["common"],
  project: ["common", "runs"],
  drivers: ["common", "runs", "machine"],
  lab: ["common", "runs", "drivers", "machine", "topology", "exchange"],
  evidence: ["common", "exchange", "lab"],
  cucumber: ["common", "runs", "project", "drivers", "machine", "topology", "exchange", "lab", "evidence"],
  cli: [
    "common",
    "runs",
    "project",
    "drivers",
    "machine",
    "topology",
    "exchange",
    "lab",
    "evidence",
    "cucumber",
    "faultproxy",
  ],
};

const TEST_FILE = /(\.test|\.docker\.test|-test-utils|-test-kit|test-support)\.ts$/;
const SPEC = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)"(\.{1,2}\/[^"]*)"/gm;

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

function resolveSpec(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, "index.ts"), base]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return undefined;
}

/** Every relative import of every .ts file under srcDir: { from, to, spec, text }. */
function imports(srcDir) {
  const out = [];
  for (const from of sourceFiles(srcDir)) {
    const text = fs.readFileSync(from, "utf8");
    for (const m of text.matchAll(SPEC)) {
      const to = resolveSpec(from, m[1]);
      if (to) out.push({ from, to, spec: m[1] });
    }
  }
  return out;
}

const folderOf = (srcDir, file) => {
  const rel = path.relative(srcDir, file).split(path.sep);
  return rel.length > 1 ? rel[0] : "";
};

/** Problems with the shape of srcDir: forbidden folder imports, doors bypassed, unused door exports, cycles. */
function checkArchitecture(srcDir, allowed = ALLOWED) {
  const problems = [];
  const rel = (f) => path.relative(srcDir, f);
  const all = imports(srcDir);
  const tableGraph = new Map(Object.entries(allowed));
  for (const c of cyclicComponents(tableGraph)) problems.push(`the dependency table has a cycle: ${c.join(", ")}`);
  for (const { from, to } of all) {
    const a = folderOf(srcDir, from);
    const b = folderOf(srcDir, to);
    if (!a || a === b || !b) continue;
    if (TEST_FILE.test(from)) continue;
    if (!(allowed[a] ?? []).includes(b)) problems.push(`${rel(from)} imports ${rel(to)}: ${a}/ may not import ${b}/`);
    else if (path.basename(to) !== "index.ts" || path.dirname(to) !== path.join(srcDir, b)) {
      problems.push(`${rel(from)} imports ${rel(to)}: go through ${b}/index.ts`);
    }
  }
  for (const c of findCycles(srcDir, { level: "folder" }))
    problems.push(`folders import each other: ${c.join(" -> ")}`);
  for (const c of findCycles(srcDir, { level: "file" })) problems.push(`files import each other: ${c.join(" -> ")}`);
  problems.push(...unusedDoorExports(srcDir));
  return problems;
}

const EXPORT_LIST = /export\s+(?:type\s+)?\{([^}]*)\}\s*from/g;

/** Doors that are entry points of the package (package.json `exports`): every name they export is public. */
function packageEntryDoors(srcDir) {
  const file = path.join(srcDir, "..", "package.json");
  if (!fs.existsSync(file)) return new Set();
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  const targets = Object.values(pkg.exports ?? {}).map((t) => (typeof t === "string" ? t : t.default));
  return new Set(targets.map((t) => /^\.\/dist\/([^/]+)\/index\.js$/.exec(t)?.[1]).filter(Boolean));
}

/** Names a door re-exports that no file outside its folder imports (entry points of the package aside). */
function unusedDoorExports(srcDir) {
  const problems = [];
  const entries = packageEntryDoors(srcDir);
  const doors = fs
    .readdirSync(srcDir)
    .filter((d) => fs.existsSync(path.join(srcDir, d, "index.ts")) && !entries.has(d));
  const outsideSources = sourceFiles(srcDir).concat(benchFiles(srcDir));
  for (const d of doors) {
    const door = path.join(srcDir, d, "index.ts");
    const exported = [...fs.readFileSync(door, "utf8").matchAll(EXPORT_LIST)].flatMap((m) => names(m[1], "as"));
    const used = new Set();
    for (const file of outsideSources) {
      if (folderOf(srcDir, file) === d) continue;
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /(import|export)\s+(type\s+)?(\{[^}]*\}|\*(?:\s+as\s+(\w+))?|\w+)\s+from\s+"([^"]+)"/g,
      )) {
        if (resolveSpec(file, m[5]) !== door) continue;
        if (m[3].startsWith("*")) {
          if (!m[4] || m[1] === "export") exported.forEach((n) => used.add(n));
          else for (const u of text.matchAll(new RegExp(`\\b${m[4]}\\.(\\w+)`, "g"))) used.add(u[1]);
        } else names(m[3].slice(1, -1), "source").forEach((n) => used.add(n));
      }
    }
    for (const n of exported)
      if (!used.has(n)) problems.push(`${d}/index.ts exports ${n}, which nothing outside ${d}/ uses`);
  }
  return problems;
}

function benchFiles(srcDir) {
  const bench = path.join(srcDir, "..", "bench");
  return fs.existsSync(bench) ? sourceFiles(bench).filter((f) => !f.includes(`${path.sep}results${path.sep}`)) : [];
}

/** `a, type b, c as d` → the exported ("as") or imported ("source") names. */
function names(list, which) {
  return list
    .split(",")
    .map((s) => s.trim().replace(/^type\s+/, ""))
    .filter(Boolean)
    .map((s) => {
      const [src, alias] = s.split(/\s+as\s+/);
      return which === "as" ? (alias ?? src) : src;
    });
}

module.exports = { ALLOWED, checkArchitecture, imports };

if (require.main === module) {
  const problems = checkArchitecture(path.join(__dirname, "..", "src"));
  for (const p of problems) console.log(p);
  console.log(`${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
