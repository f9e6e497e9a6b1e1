import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isTestOnlyFile } from "../../runs";
import { EntryPointMissingError, ImageBuildError } from "./errors";
import { listFiles } from "./rootfs";
import { MAX_DEPTH, runtimeTree } from "./package-layout";
import { packagesRequiredBy } from "./runtime-deps";
import type { TarEntry } from "./tar";

/** An image of the project's own code: what it runs and which compiled folders its code may come from. */
export interface AppImageSpec {
  kind: "machine" | "faultproxy";
  /** The entry point, relative to dist/. */
  entry: string;
  /** dist/ folders whose every file is a starting point for the runtime dependency scan. */
  seeds: string[];
}

export const MACHINE_IMAGE: AppImageSpec = { kind: "machine", entry: "machine/main.js", seeds: ["machine"] };
export const FAULTPROXY_IMAGE: AppImageSpec = {
  kind: "faultproxy",
  entry: "faultproxy/main.js",
  seeds: ["faultproxy"],
};

/**
 * Where the user's project is in a project image (built FROM the machine image when a machine runs programs): under
 * /app, so that a project without a package.json of its own reaches `exchange-lab` through /app/package.json
 * (node's package self-reference), and one with its own node_modules finds its own packages first.
 */
export const PROJECT_DIR_IN_IMAGE = "/app/project";

/** The repository of project images; the tag is the hash of the project's files and the machine image. */
export const PROJECT_REPOSITORY = "exlab-project";

/** A build context ready to send: its archive entries, its content hash and what it holds. */
export interface ContextPlan {
  hash: string;
  entries: TarEntry[];
  /** node_modules install locations copied in. */
  packages: string[];
  /** Bytes of file content in the context. */
  bytes: number;
}

/**
 * Compiled files only tests use: the tests (`*.test.*`) and their helpers (`*-test-utils.*`, `test-support.*`,
 * `*-test-kit.*`). Neither images nor the npm package ship them (package.json `files` says the same).
 */
const TYPES_FILE = /\.d\.ts(\.map)?$/;

/** Compiled files that belong in an image: not tests or their helpers, not type declarations. */
export function shippedDistFiles(distDir: string): string[] {
  return listFiles(distDir).filter((f) => !isTestOnlyFile(f) && !TYPES_FILE.test(f));
}

/**
 * The build context of `spec` from a project (this checkout, or the package installed in a user's project):
 * Dockerfile (docker/<kind>/Dockerfile), package.json, dist/ without tests, and only the packages the seeded code
 * needs at run time, found as node finds them from the project and laid out as one node_modules tree under it
 * (see {@link runtimeTree}). The hash covers every file of it plus the base image id, so an unchanged project
 * reuses its image.
 */
export function planContext(spec: AppImageSpec, projectRoot: string, baseImageId: string): ContextPlan {
  const dist = path.join(projectRoot, "dist");
  if (!fs.existsSync(path.join(dist, spec.entry))) throw new EntryPointMissingError(`dist/${spec.entry}`);
  const dockerfile = path.join(projectRoot, "docker", spec.kind, "Dockerfile");
  const files = shippedDistFiles(dist);
  const seeds = files
    .filter((f) => spec.seeds.some((s) => f.startsWith(`${s}/`)) && f.endsWith(".js"))
    .map((f) => path.join(dist, f));
  const required = packagesRequiredBy(seeds);
  const { locations, missing, tooDeep } = runtimeTree(projectRoot, required.keys());
  if (missing.length) {
    const where = missing.map((m) => `${m} (required by ${path.relative(projectRoot, required.get(m)!)})`);
    throw new ImageBuildError(`exlab-${spec.kind}`, [
      `not installed where node looks from ${projectRoot}: ${where.join(", ")}`,
    ]);
  }
  if (tooDeep.length)
    throw new ImageBuildError(`exlab-${spec.kind}`, [
      `the runtime packages make no node_modules tree: deeper than ${MAX_DEPTH} levels at ${tooDeep[0]}`,
    ]);
  const entries: TarEntry[] = [
    { type: "file", path: "Dockerfile", source: dockerfile },
    { type: "file", path: "package.json", source: path.join(projectRoot, "package.json") },
    { type: "dir", path: "node_modules" },
  ];
  const dirs = new Set<string>(["node_modules"]);
  for (const f of files) {
    addDirs(entries, dirs, `dist/${path.posix.dirname(f)}`);
    entries.push({ type: "file", path: `dist/${f}`, source: path.join(dist, f) });
  }
  for (const [loc, source] of locations) {
    addDirs(entries, dirs, loc);
    entries.push(...packageEntries(source, loc, dirs));
  }
  const h = crypto.createHash("sha256");
  h.update(`kind:${spec.kind}\0base:${baseImageId}\0`);
  let bytes = 0;
  for (const e of entries) {
    h.update(`\0${e.type}:${e.path}\0`);
    if (e.type === "symlink") h.update(e.target);
    else if (e.type === "file") {
      const content = fs.readFileSync(e.source);
      bytes += content.length;
      h.update(`${fs.statSync(e.source).mode & 0o777}\0`).update(content);
    }
  }
  return { hash: h.digest("hex").slice(0, 16), entries, packages: [...locations.keys()], bytes };
}

function addDirs(entries: TarEntry[], dirs: Set<string>, dir: string): void {
  if (dir === "." || dir === "" || dirs.has(dir)) return;
  addDirs(entries, dirs, path.posix.dirname(dir));
  dirs.add(dir);
  entries.push({ type: "dir", path: dir });
}

/** One installed package's files, in name order, without its own node_modules (the tree places what it needs). */
function packageEntries(abs: string, rel: string, dirs: Set<string>): TarEntry[] {
  const out: TarEntry[] = [];
  const children = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of children) {
    const a = path.join(abs, e.name);
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name === "node_modules") continue;
      if (!dirs.has(r)) {
        dirs.add(r);
        out.push({ type: "dir", path: r });
      }
      out.push(...packageEntries(a, r, dirs));
    } else if (e.isSymbolicLink()) out.push({ type: "symlink", path: r, target: fs.readlinkSync(a) });
    else if (e.isFile()) out.push({ type: "file", path: r, source: a });
  }
  return out;
}
