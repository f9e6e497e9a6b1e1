/**
 * Wire framing (S-8). One frame:
 *
 *   0    2        3        4          8            12              12+H          12+L
 *   | "OX" | version | flags=0 | L: u32 BE | H: u32 BE | header JSON (H) | payload (L-H) |
 *
 * The header is a JSON object with a string `type`; the payload is opaque bytes (JSON of the
 * request arguments, result or report content), so relays forward it without parsing it.
 * The whole frame (12 + L bytes) must not exceed maxFrameBytes.
 */
import { FrameError } from "./errors";

export const WIRE_VERSION = 1;
export const PREFIX_BYTES = 12;
const MAGIC0 = 0x4f;
const MAGIC1 = 0x58;

export interface FrameHeader {
  type: string;
  [field: string]: unknown;
}

export interface Frame {
  h: FrameHeader;
  payload: Buffer | undefined;
  /** The whole frame as received (relays forward it unchanged when the header needs no change). */
  raw: Buffer;
}

/** Encodes one frame; the caller checks `length` against maxFrameBytes. */
export function encodeFrame(header: object, payload?: Buffer): Buffer {
  const head = encodeHead(header, payload?.length ?? 0);
  return payload && payload.length > 0 ? Buffer.concat([head, payload]) : head;
}

/**
 * The start of a frame: prefix and header, for a payload of `payloadBytes` that the caller sends right after it
 * (so a relay never copies a payload into a new frame buffer).
 */
export function encodeHead(header: object, payloadBytes: number): Buffer {
  const text = JSON.stringify(header);
  const headerBytes = Buffer.byteLength(text);
  const buf = Buffer.allocUnsafe(PREFIX_BYTES + headerBytes);
  buf[0] = MAGIC0;
  buf[1] = MAGIC1;
  buf[2] = WIRE_VERSION;
  buf[3] = 0;
  buf.writeUInt32BE(headerBytes + payloadBytes, 4);
  buf.writeUInt32BE(headerBytes, 8);
  buf.write(text, PREFIX_BYTES, "utf8");
  return buf;
}

/**
 * The payload of a value: a Buffer or other Uint8Array travels as its bytes (copied: later changes by the sender
 * are not seen), anything else as its JSON; undefined stays absent. The frame's header says which: see
 * {@link payloadFlag}. Throws on values JSON cannot carry.
 */
export function encodePayload(value: unknown): Buffer | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value);
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`cannot encode a ${typeof value} as JSON`);
  return Buffer.from(text, "utf8");
}

/** Header fields to send with the payload of `value`: `bin: 1` when it travels as raw bytes. */
export function payloadFlag(value: unknown): { bin?: 1 } {
  return value instanceof Uint8Array ? { bin: 1 } : {};
}

/** The value of a payload: a Buffer when the header says `bin: 1` (empty for no payload), else parsed JSON. */
export function decodePayload(payload: Buffer | undefined, bin?: unknown): unknown {
  if (bin === 1) return payload ?? Buffer.alloc(0);
  if (!payload || payload.length === 0) return undefined;
  try {
    return JSON.parse(payload.toString("utf8"));
  } catch (err) {
    throw new FrameError("MALFORMED_FRAME", "payload is not valid JSON", { cause: err });
  }
}

/**
 * Incremental decoder: push chunks as they arrive; complete frames go to `onFrame`. Throws FrameError on
 * bad input (the link is then closed); after that, or after `stop()`, it ignores everything.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private have = 0;
  private bodyBytes = -1;
  private stopped = false;

  constructor(private readonly maxFrameBytes: number) {}

  get buffered(): number {
    return this.have;
  }

  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.have = 0;
  }

  push(chunk: Buffer, onFrame: (f: Frame) => void): void {
    if (this.stopped) return;
    this.chunks.push(chunk);
    this.have += chunk.length;
    try {
      this.drain(onFrame);
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  private drain(onFrame: (f: Frame) => void): void {
    while (!this.stopped) {
      if (this.bodyBytes < 0) {
        if (this.have < PREFIX_BYTES) return;
        this.bodyBytes = this.readPrefix(this.peek(PREFIX_BYTES));
      }
      const total = PREFIX_BYTES + this.bodyBytes;
      if (this.have < total) return;
      const buf = this.take(total);
      this.bodyBytes = -1;
      onFrame(parseFrame(buf));
    }
  }

  private readPrefix(p: Buffer): number {
    if (p[0] !== MAGIC0 || p[1] !== MAGIC1)
      throw new FrameError("MALFORMED_FRAME", `bad magic 0x${p.subarray(0, 2).toString("hex")}`);
    if (p[2] !== WIRE_VERSION)
      throw new FrameError("MALFORMED_FRAME", `unsupported wire version ${p[2]} (expected ${WIRE_VERSION})`);
    const body = p.readUInt32BE(4);
    const head = p.readUInt32BE(8);
    if (PREFIX_BYTES + body > this.maxFrameBytes) {
      throw new FrameError(
        "FRAME_TOO_LARGE",
        `frame of ${PREFIX_BYTES + body} bytes exceeds maxFrameBytes ${this.maxFrameBytes}`,
      );
    }
    if (head === 0 || head > body) throw new FrameError("MALFORMED_FRAME", `header length ${head} outside 1..${body}`);
    return body;
  }

  /** The first `n` buffered bytes (n ≤ have), leaving them buffered. */
  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    for (const c of this.chunks) {
      if (at === n) break;
      at += c.copy(out, at, 0, Math.min(c.length, n - at));
    }
    return out;
  }

  /**
   * Removes the first `n` buffered bytes (n ≤ have): a view of the first chunk when it holds them all, else a
   * copy of exactly those bytes (never of more: large fresh buffers cost page faults).
   */
  private take(n: number): Buffer {
    this.have -= n;
    const first = this.chunks[0];
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - at);
      c.copy(out, at, 0, k);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }
}

function parseFrame(buf: Buffer): Frame {
  const head = buf.readUInt32BE(8);
  let h: unknown;
  try {
    h = JSON.parse(buf.toString("utf8", PREFIX_BYTES, PREFIX_BYTES + head));
  } catch (err) {
    throw new FrameError("MALFORMED_FRAME", "header is not valid JSON", { cause: err });
  }
  if (typeof h !== "object" || h === null || Array.isArray(h) || typeof (h as FrameHeader).type !== "string") {
    throw new FrameError("MALFORMED_FRAME", "header is not an object with a string `type`");
  }
  const payload = buf.length > PREFIX_BYTES + head ? buf.subarray(PREFIX_BYTES + head) : undefined;
  return { h: h as FrameHeader, payload, raw: buf };
}
