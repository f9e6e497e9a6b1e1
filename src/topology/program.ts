import * as nodePath from "node:path";
import { parse } from "shell-quote";
import type { ParseEntry } from "shell-quote";
import type { Issue } from "./diagnostics";
import { formatDuration, parseDuration } from "./duration";
import type { RawProcess } from "./schema";
import { quoteList } from "./suggest";
import type { TopologyProgram, YamlPath } from "./types";

/** How long a program may take to become ready when its `readyTimeout` is not written. */
export const DEFAULT_READY_TIMEOUT_MS = 15_000;

/** Names of environment variables a program may be given. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Environment variables starting with this (in any case) are the lab's own. */
export const RESERVED_ENV_PREFIX = "EXLAB_";

/** A `run` command line split into arguments, or why it cannot be. */
export type SplitCommandLine = { ok: true; argv: string[] } | { ok: false; problem: string; hint: string };

const NO_SHELL = "use a list of arguments or a script";
const LIST_HINT =
  "no shell runs it: write `run: [<program>, <argument>, …]`, or put the command line in a script and run that";

/** A variable reference met while splitting, kept apart so that it cannot vanish. */
interface VariableRef {
  variable: string;
}

/**
 * Splits a `run` command line the way a POSIX shell splits words: blanks separate arguments; single quotes,
 * double quotes, `$'…'` and backslashes are honoured. What only a shell could do is refused rather than
 * passed on or dropped: operators (`|`, `&&`, `>`, `;`, `(`…), glob patterns, comments, variable references
 * (`$HOME`, `${X}`, `$1`), command substitution, `~` at the start of a word, `NAME=value` before the program,
 * several lines, unterminated quotes. `$` inside single quotes is kept as written. Pure.
 */
export function splitCommandLine(line: string): SplitCommandLine {
  const fail = (problem: string, hint = LIST_HINT): SplitCommandLine => ({ ok: false, problem, hint });
  const scanned = scan(line);
  if (!scanned.ok) return fail(scanned.problem, scanned.hint);
  let entries: (ParseEntry | VariableRef)[];
  try {
    entries = parse<VariableRef>(scanned.text, (key) => (key === "" ? undefined : { variable: key }));
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return fail(/^Bad substitution/.test(message) ? "it has a ${…} that is empty or never closed" : message);
  }
  const argv: string[] = [];
  const operators: string[] = [];
  const globs: string[] = [];
  const variables: string[] = [];
  let comment: string | undefined;
  for (const e of entries) {
    if (typeof e === "string") argv.push(e);
    else if ("variable" in e)
      variables.push(/^(\w+|[*@#?$!-])$/.test(e.variable) ? `$${e.variable}` : `\${${e.variable}}`);
    else if ("comment" in e) comment = e.comment;
    else if (e.op === "glob") globs.push(e.pattern);
    else operators.push(e.op);
  }
  const listed = (items: string[]) => quoteList([...new Set(items)]);
  const are = (items: string[], one: string, many: string) =>
    `${listed(items)} ${new Set(items).size === 1 ? `is ${one}` : `are ${many}`}`;
  if (operators.length > 0)
    return fail(
      `${are(operators, "a shell operator", "shell operators")}`,
      `${LIST_HINT}; quote a character that belongs to an argument ('a|b')`,
    );
  if (comment !== undefined)
    return fail(`"#${comment}" is a comment`, "remove it, or quote a # that starts an argument ('#1')");
  if (globs.length > 0)
    return fail(
      `${are(globs, "a glob pattern, which only a shell expands", "glob patterns, which only a shell expands")}`,
      "name the files, or quote the pattern ('*.json') when the program expands it itself",
    );
  if (variables.length > 0)
    return fail(
      `${joined([...new Set(variables)])} ${variables.length === 1 ? "is a variable reference" : "are variable references"}, which only a shell expands`,
      "write the value itself, or set it with `env:` and read it in the program; in single quotes ('$HOME') a $ is kept as written",
    );
  if (argv.length === 0) return fail("it names no program", "write the program and its arguments, e.g. `node app.js`");
  if (argv[0] === "") return fail("the program name is empty", "write the program first, e.g. `node app.js`");
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]))
    return fail(
      `"${argv[0]}" sets a variable, which only a shell does`,
      `set it with \`env: { ${argv[0].replace("=", ": ")} }\` and start \`run\` with the program`,
    );
  return { ok: true, argv };
}

/** The diagnostic message for a command line that `splitCommandLine` refuses. */
export const notACommandLine = (problem: string): string => `run is not a shell command line: ${problem}; ${NO_SHELL}`;

/**
 * What `shell-quote` does not see or does not refuse: unterminated quotes, a trailing backslash, backticks,
 * `~` at the start of a word, line breaks between words. Also escapes an unquoted `#` inside a word, which a
 * shell keeps (`--color=#fff`) but `shell-quote` would take for a comment.
 */
