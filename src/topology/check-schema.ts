import Ajv from "ajv";
import type { ErrorObject } from "ajv";
import type { Issue } from "./diagnostics";
import { isDuration } from "./duration";
import { topologySchema } from "./schema";
import type { RawTopology } from "./schema";
import { closest, didYouMean, quoteList } from "./suggest";
import type { YamlPath } from "./types";

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
ajv.addFormat("duration", { type: "string", validate: isDuration });
const validate = ajv.compile(topologySchema);

interface SubSchema {
  title?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, SubSchema>;
  enum?: string[];
}

/** Keys people write for another key of the same mapping. */
const SYNONYMS: Record<string, Record<string, string>> = {
  server: { listen: "port", groups: "group", connects: "connect", dial: "connect", dials: "connect" },
  "exchanges entry": { port: "listen", connects: "connect", dial: "connect" },
  process: {
    connects: "connect",
    dial: "connect",
    groups: "group",
    exchange: "exchanges",
    endpoints: "exchanges",
    command: "run",
    cmd: "run",
    exec: "run",
    args: "run",
    argv: "run",
    program: "run",
    script: "run",
    dir: "cwd",
    workdir: "cwd",
    directory: "cwd",
    environment: "env",
    timeout: "readyTimeout",
    startTimeout: "readyTimeout",
    startupTimeout: "readyTimeout",
  },
  service: { group: "groups" },
};

const suggestion = (title: string | undefined, key: string, allowed: string[]): string | undefined =>
  SYNONYMS[title ?? ""]?.[key] ?? closest(key, allowed);

const SERVER_RUNS =
  "a server entry always runs the lab's exchange server; to run a program of yours, declare it under the machine's `processes:` (with `group`/`exchanges` for its endpoints)";

const KEY_HINTS: Record<string, Record<string, string>> = {
  server: { run: SERVER_RUNS, cwd: SERVER_RUNS, env: SERVER_RUNS, readyTimeout: SERVER_RUNS },
  process: {
    listen:
      "a process listens through `exchanges: [{ group: <g>, listen: <port> }]`; a plain server goes in the machine's `servers:` list",
    port: "a process listens through `exchanges: [{ group: <g>, listen: <port> }]`; a plain server goes in the machine's `servers:` list",
  },
  machine: { exchange: "a machine's exchange servers go in `servers: [{ port: <number> }]`" },
};

/**
 * Checks the document's structure: every problem at once, unknown keys included. A missing key next to an
 * unknown key meant for it (`prot` for `port`) is reported once, as the unknown key.
 */
export function checkSchema(data: unknown): { ok: true; value: RawTopology } | { ok: false; issues: Issue[] } {
  if (validate(data)) return { ok: true, value: data as unknown as RawTopology };
  const errors = validate.errors ?? [];
  const issues = dedupe(errors.map(toIssue));
  const meant = new Map(
    errors
      .filter((e) => e.keyword === "additionalProperties")
      .map((e) => {
        const parent = e.parentSchema as SubSchema;
        const key = String(e.params.additionalProperty);
        return [`${e.instancePath}/${suggestion(parent.title, key, Object.keys(parent.properties ?? {}))}`, key];
      }),
  );
  // `rnu: …` next to `cwd: …`: the unknown key says it all; "cwd needs run" would be noise.
  const neededKey = (i: Issue) => (i.code === "NEEDS_RUN" ? [...i.path.slice(0, -1), "run"] : i.path);
  return {
    ok: false,
    issues: issues.filter(
      (i) => !((i.code === "MISSING_KEY" || i.code === "NEEDS_RUN") && meant.has(pointerOf(neededKey(i)))),
    ),
  };
}

