import fs from "node:fs";
import path from "node:path";
import dockerignore from "@balena/dockerignore";
import { DockerignoreInvalidError, ProjectUnreadableError } from "./errors";

/**
 * Left out of every project image before the project's own rules apply, so that its `.dockerignore` can take them
 * back (`!reports`): version-control data, and exlab's default report folder, which every run writes into (it would
 * change the image's hash on every run).
 */
export const DEFAULT_IGNORES: readonly string[] = [".git", "reports"];

/** The project's `.dockerignore` with Docker's semantics (moby's patternmatcher), after {@link DEFAULT_IGNORES}. */
export interface IgnoreRules {
  /** True when `rel` (relative to the project, "/" separators) is left out. */
  ignores(rel: string): boolean;
  /** Some rule takes paths back (`!…`): a folder that is left out must still be looked into. */
  readonly hasExceptions: boolean;
  /** The patterns as read (defaults first), for humans. */
  readonly patterns: readonly string[];
}

/**
 * Reads `<projectDir>/.dockerignore` (absent: the defaults alone) the way `docker build` does: a line starting with
 * `#` is a comment, blank lines are skipped, `!` takes paths back, the last matching rule wins, matching is case
 * sensitive. A pattern Docker would refuse (a lone `!`, an unclosed `[`, a trailing `\`) is a
 * DockerignoreInvalidError naming its line; an unreadable file is a ProjectUnreadableError.
 */
export function readIgnoreRules(projectDir: string): IgnoreRules {
  const file = path.join(projectDir, ".dockerignore");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") text = "";
    else throw new ProjectUnreadableError(file, code ?? String(err), { cause: err });
  }
  return ignoreRules(text, file);
}

/** The rules of a `.dockerignore` text (`file` names it in errors), after {@link DEFAULT_IGNORES}. */
export function ignoreRules(text: string, file = ".dockerignore"): IgnoreRules {
  const own: string[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (raw.startsWith("#")) return;
      const pattern = raw.trim();
      if (pattern === "") return;
      checkPattern(pattern, file, i + 1);
      own.push(pattern);
    });
  const patterns = [...DEFAULT_IGNORES, ...own];
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  return {
    ignores: (rel) => matcher.ignores(rel),
    hasExceptions: patterns.some((p) => p.startsWith("!")),
    patterns,
  };
}

function checkPattern(pattern: string, file: string, line: number): void {
  const body = pattern.startsWith("!") ? pattern.slice(1).trim() : pattern;
  if (body === "") throw new DockerignoreInvalidError(file, line, pattern, "an exclusion needs a pattern after `!`");
  if (/(^|[^\\])(\\\\)*\\$/.test(body))
    throw new DockerignoreInvalidError(file, line, pattern, "it ends with an escape `\\`");
  try {
    dockerignore({ ignorecase: false }).add(pattern).ignores("x"); // compiles the pattern (it is lazy)
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "");
    throw new DockerignoreInvalidError(file, line, pattern, reason.toLowerCase(), { cause: err });
  }
}
