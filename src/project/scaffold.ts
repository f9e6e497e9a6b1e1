import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UnknownNameError } from "../common";
import { packageRoot } from "../runs";

/** What `exlab init` did to one file. */
export interface ScaffoldAction {
  file: string;
  action: "created" | "kept" | "updated";
  detail?: string;
}

export interface ScaffoldOptions {
  /** The project to scaffold (holds, or will hold, package.json). */
  dir: string;
  /** Step example in TypeScript. @default the project has a tsconfig.json or a typescript dependency */
  typescript?: boolean;
  /** Where the templates are. @default <package>/templates/init */
  templatesDir?: string;
  /**
   * Scaffold from one of the package's examples (`examples/<name>`: its programs, topologies and features) instead
   * of the minimal topology and feature; the step example, scripts, .gitignore and workflow come as usual.
   */
  example?: string;
  /** Where the examples are. @default <package>/examples */
  examplesDir?: string;
}

/** Scripts added to the project's package.json when it has none of that name. */
export const SCAFFOLD_SCRIPTS: Readonly<Record<string, string>> = {
  lab: "exlab run --driver processes",
  "lab:containers": "exlab run --driver containers",
  "lab:doctor": "exlab doctor",
};

/**
 * Scaffolds a project for the lab: a topology, a feature using it, a step of the project's own, npm scripts,
 * reports/ in .gitignore and a GitHub Actions workflow. Never overwrites a file: one that exists is kept, and
 * package.json and .gitignore only gain what they lack.
 */
export function scaffold(options: ScaffoldOptions): ScaffoldAction[] {
  const dir = path.resolve(options.dir);
  const templates = options.templatesDir ?? path.join(packageRoot(), "templates", "init");
  const pkg = readPackage(dir);
  const typescript = options.typescript ?? (existsSync(path.join(dir, "tsconfig.json")) || hasTypescript(pkg));
  const esm = pkg?.type === "module";
  const step = typescript ? "lab.steps.ts" : esm ? "lab.steps.esm.js" : "lab.steps.cjs.js";
  const own: [string, string][] = options.example
    ? exampleFiles(options.examplesDir ?? path.join(packageRoot(), "examples"), options.example)
    : [
        [path.join(templates, "topologies/shop.yaml"), "topologies/shop.yaml"],
        [path.join(templates, "features/shop.feature"), "features/shop.feature"],
      ];
  const copies: [string, string][] = [
    ...own,
    [path.join(templates, `step_definitions/${step}`), `step_definitions/lab.steps.${typescript ? "ts" : "js"}`],
    [path.join(templates, ".github/workflows/exchange-lab.yml"), ".github/workflows/exchange-lab.yml"],
  ];
  const actions = copies.map(([from, to]) => copyOnce(from, dir, to));
  actions.push(addScripts(dir, pkg), ignoreReports(dir));
  return actions;
}

type PackageJson = { type?: string; scripts?: Record<string, string> } & Record<string, unknown>;

function readPackage(dir: string): PackageJson | undefined {
  const file = path.join(dir, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PackageJson) : undefined;
}

function hasTypescript(pkg: PackageJson | undefined): boolean {
  const deps = { ...(pkg?.dependencies as object), ...(pkg?.devDependencies as object) };
  return "typescript" in deps;
}

/** Every file of an example (its README aside, which describes it in this package) as [source, project path]. */
function exampleFiles(examplesDir: string, name: string): [string, string][] {
  const known = existsSync(examplesDir)
    ? readdirSync(examplesDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
  if (!known.includes(name)) throw new UnknownNameError("example", name, known);
  const root = path.join(examplesDir, name);
  const walk = (rel: string): string[] =>
    readdirSync(path.join(root, rel), { withFileTypes: true })
      .filter((e) => !EXAMPLE_SKIP.has(e.name))
      .flatMap((e) => (e.isDirectory() ? walk(path.join(rel, e.name)) : [path.join(rel, e.name)]));
  return walk("")
    .filter((f) => f !== "README.md")
    .sort()
    .map((f) => [path.join(root, f), f]);
}

const EXAMPLE_SKIP = new Set(["node_modules", "reports", "data"]);

function copyOnce(source: string, dir: string, to: string): ScaffoldAction {
  const target = path.join(dir, to);
  if (existsSync(target)) return { file: to, action: "kept", detail: "exists; not overwritten" };
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, readFileSync(source));
  return { file: to, action: "created" };
}

function addScripts(dir: string, pkg: PackageJson | undefined): ScaffoldAction {
  if (!pkg) return { file: "package.json", action: "kept", detail: "none here: run `npm init -y` first" };
  const scripts = { ...pkg.scripts };
  const added = Object.entries(SCAFFOLD_SCRIPTS).filter(([name]) => !(name in scripts));
  if (!added.length) return { file: "package.json", action: "kept", detail: "its scripts are there already" };
  for (const [name, command] of added) scripts[name] = command;
  const file = path.join(dir, "package.json");
  const indent = /^\{\n(\s+)"/.exec(readFileSync(file, "utf8"))?.[1] ?? "  ";
  writeFileSync(file, `${JSON.stringify({ ...pkg, scripts }, null, indent)}\n`);
  return { file: "package.json", action: "updated", detail: `scripts ${added.map(([n]) => n).join(", ")}` };
}

function ignoreReports(dir: string): ScaffoldAction {
  const file = path.join(dir, ".gitignore");
  const text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (text?.split("\n").some((l) => /^\/?reports\/?$/.test(l.trim()))) {
    return { file: ".gitignore", action: "kept", detail: "reports/ is ignored already" };
  }
  appendFileSync(file, `${text && !text.endsWith("\n") ? "\n" : ""}# exchange-lab's run reports\nreports/\n`);
  return { file: ".gitignore", action: text === undefined ? "created" : "updated", detail: "reports/" };
}
