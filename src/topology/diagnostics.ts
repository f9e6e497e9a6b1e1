import type { YamlPath } from "./types";

/** How bad a finding is: errors stop the topology from loading; warnings are printed and kept. */
export type Severity = "error" | "warning";

/**
 * One finding about a topology file, with where it is and how to fix it.
 * `line` and `column` are 1-based; both are 0 when the finding is about the file as a whole (e.g. it
 * does not exist).
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. `PORT_CLASH`, `UNKNOWN_KEY`, `YAML_SYNTAX` (see `DIAGNOSTIC_CODES`). */
  code: string;
  file: string;
  line: number;
  column: number;
  /** YAML path in dotted form, e.g. `machines.beta.servers[1].port`; "" for the whole document. */
  path: string;
  /** What is wrong and what was expected. */
  message: string;
  /** How to fix it. */
  hint: string;
}

/** A finding of a pure pipeline step, before it is placed in a file. */
export interface Issue {
  severity: Severity;
  code: string;
  path: YamlPath;
  /** Point at the key of the last path segment rather than its value (names, unknown keys). @default false */
  atKey?: boolean;
  /** Exact offset in the source, when known (syntax errors); wins over `path` for the position. */
  offset?: number;
  message: string;
  hint: string;
}

/** Every code a diagnostic can carry, with its severity. */
export const DIAGNOSTIC_CODES = {
  FILE_NOT_FOUND: "error",
  FILE_UNREADABLE: "error",
  YAML_SYNTAX: "error",
  SCHEMA: "error",
  UNKNOWN_KEY: "error",
  MISSING_KEY: "error",
  WRONG_TYPE: "error",
  BAD_VALUE: "error",
  INVALID_NAME: "error",
  INVALID_GROUP: "error",
  DUPLICATE_NAME: "error",
  DUPLICATE_GROUP: "error",
  DUPLICATE_SERVICE: "error",
  CONFLICTING_KEYS: "error",
  BAD_TARGET: "error",
  UNKNOWN_MACHINE: "error",
  UNKNOWN_PROCESS: "error",
  NO_SERVER_ENDPOINT: "error",
  NO_SERVER_TO_JOIN: "error",
  AMBIGUOUS_TARGET: "error",
  SELF_DIAL: "error",
  PORT_CLASH: "error",
  RESERVED_PORT: "error",
  BAD_TIMING: "error",
  NEEDS_RUN: "error",
  BAD_RUN: "error",
  BAD_CWD: "error",
  BAD_ENV_NAME: "error",
  RESERVED_ENV: "error",
  MUTUAL_DIAL: "warning",
  PARTIAL_MESH: "warning",
  CLIENT_MULTIPLE_SERVERS: "warning",
  GROUP_LOOP: "warning",
  DUPLICATE_DIAL: "warning",
  AUDIENCE_UNREACHABLE: "warning",
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Renders a YAML path as `machines.beta.servers[1].port` (keys that are not plain words are quoted). */
export function pathToString(path: YamlPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Orders diagnostics by file, then position, errors before warnings on the same spot. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1),
  );
}

/**
 * Prints diagnostics, one per finding, in the order given:
 * ```
 * topologies/x.yaml:12:15  error  machines.beta.servers[1].port  port 11111 is already used …
 *     hint: give every server and bridge listener of a machine its own port
 * ```
 */
export function formatDiagnostics(diags: readonly Diagnostic[]): string {
  return diags
    .map((d) => {
      const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
      const head = [where, d.severity, d.path || "(document)", d.message].join("  ");
      return d.hint ? `${head}\n    hint: ${d.hint}` : head;
    })
    .join("\n");
}

/** Thrown by `loadTopologyOrThrow` when a topology has errors; carries every diagnostic (warnings too). */
export class TopologyError extends Error {
  readonly code = "TOPOLOGY_INVALID";
  readonly diagnostics: Diagnostic[];

  constructor(source: string, diagnostics: Diagnostic[], options?: { cause?: unknown }) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `topology ${source} is invalid (${errors.length} error${errors.length === 1 ? "" : "s"}):\n` +
        formatDiagnostics(errors),
      options,
    );
    this.name = "TopologyError";
    this.diagnostics = diagnostics;
  }
}
