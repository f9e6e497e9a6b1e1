import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ProjectUnreadableError } from "./errors";
import type { ProjectFile } from "./project-files";

/** A file is trusted by its stamp only once it is this much older than the look: what could change it unseen. */
const SETTLE_MS = 2000;
const VERSION = 1;

/**
 * Content digests of a project's files, kept between runs in `<stateDir>/project-digests/<hash of the project
 * path>.json` so that an unchanged file is not read again: a digest is reused while the file's size, mtime,
 * ctime and inode are those it was computed for (any write, chmod, rename or replacement changes one of them).
 * Files that changed less than 2 s before they were looked at are read every time, as git does with "racy"
 * entries, since a write within the clock's granularity might leave the stamp as it was.
 */
export class FileDigests {
  /** Files read this time, and their bytes (the others came from the cache). */
  read = 0;
  readBytes = 0;
  private readonly next = new Map<string, [string, string]>();

  private constructor(
    private readonly root: string,
    private readonly file: string | undefined,
    private readonly known: Map<string, [string, string]>,
    private readonly startedAt: number,
  ) {}

  /** The cache of `projectRoot` under `stateDir`; none (every file read) when `stateDir` is undefined. */
  static open(stateDir: string | undefined, projectRoot: string, now = Date.now()): FileDigests {
    if (!stateDir) return new FileDigests(projectRoot, undefined, new Map(), now);
    const key = crypto.createHash("sha256").update(projectRoot).digest("hex").slice(0, 16);
    const file = path.join(stateDir, "project-digests", `${key}.json`);
    let known = new Map<string, [string, string]>();
    try {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: number; root?: string; files?: unknown };
      if (saved.version === VERSION && saved.root === projectRoot && saved.files && typeof saved.files === "object")
        known = new Map(Object.entries(saved.files as Record<string, [string, string]>));
    } catch {
      // none yet, or unusable: every file is read once
    }
    return new FileDigests(projectRoot, file, known, now);
  }

  /** The sha256 of `f`'s content (hex), from the cache when its stamp is unchanged. */
  digest(f: ProjectFile): string {
    const stamp = `${f.size}:${f.mtimeMs}:${f.ctimeMs}:${f.ino}`;
    const cached = this.known.get(f.path);
    if (cached && cached[0] === stamp) {
      this.next.set(f.path, cached);
      return cached[1];
    }
    const { digest, bytes } = hashFile(f.source);
    this.read++;
    this.readBytes += bytes;
    if (bytes === f.size && Math.max(f.mtimeMs, f.ctimeMs) < this.startedAt - SETTLE_MS)
      this.next.set(f.path, [stamp, digest]);
    return digest;
  }

  /** Writes the digests of the files seen this time (others are dropped), atomically, if any changed. Never throws. */
  save(): void {
    if (!this.file) return;
    if (this.read === 0 && this.next.size === this.known.size) return; // every digest came from the file as it is
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const files = Object.fromEntries(this.next);
      fs.writeFileSync(tmp, JSON.stringify({ version: VERSION, root: this.root, files }));
      fs.renameSync(tmp, this.file);
    } catch {
      // a cache: the next run reads the files again
    }
  }
}

const CHUNK = 1 << 20;

/** sha256 of a file's content, read in 1 MiB chunks; ProjectUnreadableError when it cannot be read. */
export function hashFile(file: string): { digest: string; bytes: number } {
  const h = crypto.createHash("sha256");
  let fd: number | undefined;
  let bytes = 0;
  try {
    fd = fs.openSync(file, "r");
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let n; (n = fs.readSync(fd, buffer, 0, CHUNK, null)) > 0;) {
      h.update(buffer.subarray(0, n));
      bytes += n;
    }
  } catch (err) {
    throw new ProjectUnreadableError(file, (err as NodeJS.ErrnoException).code ?? String(err), { cause: err });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return { digest: h.digest("hex"), bytes };
}
