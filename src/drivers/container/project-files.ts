import fs from "node:fs";
import path from "node:path";
import { ProjectTooLargeError, ProjectUnreadableError } from "./errors";
import type { IgnoreRules } from "./project-ignore";

/** What a project image carries of one path of the project (relative, "/" separators). */
export type ProjectEntry =
  | { type: "dir"; path: string }
  | { type: "symlink"; path: string; target: string }
  | {
      type: "file";
      path: string;
      /** Its absolute path on this host. */
      source: string;
      mode: number;
      size: number;
      mtimeMs: number;
      ctimeMs: number;
      ino: number;
    };

export type ProjectFile = Extract<ProjectEntry, { type: "file" }>;

export interface ProjectWalk {
  /** The project's real path (symlinks resolved): every entry is below it. */
  root: string;
  /** Parents before their children, names in code-unit order: the same tree gives the same list. */
  entries: ProjectEntry[];
  /** What was left out although no rule said so, and why (a symlink out of the project, a socket…). */
  skipped: { path: string; why: string }[];
  files: number;
  bytes: number;
}

export interface WalkOptions {
  rules: IgnoreRules;
  /** Absolute paths never copied (the run's own folders, when they lie inside the project). */
  exclude?: readonly string[];
  /** More bytes of files than this is a ProjectTooLargeError. */
  maxBytes: number;
}

/**
 * The paths of the project a project image carries: every folder, file and symlink the rules keep, found without
 * following symlinks. A symlink whose target (followed to its end, or as written when dangling) stays inside the
 * project is kept as a symlink, relative (an absolute target is rewritten so that it holds under /app/project too);
 * one leading out of the project is left out and listed in `skipped`, so nothing of the host outside the project
 * comes in through it. So are sockets, FIFOs and devices.
 */
export function walkProject(projectDir: string, options: WalkOptions): ProjectWalk {
  const root = realpath(projectDir);
  const exclude = (options.exclude ?? []).map((e) => (fs.existsSync(e) ? fs.realpathSync(e) : path.resolve(e)));
  const walk: ProjectWalk = { root, entries: [], skipped: [], files: 0, bytes: 0 };
  const bySegment = new Map<string, number>();
  const out = walk.entries;
  const visit = (dirAbs: string, dirRel: string): void => {
    for (const name of readdir(dirAbs)) {
      const abs = path.join(dirAbs, name.name);
      const rel = dirRel ? `${dirRel}/${name.name}` : name.name;
      if (exclude.some((e) => abs === e || abs.startsWith(e + path.sep))) continue;
      const ignored = options.rules.ignores(rel);
      if (name.isDirectory()) {
        if (ignored && !options.rules.hasExceptions) continue;
        const at = out.push({ type: "dir", path: rel });
        visit(abs, rel);
        if (ignored && out.length === at) out.pop(); // left out, and nothing inside taken back
        continue;
      }
      if (ignored) continue;
      if (name.isSymbolicLink()) {
        const link = symlinkInProject(root, abs);
        if ("why" in link) walk.skipped.push({ path: rel, why: link.why });
        else out.push({ type: "symlink", path: rel, target: link.target });
      } else if (name.isFile()) {
        const st = lstat(abs);
        out.push({ type: "file", path: rel, source: abs, mode: st.mode & 0o7777, size: st.size, ...stamp(st) });
        walk.files++;
        walk.bytes += st.size;
        const top = rel.split("/")[0];
        bySegment.set(top, (bySegment.get(top) ?? 0) + st.size);
        if (walk.bytes > options.maxBytes) {
          const largest = [...bySegment].sort((a, b) => b[1] - a[1]).slice(0, 3);
          throw new ProjectTooLargeError(
            projectDir,
            walk.bytes,
            options.maxBytes,
            largest.map(([p, bytes]) => ({ path: p, bytes })),
          );
        }
      } else walk.skipped.push({ path: rel, why: "not a file, folder or symlink" });
    }
  };
  visit(root, "");
  return walk;
}

function stamp(st: fs.Stats): { mtimeMs: number; ctimeMs: number; ino: number } {
  return { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

/** Where a symlink inside the project leads: a target to keep (relative), or why it is left out. */
export function symlinkInProject(root: string, abs: string): { target: string } | { why: string } {
  const written = fs.readlinkSync(abs);
  const lexical = path.resolve(path.dirname(abs), written);
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    real = lexical; // dangling (or a loop): judged by where it points as written
  }
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  if (!inside(real)) return { why: `a symlink to ${real}, outside the project` };
  if (!path.isAbsolute(written) && inside(lexical)) return { target: written };
  return {
    target:
      path
        .relative(path.dirname(abs), inside(lexical) ? lexical : real)
        .split(path.sep)
        .join("/") || ".",
  };
}

function realpath(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    if (!fs.statSync(real).isDirectory()) throw new ProjectUnreadableError(dir, "not a folder");
    return real;
  } catch (err) {
    if (err instanceof ProjectUnreadableError) throw err;
    throw new ProjectUnreadableError(dir, (err as NodeJS.ErrnoException).code ?? String(err), { cause: err });
  }
}

function readdir(dir: string): fs.Dirent[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    throw new ProjectUnreadableError(dir, (err as NodeJS.ErrnoException).code ?? String(err), { cause: err });
  }
}

function lstat(file: string): fs.Stats {
  try {
    return fs.lstatSync(file);
  } catch (err) {
    throw new ProjectUnreadableError(file, (err as NodeJS.ErrnoException).code ?? String(err), { cause: err });
  }
}
