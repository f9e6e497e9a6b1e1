import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isTestOnlyFile } from "../../runs";
import { EntryPointMissingError, ImageBuildError } from "./errors";
import { listFiles } from "./rootfs";
import { Lockfile, packagesRequiredBy, runtimeLocations } from "./runtime-deps";
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
 * The build context of `spec` from a project: Dockerfile (docker/<kind>/Dockerfile), package.json, dist/
 * without tests, and only the node_modules packages the seeded code needs at run time (by the lockfile).
 * The hash covers all of it plus the base image id, so an unchanged project reuses its image.
 */
export function planContext(spec: AppImageSpec, projectRoot: string, baseImageId: string): ContextPlan {
  const dist = path.join(projectRoot, "dist");
  if (!fs.existsSync(path.join(dist, spec.entry))) throw new EntryPointMissingError(`dist/${spec.entry}`);
  const dockerfile = path.join(projectRoot, "docker", spec.kind, "Dockerfile");
  const lock = readLockfile(projectRoot, spec);
  const files = shippedDistFiles(dist);
  const seeds = files
    .filter((f) => spec.seeds.some((s) => f.startsWith(`${s}/`)) && f.endsWith(".js"))
    .map((f) => path.join(dist, f));
  const required = packagesRequiredBy(seeds);
  const { locations, missing } = runtimeLocations(lock, required.keys());
  if (missing.length) {
    const where = missing.map((m) => `${m} (required by ${path.relative(projectRoot, required.get(m)!)})`);
    throw new ImageBuildError(`exlab-${spec.kind}`, [`not installed, not in package-lock.json: ${where.join(", ")}`]);
  }
  const entries: TarEntry[] = [
    { type: "file", path: "Dockerfile", source: dockerfile },
    { type: "file", path: "package.json", source: path.join(projectRoot, "package.json") },
    { type: "dir", path: "node_modules" },
  ];
  const h = crypto.createHash("sha256");
  h.update(`kind:${spec.kind}\0base:${baseImageId}\0`);
  h.update(fs.readFileSync(dockerfile))
    .update("\0package.json\0")
    .update(fs.readFileSync(path.join(projectRoot, "package.json")));
  const dirs = new Set<string>();
  for (const f of files) {
    addDirs(entries, dirs, `dist/${path.posix.dirname(f)}`);
    entries.push({ type: "file", path: `dist/${f}`, source: path.join(dist, f) });
    h.update(`\0dist/${f}\0`).update(fs.readFileSync(path.join(dist, f)));
  }
  for (const loc of locations) {
    const e = lock.packages[loc];
    h.update(`\0${loc}@${e.version ?? ""}:${e.integrity ?? e.resolved ?? ""}`);
    addDirs(entries, dirs, loc);
    entries.push(...packageEntries(path.join(projectRoot, loc), loc, dirs));
  }
  const bytes = entries.reduce((n, e) => n + (e.type === "file" ? fs.statSync(e.source).size : 0), 0);
  return { hash: h.digest("hex").slice(0, 16), entries, packages: locations, bytes };
}

function readLockfile(projectRoot: string, spec: AppImageSpec): Lockfile {
  const file = path.join(projectRoot, "package-lock.json");
  let lock: Partial<Lockfile>;
  try {
    lock = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Lockfile>;
  } catch (err) {
    throw new ImageBuildError(
      `exlab-${spec.kind}`,
      [`cannot read ${file}: images are built from a checkout of the project installed with \`npm ci\``],
      { cause: err },
    );
  }
  if (!lock.packages)
    throw new ImageBuildError(`exlab-${spec.kind}`, [
      `${file} has no "packages" map (lockfileVersion 2 or 3 needed: run npm install with npm 7 or later)`,
    ]);
  return lock as Lockfile;
}

function addDirs(entries: TarEntry[], dirs: Set<string>, dir: string): void {
  if (dir === "." || dir === "" || dirs.has(dir)) return;
  addDirs(entries, dirs, path.posix.dirname(dir));
  dirs.add(dir);
  entries.push({ type: "dir", path: dir });
}

/** One installed package's files, without its nested node_modules (those are separate locations). */
function packageEntries(abs: string, rel: string, dirs: Set<string>): TarEntry[] {
  const out: TarEntry[] = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
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
