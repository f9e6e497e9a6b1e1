import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import * as nodePath from "node:path";
import { stringify } from "yaml";
import { checkLinks } from "./check-links";
import { checkNames } from "./check-names";
import { checkSchema } from "./check-schema";
import { applyDefaults } from "./defaults";
import { TopologyError, pathToString, sortDiagnostics } from "./diagnostics";
import type { Diagnostic, Issue } from "./diagnostics";
import { locate, parseYaml, toPosition } from "./parse";
import type { ParsedYaml } from "./parse";
import { planTopology } from "./plan";
import { resolveDials } from "./resolve";
import type { Plan, Topology } from "./types";

/** Errors that leave the link analysis sound: link warnings are still worth reporting next to them. */
const LINK_NEUTRAL = new Set([
  "PORT_CLASH",
  "RESERVED_PORT",
  "BAD_TIMING",
  "DUPLICATE_SERVICE",
  "BAD_RUN",
  "BAD_CWD",
  "BAD_ENV_NAME",
  "RESERVED_ENV",
]);

/** A loaded topology and its plan, with the warnings found on the way. */
export interface LoadedTopology {
  topology: Topology;
  plan: Plan;
  warnings: Diagnostic[];
}

/** The outcome of loading a topology: never throws for bad input; errors and warnings sorted by position. */
export type LoadResult = ({ ok: true } & LoadedTopology) | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/**
 * Runs the whole pipeline on YAML text: parse → schema → defaults → semantic checks → plan. Pure.
 * @param fileName used in diagnostics and as the default topology name (its base name without `.yaml`).
 * @default fileName "<topology>"
 */
export function loadTopologyText(text: string, fileName = "<topology>"): LoadResult {
  const parsed = parseYaml(text);
  const place = (issues: Issue[]) => issues.map((i) => toDiagnostic(i, parsed, fileName));
  if (parsed.issues.length > 0) return failed(place(parsed.issues));
  const schema = checkSchema(parsed.data);
  if (!schema.ok) return failed(place(schema.issues));
  const fallbackName = /\.ya?ml$/i.test(fileName) ? nodePath.basename(fileName).replace(/\.ya?ml$/i, "") : "topology";
  const { topology, issues: defaultIssues } = applyDefaults(schema.value, fallbackName);
  const { dials, issues: resolveIssues } = resolveDials(topology);
  const early = [...defaultIssues, ...checkNames(topology), ...resolveIssues];
  const linkable = !early.some((i) => i.severity === "error" && !LINK_NEUTRAL.has(i.code));
  const issues = [...early, ...(linkable ? checkLinks(topology, dials) : [])];
  const { errors, warnings } = split(place(issues));
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, topology, plan: planTopology(topology, { source: fileName, dials }), warnings };
}

/** Reads and loads a topology file. A missing or unreadable file is an error diagnostic, not a throw. */
export async function loadTopologyFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    return { ok: false, errors: [fileError(path, cause)], warnings: [] };
  }
  return loadTopologyText(text, path);
}

/**
 * Loads a topology by name or path (see `resolveTopologyRef`), throwing `TopologyError` (code
 * `TOPOLOGY_INVALID`, every diagnostic attached) when it has errors.
 * @param options.topologiesDir where names are looked up. @default "topologies" (relative to the cwd)
 */
export async function loadTopologyOrThrow(
  nameOrPath: string,
  options: { topologiesDir?: string } = {},
): Promise<LoadedTopology> {
  const path = resolveTopologyRef(nameOrPath, options.topologiesDir ?? "topologies");
  return orThrow(path, await loadTopologyFile(path));
}

/**
 * A topology from whatever a test has at hand, throwing `TopologyError` when it has errors:
 * - an object in the YAML's shape (`{ name, machines: { alpha: { servers: [{ port: 11111 }] } } }`);
 * - YAML text (anything with a line break);
 * - a path, or a bare name looked up in each of `topologiesDir` in turn (`<dir>/<name>.yaml`).
 */
export async function loadTopology(
  source: string | object,
  options: { topologiesDir?: string | readonly string[] } = {},
): Promise<LoadedTopology> {
  if (typeof source === "object") return loadTopologyTextOrThrow(stringify(source), "<object>");
  if (source.includes("\n")) return loadTopologyTextOrThrow(source, "<text>");
  const dirs = [options.topologiesDir ?? "topologies"].flat();
  const candidates = dirs.map((dir) => resolveTopologyRef(source, dir));
  const path = candidates.find((p) => existsSync(p)) ?? candidates[0];
  return orThrow(path, await loadTopologyFile(path));
}

/** `loadTopologyText`, throwing `TopologyError` when the topology has errors. */
export function loadTopologyTextOrThrow(text: string, fileName = "<topology>"): LoadedTopology {
  return orThrow(fileName, loadTopologyText(text, fileName));
}

/**
 * Where a topology reference points. A reference with a path separator or ending in `.yaml`/`.yml` is a
 * path and is returned unchanged; a bare name is `<topologiesDir>/<name>.yaml` (or `.yml` when only that
 * exists).
 */
export function resolveTopologyRef(nameOrPath: string, topologiesDir: string): string {
  if (/[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath)) return nameOrPath;
  const yaml = nodePath.join(topologiesDir, `${nameOrPath}.yaml`);
  const yml = nodePath.join(topologiesDir, `${nameOrPath}.yml`);
  return !existsSync(yaml) && existsSync(yml) ? yml : yaml;
}

function orThrow(source: string, result: LoadResult): LoadedTopology {
  if (!result.ok) throw new TopologyError(source, [...result.errors, ...result.warnings]);
  return { topology: result.topology, plan: result.plan, warnings: result.warnings };
}

function split(diags: Diagnostic[]): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const sorted = sortDiagnostics(diags);
  return {
    errors: sorted.filter((d) => d.severity === "error"),
    warnings: sorted.filter((d) => d.severity === "warning"),
  };
}

function failed(diags: Diagnostic[]): LoadResult {
  return { ok: false, ...split(diags) };
}

function toDiagnostic(issue: Issue, parsed: ParsedYaml, file: string): Diagnostic {
  const { line, column } =
    issue.offset !== undefined ? toPosition(parsed, issue.offset) : locate(parsed, issue.path, issue.atKey);
  return {
    severity: issue.severity,
    code: issue.code,
    file,
    line,
    column,
    path: pathToString(issue.path),
    message: issue.message,
    hint: issue.hint,
  };
}

function fileError(path: string, cause: unknown): Diagnostic {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const base = { severity: "error" as const, file: path, line: 0, column: 0, path: "" };
  if (code === "ENOENT") {
    const dir = nodePath.dirname(path);
    let known: string[] = [];
    try {
      known = readdirSync(dir)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort();
    } catch {
      known = [];
    }
    const hint = known.length
      ? `topologies in ${dir}: ${known.map((f) => f.replace(/\.ya?ml$/i, "")).join(", ")}`
      : `check the path (looked in ${nodePath.resolve(dir)})`;
    return { ...base, code: "FILE_NOT_FOUND", message: "no such topology file", hint };
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return {
    ...base,
    code: "FILE_UNREADABLE",
    message: `cannot read the topology file: ${reason}`,
    hint: "check that the path is a readable YAML file",
  };
}
