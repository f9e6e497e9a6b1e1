import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
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
  const copies: [string, string][] = [
    ["topologies/shop.yaml", "topologies/shop.yaml"],
    ["features/shop.feature", "features/shop.feature"],
    [`step_definitions/${step}`, `step_definitions/lab.steps.${typescript ? "ts" : "js"}`],
    [".github/workflows/exchange-lab.yml", ".github/workflows/exchange-lab.yml"],
  ];
  const actions = copies.map(([from, to]) => copyOnce(path.join(templates, from), dir, to));
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
