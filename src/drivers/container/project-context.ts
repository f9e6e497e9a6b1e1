import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { FileDigests, hashFile } from "./file-digests";
import { walkProject, type ProjectWalk } from "./project-files";
import { readIgnoreRules } from "./project-ignore";
import type { TarEntry } from "./tar";

/** Files of the project copied into an image, at most, unless EXLAB_PROJECT_MAX_MB says otherwise. */
export const DEFAULT_PROJECT_MAX_BYTES = 1024 * 1e6;

/** Bump when what a project image holds for the same files changes (layout, modes): old tags are then rebuilt. */
const LAYOUT = "project-image v2";

export interface ProjectPlanOptions {
  /** Holds docker/project/Dockerfile (the lab's package, not the user's project). */
  packageRoot: string;
  /** Where file digests are kept between runs; undefined reads every file. */
  stateDir?: string;
  /** Absolute paths never copied (the run's own folders, when they lie inside the project). */
  exclude?: readonly string[];
  /** @default DEFAULT_PROJECT_MAX_BYTES */
  maxBytes?: number;
  /** For the digest cache's "recently changed" rule. @default Date.now() */
  now?: number;
}

/** The build context of a project image and what it holds. */
export interface ProjectPlan {
  /** Of every path, mode, symlink target and file content, the Dockerfile and the machine image id. */
  hash: string;
  /** `Dockerfile`, the project's top-level node_modules under `deps/`, and the rest of the project under `project/`. */
  entries: TarEntry[];
  files: number;
  bytes: number;
  /** Files read to hash them this time (new or changed since the last plan), and their bytes. */
  read: number;
  readBytes: number;
  /** What the user should know: symlinks out of the project left out, node_modules left out… */
  warnings: string[];
}

/**
 * What a project image of `projectDir` built FROM the machine image `machineImageId` carries: the project's files
 * and its installed node_modules as `.dockerignore` keeps them (see walkProject for symlinks), folders 0755 and
 * files 0644 (0755 when the owner may execute them), so that the image's user reads them whatever this host's
 * modes; the Dockerfile gives them to uid 1000. The top-level node_modules travels apart (`deps/`) and is copied
 * first, so that the engine's build cache reuses its layer while only the project's own files change. Unchanged
 * files are not read again (FileDigests).
 */
export function planProjectContext(
  projectDir: string,
  machineImageId: string,
  options: ProjectPlanOptions,
): ProjectPlan {
  const rules = readIgnoreRules(projectDir);
  const walk = walkProject(projectDir, {
    rules,
    exclude: options.exclude,
    maxBytes: options.maxBytes ?? DEFAULT_PROJECT_MAX_BYTES,
  });
  const digests = FileDigests.open(options.stateDir, walk.root, options.now);
  const dockerfile = path.join(options.packageRoot, "docker", "project", "Dockerfile");
  const h = crypto.createHash("sha256");
  h.update(`${LAYOUT}\0machine:${machineImageId}\0dockerfile:${hashFile(dockerfile).digest}\0`);
  const entries: TarEntry[] = [
    { type: "file", path: "Dockerfile", source: dockerfile, mode: 0o644 },
    { type: "dir", path: "deps", mode: 0o755 },
    { type: "dir", path: "project", mode: 0o755 },
  ];
  try {
    for (const e of walk.entries) {
      const rel = `${/^node_modules(\/|$)/.test(e.path) ? "deps" : "project"}/${e.path}`;
      if (e.type === "dir") {
        entries.push({ type: "dir", path: rel, mode: 0o755 });
        h.update(`\0d:${e.path}\0`);
      } else if (e.type === "symlink") {
        entries.push({ type: "symlink", path: rel, target: e.target });
        h.update(`\0l:${e.path}\0${e.target}\0`);
      } else {
        const mode = e.mode & 0o100 ? 0o755 : 0o644;
        entries.push({ type: "file", path: rel, source: e.source, mode });
        h.update(`\0f:${e.path}\0${mode.toString(8)}:${digests.digest(e)}\0`);
      }
    }
  } finally {
    digests.save();
  }
  return {
    hash: h.digest("hex").slice(0, 16),
    entries,
    files: walk.files,
    bytes: walk.bytes,
    read: digests.read,
    readBytes: digests.readBytes,
    warnings: warningsOf(walk, projectDir, rules.ignores("node_modules")),
  };
}

function warningsOf(walk: ProjectWalk, projectDir: string, modulesIgnored: boolean): string[] {
  const warnings: string[] = [];
  const out = walk.skipped.filter((s) => s.why.startsWith("a symlink"));
  if (out.length) {
    const named = out.slice(0, 5).map((s) => `${s.path} (${s.why})`);
    warnings.push(
      `left out of the project image, not to copy files from outside the project: ${named.join(", ")}${out.length > 5 ? ` and ${out.length - 5} more` : ""}`,
    );
  }
  const special = walk.skipped.filter((s) => !s.why.startsWith("a symlink"));
  if (special.length)
    warnings.push(
      `left out of the project image (not a file, folder or symlink): ${special.map((s) => s.path).join(", ")}`,
    );
  if (modulesIgnored && fs.existsSync(path.join(projectDir, "node_modules")))
    warnings.push(
      "the project's .dockerignore leaves out node_modules: its programs will not find the project's packages in the machines (add `!node_modules` to take them back)",
    );
  return warnings;
}
