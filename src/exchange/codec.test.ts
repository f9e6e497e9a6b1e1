import { describe, test } from "node:test";
import { expect } from "chai";
import { decodePayload, encodeFrame, encodePayload, FrameDecoder, PREFIX_BYTES, type Frame } from "./codec";
import { FrameError } from "./errors";
import { matchSubject } from "./glob";

function decodeAll(dec: FrameDecoder, ...chunks: Buffer[]): Frame[] {
  const out: Frame[] = [];
  for (const c of chunks) dec.push(c, (f) => out.push(f));
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(FrameError);
    return (err as FrameError).code;
  }
  throw new Error("expected a FrameError");
}

describe("codec (S-8)", () => {
  test("round-trips header and payload, several frames in one chunk", () => {
    const a = encodeFrame({ type: "REQ", id: "c1", path: ["L1"] }, encodePayload({ x: [1, "é"] }));
    const b = encodeFrame({ type: "PING" });
    const frames = decodeAll(new FrameDecoder(1 << 20), Buffer.concat([a, b]));
    expect(frames.map((f) => f.h.type)).to.deep.equal(["REQ", "PING"]);
    expect(frames[0].h.path).to.deep.equal(["L1"]);
    expect(decodePayload(frames[0].payload)).to.deep.equal({ x: [1, "é"] });
    expect(frames[1].payload).to.equal(undefined);
    expect(frames[0].raw.equals(a)).to.equal(true);
  });

  test("parses frames delivered one byte at a time", () => {
    const bytes = Buffer.concat([encodeFrame({ type: "A", n: 1 }, Buffer.from("[1]")), encodeFrame({ type: "B" })]);
    const dec = new FrameDecoder(1 << 20);
    const got: Frame[] = [];
    for (let i = 0; i < bytes.length; i++) dec.push(bytes.subarray(i, i + 1), (f) => got.push(f));
    expect(got.map((f) => f.h.type)).to.deep.equal(["A", "B"]);
    expect(decodePayload(got[0].payload)).to.deep.equal([1]);
    expect(dec.buffered).to.equal(0);
  });

  test("frames arrive whole at every chunk size; a frame inside one chunk is a view of it", () => {
    const frames = [0, 1, 2, 3, 4].map((i) => encodeFrame({ type: "P", i }, Buffer.alloc(100 + i * 37, i)));
    const bytes = Buffer.concat(frames);
    for (const size of [5, 11, 12, 13, 64, 150, 1000]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(Buffer.from(bytes.subarray(at, at + size)));
      const dec = new FrameDecoder(1 << 20);
      const got = decodeAll(dec, ...chunks);
      expect(
        got.map((f) => f.h.i),
        `chunks of ${size}`,
      ).to.deep.equal([0, 1, 2, 3, 4]);
      got.forEach((f, i) => expect(f.raw.equals(frames[i]), `frame ${i}, chunks of ${size}`).to.equal(true));
      got.forEach((f, i) => expect(f.raw.length).to.equal(frames[i].length));
      expect(dec.buffered).to.equal(0);
    }
    const whole = Buffer.from(bytes);
    const views = decodeAll(new FrameDecoder(1 << 20), whole);
    expect(views.every((f) => f.raw.buffer === whole.buffer)).to.equal(true);
  });

  test("rejects an oversized frame from its prefix alone", () => {
    const big = encodeFrame({ type: "X" }, Buffer.alloc(5000));
    expect(codeOf(() => decodeAll(new FrameDecoder(4096), big.subarray(0, PREFIX_BYTES)))).to.equal("FRAME_TOO_LARGE");
  });

  test("rejects bad magic, bad version, bad header length, bad JSON and a header without type", () => {
    const good = encodeFrame({ type: "X" });
    const magic = Buffer.from(good);
    magic[0] = 0x00;
    const version = Buffer.from(good);
    version[2] = 9;
    const headLen = Buffer.from(good);
    headLen.writeUInt32BE(999, 8);
    const json = encodeFrame({ type: "X" });
    json.write("{", PREFIX_BYTES + 3);
    const noType = encodeFrame({ kind: "X" });
    const arr = encodeFrame([1, 2] as unknown as object);
    for (const bad of [magic, version, headLen, json, noType, arr])
      expect(codeOf(() => decodeAll(new FrameDecoder(1 << 20), bad))).to.equal("MALFORMED_FRAME");
  });

  test("ignores everything after an error", () => {
    const dec = new FrameDecoder(1 << 20);
    expect(codeOf(() => decodeAll(dec, Buffer.from("garbage-garbage")))).to.equal("MALFORMED_FRAME");
    expect(decodeAll(dec, encodeFrame({ type: "X" }))).to.deep.equal([]);
  });

  test("payloads: undefined stays absent, bad JSON is MALFORMED_FRAME", () => {
    expect(encodePayload(undefined)).to.equal(undefined);
    expect(decodePayload(undefined)).to.equal(undefined);
    expect(codeOf(() => decodePayload(Buffer.from("{nope")))).to.equal("MALFORMED_FRAME");
  });
});

describe("subject patterns (S-37)", () => {
  test("* matches any run including dots and slashes, ? exactly one character", () => {
    expect(matchSubject("*", "")).to.equal(true);
    expect(matchSubject("a.*", "a.b.c")).to.equal(true);
    expect(matchSubject("a.*", "a.")).to.equal(true);
    expect(matchSubject("a.*", "ab")).to.equal(false);
    expect(matchSubject("*/x", "p/q/x")).to.equal(true);
    expect(matchSubject("a?c", "abc")).to.equal(true);
    expect(matchSubject("a?c", "ac")).to.equal(false);
    expect(matchSubject("a?c", "a.c")).to.equal(true);
  });

  test("regex metacharacters are literal", () => {
    expect(matchSubject("a+b(c)", "a+b(c)")).to.equal(true);
    expect(matchSubject("a+b", "aab")).to.equal(false);
    expect(matchSubject("[x]", "x")).to.equal(false);
  });
});
