import { expect } from "chai";
import { after, before, describe, test } from "node:test";
import { Peer, portOf, startFixture, TestServer, type Fixture } from "./test-support";

/** Toxics that must never lose, duplicate or reorder bytes, however often they come and go. */
const CHURN = [
  { type: "latency", attributes: { latency: 3, jitter: 2 } },
  { type: "slicer", attributes: { average_size: 512, size_variation: 256, delay: 0 } },
  { type: "bandwidth", attributes: { rate: 20_000 } },
  { type: "noop", attributes: {} },
  { type: "slow_close", attributes: { delay: 10 } },
  { type: "limit_data", attributes: { bytes: 1 << 30 } },
];

describe("byte streams survive toxics being added and removed mid-stream", () => {
  let f: Fixture;
  let echo: TestServer;
  before(async () => {
    f = await startFixture({ seed: 42 });
    echo = await TestServer.start({ echo: true });
  });
  after(async () => {
    await f.fp.close();
    await echo.close();
  });

  /** Adds and removes every CHURN toxic on both streams of `proxy`, in turn, until `done()`. */
  async function churn(proxy: string, done: () => boolean): Promise<number> {
    let cycles = 0;
    while (!done()) {
      for (const [i, spec] of CHURN.entries()) {
        const stream = i % 2 === 0 ? "upstream" : "downstream";
        const added = await f.api("POST", `/proxies/${proxy}/toxics`, { ...spec, name: "churn", stream });
        expect(added.status, added.text).to.equal(200);
        const removed = await f.api("DELETE", `/proxies/${proxy}/toxics/churn`);
        expect(removed.status, removed.text).to.equal(204);
        cycles++;
      }
    }
    return cycles;
  }

  test("65,535 two-byte chunks come back complete and in order", async () => {
    const proxy = await f.toxiproxy.createProxy({ name: "chunks", listen: "localhost:0", upstream: echo.address });
    const client = await Peer.connect(portOf(proxy.listen));
    const expected = Buffer.alloc(65_535 * 2);
    for (let i = 0; i < 65_535; i++) expected.writeUInt16BE(i, i * 2);
    let cycles = 0;
    for (let batch = 0; batch < 16; batch++) {
      const from = Math.floor((65_535 * batch) / 16);
      const to = Math.floor((65_535 * (batch + 1)) / 16);
      for (let i = from; i < to; i++) client.socket.write(expected.subarray(i * 2, i * 2 + 2));
      const target = to * 2;
      cycles += await churn("chunks", () => client.received.length >= target);
    }
    await client.waitForBytes(expected.length);
    expect(client.received.length).to.equal(expected.length);
    expect(client.received.equals(expected)).to.equal(true);
    expect(cycles).to.be.at.least(16);
    client.socket.destroy();
  });

  test("4 MiB written in 64 KiB blocks comes back intact while toxics churn", async () => {
    const proxy = await f.toxiproxy.createProxy({ name: "blocks", listen: "localhost:0", upstream: echo.address });
    const client = await Peer.connect(portOf(proxy.listen));
    const block = 64 * 1024;
    const expected = Buffer.alloc(64 * block);
    for (let i = 0; i < expected.length; i += 4) expected.writeUInt32BE(i, i);
    const writing = (async () => {
      for (let i = 0; i < expected.length; i += block) await client.write(expected.subarray(i, i + block));
    })();
    const cycles = await churn("blocks", () => client.received.length >= expected.length);
    await writing;
    expect(client.received.equals(expected)).to.equal(true);
    expect(cycles).to.be.at.least(1);
    client.socket.destroy();
  });
});
