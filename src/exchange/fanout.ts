/**
 * Fan-out of publications (S-38, S-39): REPORTS frames. One REPORTS frame carries `n` publications of one
 * publisher (seq order) to several subscriber agents, each with the patterns of its edges that matched (the same
 * for every publication of the frame):
 *
 *   { type: "REPORTS", pub, to: [agentId…], pats: [[pattern…] per recipient], n,
 *     seq: first seq of n consecutive ones | [seq…], subj: the subject of all | [subject…],
 *     len: payload bytes of each | [payload bytes…], bin?: 1 }
 *   payload: the publications' payloads, concatenated in order
 *
 * A publication crosses each link at most once: every hop splits the recipients by their route (the registry's
 * holding link, as for REPORT) and sends each link one frame with its share of them, unchanged when one link
 * takes them all. A frame queued on a link stays open while nothing else is queued after it, and later
 * publications of the same publisher to the same recipients join it, so a burst costs one frame per link per
 * flush and per-link FIFO order is that of the calls.
 */
import { encodeHead, PREFIX_BYTES, type FrameHeader } from "./codec";
import { FrameError } from "./errors";
import type { DeferredFrame } from "./link";
import { str, strArr } from "./protocol";

/**
 * At most this many payload bytes or publications join one open frame (a larger publication travels alone).
 * Frames well under a socket read (64 KiB) are mostly decoded without a copy.
 */
export const BATCH_PAYLOAD_BYTES = 16 * 1024;
export const BATCH_PUBLICATIONS = 256;
/** A received frame with more publications than this is a PROTOCOL_ERROR (senders stay far below). */
export const MAX_PUBLICATIONS = 4096;

/** A publication leaving its publisher: the recipients with a matching edge and what matched for each. */
export interface Outgoing {
  pub: string;
  seq: number;
  subj: string;
  bin: boolean;
  payload: Buffer | undefined;
  to: string[];
  pats: string[][];
}

/** The routing fields of a received REPORTS frame (what relays read), checked. */
export interface ReportsFrame {
  pub: string;
  to: string[];
  pats: string[][];
}

/** The REPORTS frame queued last on a link, still open to later publications with the same recipients. */
export class OpenReports implements DeferredFrame {
  private readonly seq: number[] = [];
  private readonly subj: string[] = [];
  private readonly len: number[] = [];
  private readonly payloads: Buffer[] = [];
  private payloadBytes = 0;
  /** The header's bytes with every field an array (the compact forms are shorter). */
  private headBytes: number;
  private lastSubj = "";
  private lastSubjBytes = 0;

  constructor(
    readonly pub: string,
    readonly bin: boolean,
    readonly to: string[],
    readonly pats: string[][],
  ) {
    const h = { type: "REPORTS", pub, to, pats, n: 0, seq: [], subj: [], len: [], bin: 1 };
    this.headBytes = Buffer.byteLength(JSON.stringify(h)) + 16;
  }

  /** Same publisher, payload kind, recipients and matched patterns (recipients in the same order). */
  fits(o: Outgoing, to: string[], pats: string[][]): boolean {
    if (this.pub !== o.pub || this.bin !== o.bin || this.to.length !== to.length) return false;
    if (this.to === to && this.pats === pats) return true;
    for (let i = 0; i < to.length; i++) {
      if (this.to[i] !== to[i]) return false;
      const a = this.pats[i];
      const b = pats[i];
      if (a === b) continue;
      if (a.length !== b.length) return false;
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    }
    return true;
  }

