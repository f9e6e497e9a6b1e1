import fs from "node:fs";
import { Readable } from "node:stream";

/**
 * One member of a tar archive. Paths are relative (no leading "/"), with "/" separators. Owner is root and
 * mtime 0 unless given, so the same inputs give the same bytes.
 */
export type TarEntry =
  | { type: "dir"; path: string; mode?: number; uid?: number; gid?: number }
  | { type: "file"; path: string; source: string; mode?: number; uid?: number; gid?: number }
  | { type: "data"; path: string; data: Buffer | string; mode?: number; uid?: number; gid?: number }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;

/** A ustar (+ pax for long names) archive of `entries`, streamed: file contents are read as they are reached. */
export function tarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}

/**
 * Pieces are sent in batches of about this size, and files up to it are read whole and synchronously: a context of
 * many small files (a node_modules) then streams about 10 times faster than with a read stream per file, and one
 * batch blocks the event loop for a few milliseconds at most.
 */
const BATCH = 1 << 20;

async function* tarChunks(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  const take = (pieces: Iterable<Buffer>) => {
    for (const b of pieces) {
      pending.push(b);
      size += b.length;
    }
  };
  const flush = () => {
    const out = Buffer.concat(pending, size);
    pending = [];
    size = 0;
    return out;
  };
  for await (const e of entries) {
    const p = e.path.replace(/^\/+/, "");
    if (e.type === "dir") {
      take(header(p.endsWith("/") ? p : `${p}/`, "5", 0, e.mode ?? 0o755, e.uid, e.gid));
    } else if (e.type === "symlink") {
      take(header(p, "2", 0, 0o777, 0, 0, e.target));
    } else if (e.type === "data") {
      const data = typeof e.data === "string" ? Buffer.from(e.data) : e.data;
      take(header(p, "0", data.length, e.mode ?? 0o644, e.uid, e.gid));
      take([data, padding(data.length)]);
    } else {
      const st = fs.statSync(e.source);
      take(header(p, "0", st.size, e.mode ?? st.mode & 0o777, e.uid, e.gid));
      let n = 0;
      if (st.size <= BATCH) {
        const content = st.size > 0 ? fs.readFileSync(e.source) : Buffer.alloc(0);
        n = content.length;
        take([content]);
      } else {
        yield flush();
        for await (const chunk of fs.createReadStream(e.source, { end: st.size - 1 }) as AsyncIterable<Buffer>) {
          n += chunk.length;
          yield chunk;
        }
      }
      if (n !== st.size) throw new Error(`${e.source} changed size while being archived (${st.size} → ${n} bytes)`);
      take([padding(st.size)]);
    }
    if (size >= BATCH) yield flush();
  }
  take([Buffer.alloc(BLOCK * 2)]);
  yield flush();
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

function* header(
  path: string,
  type: string,
  size: number,
  mode: number,
  uid = 0,
  gid = 0,
  link = "",
): Generator<Buffer> {
  const split = splitName(path);
  const pax: string[] = [];
  if (!split) pax.push(paxRecord("path", path));
  if (Buffer.byteLength(link) > 100) pax.push(paxRecord("linkpath", link));
  if (pax.length) {
    const body = Buffer.from(pax.join(""));
    yield ustar(`PaxHeaders/${path.slice(-80)}`.slice(0, 100), "", "x", body.length, 0o644, 0, 0, "");
    yield body;
    yield padding(body.length);
  }
  const [prefix, name] = split ?? ["", path.slice(-100)];
  yield ustar(name, prefix, type, size, mode, uid, gid, Buffer.byteLength(link) > 100 ? "" : link);
}

/** [prefix, name] when the path fits ustar's 155 + 100 bytes, else undefined (a pax record carries it). */
export function splitName(path: string): [string, string] | undefined {
  if (Buffer.byteLength(path) <= 100) return ["", path];
  for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "") return [prefix, name];
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function ustar(
  name: string,
  prefix: string,
  type: string,
  size: number,
  mode: number,
  uid: number,
  gid: number,
  link: string,
): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, "utf8");
  octal(b, 100, 8, mode);
  octal(b, 108, 8, uid);
  octal(b, 116, 8, gid);
  octal(b, 124, 12, size);
  octal(b, 136, 12, 0);
  b.fill(" ", 148, 156);
  b.write(type, 156, 1, "latin1");
  b.write(link, 157, 100, "utf8");
  b.write("ustar\u000000", 257, 8, "latin1");
  b.write(uid === 0 ? "root" : "", 265, 32, "latin1");
  b.write(gid === 0 ? "root" : "", 297, 32, "latin1");
  b.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "latin1");
  return b;
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, "0")}\u0000`, offset, width, "latin1");
}