function scan(line: string): { ok: true; text: string } | { ok: false; problem: string; hint: string } {
  const text = line.trim();
  let out = "";
  let quote: "'" | '"' | "$'" | undefined;
  let opened = 0;
  for (let i = 0; i < text.length; out += text[i], i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      if (i === text.length - 1 && quote === undefined)
        return { ok: false, problem: "it ends with a backslash, which escapes nothing", hint: "remove the backslash" };
      out += c;
      i++;
      continue;
    }
    if (quote === "$'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "`")
      return {
        ok: false,
        problem: "`…` is a command substitution, which only a shell runs",
        hint: `${LIST_HINT}; quote a \` that belongs to an argument with single quotes`,
      };
    if (quote === '"') {
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') [quote, opened] = [c, i + 1];
    else if (c === "$" && text[i + 1] === "'") {
      [quote, opened] = ["$'", i + 1];
      out += c;
      i++;
    } else if (c === "\n" || c === "\r")
      return {
        ok: false,
        problem: "it has several lines, which a shell would run as separate commands",
        hint: "write it on one line (a YAML `>` block folds lines into one), or as a list of arguments",
      };
    else if (c === "#" && i > 0 && !/\s/.test(text[i - 1])) out += "\\";
    else if (c === "~" && (i === 0 || /\s/.test(text[i - 1])))
      return {
        ok: false,
        problem: `"${/^\S*/.exec(text.slice(i))![0]}" starts with ~, which only a shell turns into the home directory`,
        hint: "write the path relative to `cwd`, or quote it ('~/x') to pass the ~ as written",
      };
  }
  if (quote === undefined) return { ok: true, text: out };
  return {
    ok: false,
    problem: `the ${quote} opened at character ${opened} is never closed`,
    hint: "close the quote, or write `run` as a list of arguments",
  };
}

/**
 * A command line for people to read (`exlab validate`, logs), quoted so that `splitCommandLine` gives `argv`
 * back: plain words as they are, anything else in single quotes.
 */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}

const joined = (items: readonly string[]): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/**
 * The program of a `processes:` entry (`run`, `cwd`, `env`, `readyTimeout`), checked: a `run` string that
 * is not a plain command line, a `cwd` that is absolute or leaves the project directory, environment
 * variable names that are invalid or reserved, a zero `readyTimeout`. Every problem goes to `issues`.
 * Undefined when the entry has no `run` (the schema refuses the other keys without it).
 */
export function programOf(p: RawProcess, path: YamlPath, issues: Issue[]): TopologyProgram | undefined {
  if (p.run === undefined) return undefined;
  const err = (code: string, at: YamlPath, message: string, hint: string, atKey = false) =>
    issues.push({ severity: "error", code, path: at, message, hint, ...(atKey && { atKey }) });
  let argv: string[] = [];
  if (typeof p.run !== "string") argv = [...p.run];
  else {
    const split = splitCommandLine(p.run);
    if (split.ok) argv = split.argv;
    else err("BAD_RUN", [...path, "run"], notACommandLine(split.problem), split.hint);
  }
  const cwd =
    p.cwd === undefined ? "." : checkCwd(p.cwd, (message, hint) => err("BAD_CWD", [...path, "cwd"], message, hint));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.env ?? {})) {
    const at = [...path, "env", name];
    if (!ENV_NAME_PATTERN.test(name))
      err(
        "BAD_ENV_NAME",
        at,
        `environment variable name "${name}" is not valid`,
        "use letters, digits and _, not starting with a digit (e.g. ORDERS_STORE)",
        true,
      );
    else if (name.toUpperCase().startsWith(RESERVED_ENV_PREFIX))
      err(
        "RESERVED_ENV",
        at,
        `environment variable "${name}" is reserved: names starting with ${RESERVED_ENV_PREFIX} are the lab's`,
        `rename it; the lab sets ${RESERVED_ENV_PREFIX}… variables for the processes it starts`,
        true,
      );
    env[name] = String(value);
  }
  let readyTimeoutMs: number | undefined;
  if (p.readyTimeout !== undefined) {
    readyTimeoutMs = parseDuration(p.readyTimeout);
    if (readyTimeoutMs <= 0)
      err(
        "BAD_TIMING",
        [...path, "readyTimeout"],
        `readyTimeout must be longer than 0, got ${formatDuration(readyTimeoutMs)}`,
        `write a positive duration, or leave it out for the default (${formatDuration(DEFAULT_READY_TIMEOUT_MS)})`,
      );
  }
  return { argv, cwd, env, ...(readyTimeoutMs !== undefined && { readyTimeoutMs }), yamlPath: [...path, "run"] };
}

/** `cwd` as a normalised relative POSIX path ("." for the project directory itself), or "." after a problem. */
function checkCwd(cwd: string, fail: (message: string, hint: string) => void): string {
  const relative = "write a path relative to the project directory, e.g. `services`";
  if (cwd.includes("\\")) {
    fail(`cwd "${cwd}" has a backslash`, "separate directories with /, e.g. `services/orders`");
    return ".";
  }
  if (cwd.startsWith("/") || /^[A-Za-z]:/.test(cwd)) {
    fail(`cwd "${cwd}" is an absolute path; it must be relative to the project directory`, relative);
    return ".";
  }
  if (cwd.startsWith("~")) {
    fail(`cwd "${cwd}" starts with ~, which nothing expands; it must be relative to the project directory`, relative);
    return ".";
  }
  const normal = nodePath.posix.normalize(cwd).replace(/\/+$/, "") || ".";
  if (normal === ".." || normal.startsWith("../")) {
    fail(
      `cwd "${cwd}" leaves the project directory`,
      "keep the program's directory inside the project (copy or link what it needs there)",
    );
    return ".";
  }
  return normal;
}
