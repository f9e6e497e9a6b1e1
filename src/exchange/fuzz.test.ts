import { after, describe, test } from "node:test";
import { expect } from "chai";
import { encodeFrame, PREFIX_BYTES } from "./codec";
import { Fleet, RawPeer, seen, waitFor } from "./exchange-test-utils";

const fleet = new Fleet();
after(() => fleet.closeAll());

/** mulberry32: a small seeded PRNG so a failing run can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  "HELLO",
  "IDENT",
  "WELCOME",
  "REJECT",
  "PING",
  "PONG",
  "AVAIL",
  "SNAPSHOT",
  "SNAPSHOT_END",
  "JOIN",
  "LEAVE",
  "WITHDRAW",
  "REQ",
  "RES",
  "FAIL",
  "NACK",
  "SUB",
  "SUB_OK",
  "SUB_REJECT",
  "UNSUB",
  "REPORT",
  "REPORTS",
  "NOPE",
];
const FIELDS = [
  "id",
  "to",
  "from",
  "path",
  "b",
  "agentId",
  "group",
  "version",
  "reason",
  "m",
  "pub",
  "seq",
  "subj",
  "pats",
  "pattern",
  "n",
  "len",
  "nodeName",
  "incarnation",
  "role",
  "proto",
  "versions",
  "heartbeatMs",
  "code",
  "desc",
];

function fuzzer(rand: () => number, maxFrame: number) {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)];
  const value = (depth: number): unknown => {
    switch (int(depth > 1 ? 5 : 8)) {
      case 0:
        return int(1000) - 500;
      case 1:
        return pick(["", "x", "L1", "ghost/0123456789abcdef/1", "*", "osex", "server", "client", "\u0000\uffff"]);
      case 2:
        return null;
      case 3:
        return rand() < 0.5;
      case 4:
        return 1e308 * (rand() < 0.5 ? 10 : 1);
      case 5:
        return Array.from({ length: int(4) }, () => value(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(FIELDS), value(depth + 1)]));
    }
  };
  const header = (): object => ({
    type: pick(TYPES),
    ...Object.fromEntries(Array.from({ length: int(6) }, () => [pick(FIELDS), value(0)])),
  });
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  /**
   * One hostile frame: well-formed with nonsense fields, random bytes, bad JSON, truncated, oversized, or lying about
   * its length.
   */
  return (): Buffer => {
    const kind = int(7);
    if (kind <= 1) return encodeFrame(header(), rand() < 0.3 ? bytes(int(40)) : undefined);
    if (kind === 2) return bytes(1 + int(120));
    if (kind === 3) {
      const body = bytes(1 + int(60));
      const f = Buffer.alloc(PREFIX_BYTES + body.length);
      f.write("OX", 0, "latin1");
      f[2] = 1;
      f.writeUInt32BE(body.length, 4);
      f.writeUInt32BE(1 + int(body.length), 8);
      body.copy(f, PREFIX_BYTES);
      return f;
    }
    if (kind === 4) {
      const f = encodeFrame(header());
      return f.subarray(0, int(f.length));
    }
    if (kind === 5) {
      const f = Buffer.alloc(PREFIX_BYTES);
      f.write("OX", 0, "latin1");
      f[2] = 1;
      f.writeUInt32BE(maxFrame + int(1 << 30), 4);
      f.writeUInt32BE(4, 8);
      return f;
    }
    const f = encodeFrame(header());
    f.writeUInt32BE((f.readUInt32BE(4) + int(20) - 10) >>> 0, 4);
    return f;
  };
}

describe("hostile input (S-8, §9)", () => {
  test("10,000+ random, truncated and oversized frames over many connections close only those links; the server keeps serving", async () => {
    const s = await fleet.server("fz-server", "", { timing: { maxFrameBytes: 64 * 1024 } });
    const provider = fleet.node("fz-provider");
    provider.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    provider.agent({ name: "echo" }).onRequest((_m, a) => a);
    const requester = fleet.node("fz-requester");
    requester.exchange({ role: "client" }).connect("127.0.0.1", s.port);
    await waitFor(() => seen(requester).includes("echo"), "echo visible");
    const caller = requester.agent({ name: "" });
    expect(await caller.call("echo", "x", 1)).to.equal(1);

    const rand = prng(0x5eed);
    const next = fuzzer(rand, s.node.timing.maxFrameBytes);
    let thrown = 0;
    const connection = async (i: number): Promise<void> => {
      const peer = await new RawPeer().connect(s.port);
      if (i % 3 === 0)
        await peer.handshake(`fz-peer-${i}`, {
          incarnation: "00000000000000" + (i % 256).toString(16).padStart(2, "0"),
        });
      const frames = Array.from({ length: 40 }, next);
      thrown += frames.length;
      peer.socket.write(Buffer.concat(frames));
      peer.socket.end();
      await waitFor(() => peer.closed, `fuzz connection ${i} closed`);
    };
    for (let batch = 0; batch < 32; batch++)
      await Promise.all(Array.from({ length: 8 }, (_, j) => connection(batch * 8 + j)));
    expect(thrown).to.be.at.least(10000);

    const closed = fleet.linkEvents("fz-server").filter((e) => e.state === "CLOSED");
    expect(closed.length).to.be.at.least(256);
    const reasons = new Set(closed.map((e) => e.reason));
    for (const r of ["MALFORMED_FRAME", "FRAME_TOO_LARGE", "PROTOCOL_ERROR"])
      expect(reasons, `reasons seen: ${[...reasons].join(", ")}`).to.include(r);
    expect(
      closed.filter((e) => e.detail?.startsWith("internal:")),
      "no handler crashed on bad input",
    ).to.deep.equal([]);
    expect(
      closed.filter((e) => e.peer?.nodeName === "fz-provider" || e.peer?.nodeName === "fz-requester"),
    ).to.deep.equal([]);
    for (let i = 0; i < 20; i++) expect(await caller.call("echo", "x", { i })).to.deep.equal({ i });
    await waitFor(() => seen(requester).every((n) => !n.startsWith("fz-peer")), "fuzzers' bindings gone");
  });
});