  /**
   * Adds a publication if the frame stays within the batch limits and `maxFrameBytes`; returns the bytes added,
   * 0 when it was not added (for the first publication: it is too large for any frame).
   */
  add(o: Outgoing, maxFrameBytes: number): number {
    const bytes = o.payload?.length ?? 0;
    if (o.subj !== this.lastSubj || this.seq.length === 0) {
      this.lastSubj = o.subj;
      this.lastSubjBytes = Buffer.byteLength(JSON.stringify(o.subj));
    }
    const head = String(o.seq).length + this.lastSubjBytes + String(bytes).length + 3;
    const n = this.seq.length;
    if (n > 0 && (n >= BATCH_PUBLICATIONS || this.payloadBytes + bytes > BATCH_PAYLOAD_BYTES)) return 0;
    if (PREFIX_BYTES + this.headBytes + head + this.payloadBytes + bytes > maxFrameBytes) return 0;
    this.seq.push(o.seq);
    this.subj.push(o.subj);
    this.len.push(bytes);
    if (o.payload && bytes > 0) this.payloads.push(o.payload);
    this.payloadBytes += bytes;
    this.headBytes += head;
    return bytes + head;
  }

  encode(): Buffer[] {
    const { seq, subj, len } = this;
    const n = seq.length;
    let consecutive = true;
    let oneSubj = true;
    let oneLen = true;
    for (let i = 1; i < n; i++) {
      if (seq[i] !== seq[0] + i) consecutive = false;
      if (subj[i] !== subj[0]) oneSubj = false;
      if (len[i] !== len[0]) oneLen = false;
    }
    const h: FrameHeader = {
      type: "REPORTS",
      pub: this.pub,
      to: this.to,
      pats: this.pats,
      n,
      seq: consecutive ? seq[0] : seq,
      subj: oneSubj ? subj[0] : subj,
      len: oneLen ? len[0] : len,
    };
    if (this.bin) h.bin = 1;
    const head = encodeHead(h, this.payloadBytes);
    if (this.payloads.length <= 1) return [head, ...this.payloads];
    return [Buffer.concat([head, ...this.payloads], head.length + this.payloadBytes)];
  }
}

/** Checks the routing fields of a REPORTS header (what relays read); PROTOCOL_ERROR when malformed. */
export function reportsOf(h: FrameHeader): ReportsFrame {
  const to = strArr(h, "to");
  const pats = h.pats;
  if (!Array.isArray(pats) || pats.length !== to.length || !pats.every((p) => isStrArr(p)))
    throw new FrameError("PROTOCOL_ERROR", "REPORTS.pats must hold an array of strings per recipient");
  return { pub: str(h, "pub"), to, pats: pats as string[][] };
}

/** The publications of a received REPORTS frame, in seq order: payload i is the next `len[i]` bytes. */
export interface Publications {
  seq: number[];
  subj: string[];
  len: number[];
}

/** The publications of a REPORTS frame, checked against its payload; PROTOCOL_ERROR when inconsistent. */
export function publicationsOf(h: FrameHeader, payload: Buffer | undefined): Publications {
  const n = h.n;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_PUBLICATIONS)
    throw new FrameError("PROTOCOL_ERROR", `REPORTS.n must be an integer in 1..${MAX_PUBLICATIONS}`);
  const seq = field(
    h,
    "seq",
    n,
    (v) => typeof v === "number" && Number.isFinite(v),
    (v, i) => (v as number) + i,
  );
  const subj = field(
    h,
    "subj",
    n,
    (v) => typeof v === "string",
    (v) => v as string,
  );
  const len = field(
    h,
    "len",
    n,
    (v) => Number.isInteger(v) && (v as number) >= 0,
    (v) => v as number,
  );
  let total = 0;
  for (const bytes of len) total += bytes;
  if (total !== (payload?.length ?? 0))
    throw new FrameError("PROTOCOL_ERROR", `REPORTS.len adds up to ${total}, payload has ${payload?.length ?? 0}`);
  return { seq, subj, len };
}

/** A field that is either an array of `n` valid values or one valid value (expanded to value i by `nth`). */
function field<T>(
  h: FrameHeader,
  name: string,
  n: number,
  valid: (v: unknown) => boolean,
  nth: (v: unknown, i: number) => T,
): T[] {
  const v = h[name];
  if (Array.isArray(v)) {
    if (v.length === n && v.every(valid)) return v as T[];
  } else if (valid(v)) {
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(nth(v, i));
    return out;
  }
  throw new FrameError("PROTOCOL_ERROR", `REPORTS.${name} must be one value or an array of n values`);
}

function isStrArr(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}
