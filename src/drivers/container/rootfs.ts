import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { BaseImageUnavailableError } from "./errors";
import type { TarEntry } from "./tar";

/** Bump when the recipe changes in a way the inputs' hash would not see. */
export const BASE_RECIPE_VERSION = 1;

/** Where node lives in the base image (on PATH, as in the official node images). */
export const NODE_IN_IMAGE = "usr/local/bin/node";

/** The shared libraries an `ldd` listing names: resolved paths in order, and the names it could not find. */
export function parseLdd(output: string): { libs: string[]; missing: string[] } {
  const libs: string[] = [];
  const missing: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "" || /statically linked|not a dynamic executable/.test(line)) continue;
    const arrow = /^(\S+)\s+=>\s+(.*)$/.exec(line);
    if (arrow) {
      if (arrow[2].startsWith("not found")) missing.push(arrow[1]);
      else {
        const p = /^(\/\S+)/.exec(arrow[2]);
        if (p) libs.push(p[1]);
      }
      continue;
    }
    const direct = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    if (direct) libs.push(direct[1]);
  }
  return { libs: libs.filter((l, i) => libs.indexOf(l) === i), missing };
}

/** Runs `ldd` on the binary; a statically linked binary yields no libraries. */
export async function lddLibraries(binary: string): Promise<string[]> {
  let out: string;
  try {
    out = (await promisify(execFile)("ldd", [binary], { encoding: "utf8" })).stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    if (/not a dynamic executable|statically linked/.test(`${e.stdout ?? ""}${e.stderr ?? ""}`)) return [];
    throw new BaseImageUnavailableError(
      `cannot list the shared libraries of ${binary} with ldd (is ldd installed?); set LAB_BASE_IMAGE to use an existing image instead`,
      { cause: err },
    );
  }
  const { libs, missing } = parseLdd(out);
  if (missing.length)
    throw new BaseImageUnavailableError(`${binary} needs libraries ldd cannot find: ${missing.join(", ")}`);
  return libs;
}

/** What goes into the base image's root filesystem, in archive order. */
export interface RootfsRecipe {
  /** Host path of the node binary (symlinks resolved). */
  node: string;
  /** Library paths as ldd lists them; stored at those paths, with the content their symlinks point to. */
  libs: string[];
  /** A directory whose files are copied as they are (docker/base/rootfs: etc/passwd, etc/group…). */
  overlay: string;
}

export function rootfsEntries(recipe: RootfsRecipe): TarEntry[] {
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  const dir = (d: string, mode = 0o755, uid = 0) => {
    if (d === "." || d === "" || dirs.has(d)) return;
    dir(path.posix.dirname(d));
    dirs.add(d);
    entries.push({ type: "dir", path: d, mode, uid, gid: uid });
  };
  dir("tmp", 0o1777);
  dir("root", 0o700);
  dir("home/node", 0o755, 1000);
  for (const rel of listFiles(recipe.overlay)) {
    dir(path.posix.dirname(rel));
    entries.push({ type: "file", path: rel, source: path.join(recipe.overlay, rel) });
  }
  dir(path.posix.dirname(NODE_IN_IMAGE));
  entries.push({ type: "file", path: NODE_IN_IMAGE, source: recipe.node, mode: 0o755 });
  for (const lib of recipe.libs) {
    const rel = lib.replace(/^\/+/, "");
    dir(path.posix.dirname(rel));
    entries.push({ type: "file", path: rel, source: fs.realpathSync(lib), mode: 0o755 });
  }
  return entries;
}

/**
 * The base image's tag: a hash of the recipe version, the node binary (version, size, mtime), the libraries'
 * contents and the overlay's files. The same host gives the same tag, so the image is built once.
 */
export function rootfsHash(
  recipe: RootfsRecipe,
  nodeVersion: string = process.version,
  arch: string = process.arch,
): string {
  const h = crypto.createHash("sha256");
  const st = fs.statSync(recipe.node);
  h.update(JSON.stringify({ v: BASE_RECIPE_VERSION, nodeVersion, arch, size: st.size, mtime: Math.floor(st.mtimeMs) }));
  for (const lib of recipe.libs) h.update(`\0lib:${lib}\0`).update(fs.readFileSync(lib));
  for (const rel of listFiles(recipe.overlay))
    h.update(`\0overlay:${rel}\0`).update(fs.readFileSync(path.join(recipe.overlay, rel)));
  return h.digest("hex").slice(0, 16);
}

/** Files under `root`, relative with "/" separators, sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk("");
  return out.sort();
}