function toIssue(e: ErrorObject): Issue {
  const path = parsePointer(e.instancePath);
  const parent = (e.parentSchema ?? {}) as SubSchema;
  const what = parent.description ? ` (${parent.description.replace(/\.$/, "")})` : "";
  const base = { severity: "error" as const, path };
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const special = KEY_HINTS[parent.title ?? ""]?.[key];
      const meant = suggestion(parent.title, key, allowed);
      const looksLikeMachine = path.length === 0 && isObject((e.data as Record<string, unknown>)[key]);
      const hint =
        special ??
        (looksLikeMachine && !meant
          ? `machines are declared under \`machines:\`; move "${key}" there`
          : `${meant ? `did you mean "${meant}"? ` : ""}keys allowed in ${article(parent.title)}: ${allowed.join(", ")}${path.length === 0 ? " (and x-… keys, ignored, for YAML anchors)" : ""}`);
      return {
        ...base,
        code: "UNKNOWN_KEY",
        path: [...path, key],
        atKey: true,
        message: `unknown key "${key}" in ${article(parent.title)}`,
        hint,
      };
    }
    case "required": {
      const key = String(e.params.missingProperty);
      const prop = parent.properties?.[key];
      return {
        ...base,
        code: "MISSING_KEY",
        path: [...path, key],
        message: `${article(parent.title)} needs the key "${key}"`,
        hint: `add \`${key}: <value>\`${prop?.description ? ` (${prop.description.replace(/\.$/, "")})` : ""}`,
      };
    }
    case "dependencies": {
      const key = String(e.params.property);
      const needed = String(e.params.missingProperty);
      return {
        ...base,
        code: needed === "run" ? "NEEDS_RUN" : "MISSING_KEY",
        path: [...path, key],
        atKey: true,
        message: `\`${key}\` only applies with \`${needed}\`, and this ${parent.title ?? "mapping"} has no \`${needed}\``,
        hint:
          needed === "run"
            ? `add \`run: <command line or list of arguments>\` to run a program of yours, or remove \`${key}\` (the lab's generic host has no use for it)`
            : `add \`${needed}: <value>\`, or remove \`${key}\``,
      };
    }
    case "type": {
      const start =
        "start with `machines:` and at least one machine with a server (see topologies/three-machine-mesh.yaml)";
      if (path.length === 0 && (e.data === null || e.data === undefined))
        return { ...base, code: "WRONG_TYPE", message: "the file is empty: expected a topology", hint: start };
      if (path.length === 0)
        return {
          ...base,
          code: "WRONG_TYPE",
          message: `expected a topology (a mapping of keys such as name, timing, machines), got ${describe(e.data)}`,
          hint: start,
        };
      const durationField = (parent as { format?: string }).format === "duration";
      const expected = durationField
        ? "a duration such as 200ms"
        : path.length === 5 && path[2] === "processes" && path[4] === "run"
          ? "a command line or a list of arguments"
          : expectedType(e.params.type as string | string[], parent);
      return {
        ...base,
        code: "WRONG_TYPE",
        message: `expected ${expected}, got ${describe(e.data)}`,
        hint:
          durationField && typeof e.data === "number"
            ? `durations need a unit: write "${e.data}ms" or "${e.data}s"`
            : `write ${expected} here${what}`,
      };
    }
    case "enum": {
      const options = (e.params.allowedValues as unknown[]).map(String);
      return {
        ...base,
        code: "BAD_VALUE",
        message: `expected one of ${quoteList(options)}, got ${describe(e.data)}`,
        hint: `${didYouMean(String(e.data), options)}${parent.description ?? ""}`.trim(),
      };
    }
    case "format":
      return {
        ...base,
        code: "BAD_VALUE",
        message: `${describe(e.data)} is not a duration`,
        hint: "write a number and a unit: 200ms, 1s, 1.5 s, 2 minutes",
      };
    case "minimum":
    case "maximum":
      return {
        ...base,
        code: "BAD_VALUE",
        message: `expected a number ${e.keyword === "minimum" ? "≥" : "≤"} ${e.params.limit}, got ${describe(e.data)}`,
        hint: `use a value in range${what}`,
      };
    case "minLength":
      return { ...base, code: "BAD_VALUE", message: "must not be empty", hint: `write a value${what}` };
    case "minProperties":
      return {
        ...base,
        code: "BAD_VALUE",
        message: "declare at least one machine",
        hint: "add a machine, e.g. `alpha: { servers: [{ port: 11111 }] }`",
      };
    case "minItems":
      return {
        ...base,
        code: "BAD_VALUE",
        message: "the list is empty",
        hint: `list at least one entry, or remove the key${what}`,
      };
    default:
      return {
        ...base,
        code: "SCHEMA",
        message: e.message ?? `fails ${e.keyword}`,
        hint: parent.description ?? "see the topology schema (`exlab validate --schema`)",
      };
  }
}

function parsePointer(pointer: string): YamlPath {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function expectedType(type: string | string[], parent: SubSchema): string {
  const types = Array.isArray(type) ? type : [type];
  if (types.includes("string") && types.includes("array")) return "a name or a list of names";
  const names: Record<string, string> = {
    object: "a mapping (key: value)",
    array: "a list",
    string: "text",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  const t = types.filter((x) => x !== "null").map((x) => names[x] ?? x);
  const listed = t.length > 2 ? `${t.slice(0, -1).join(", ")} or ${t[t.length - 1]}` : t.join(" or ");
  return parent.title && types.includes("object") ? `${article(parent.title)} (a mapping)` : listed;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

function article(title: string | undefined): string {
  if (!title) return "this mapping";
  if (title === "topology" || title === "timing") return `the ${title}`;
  return `${/^[aeiou]/.test(title) ? "an" : "a"} ${title}`;
}

function isObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The JSON pointer of a YAML path, as ajv writes instance paths. */
function pointerOf(path: YamlPath): string {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.code}|${i.path.join("/")}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
