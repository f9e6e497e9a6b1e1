import { expect } from "chai";
import { after, describe, test } from "node:test";
import { mulberry32, seedFrom } from "./random";
import { Peer, portOf, startFixture, TestServer, waitUntil, type Fixture } from "./test-support";
import { latencyDelay } from "./toxics/latency";
import { slices } from "./toxics/slicer";

const take = (random: () => number, n: number): number[] => Array.from({ length: n }, () => random());

describe("seeded randomness: a run can be replayed", () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers) await close();
  });

  test("mulberry32: same seed, same sequence; values in [0, 1)", () => {
    const a = take(mulberry32(seedFrom(7)), 100);
    expect(take(mulberry32(seedFrom(7)), 100)).to.deep.equal(a);
    expect(take(mulberry32(seedFrom(8)), 100)).to.not.deep.equal(a);
    expect(a.every((x) => x >= 0 && x < 1)).to.equal(true);
    expect(seedFrom("18446744073709551615")).to.equal(seedFrom(-1));
    expect(seedFrom("4294967296")).to.equal(1);
  });

  test("latency jitter: the same seed gives the same delays, within latency ± jitter", () => {
    const attributes = { latency: 100, jitter: 30 };
    const run = (seed: number): number[] => {
      const random = mulberry32(seedFrom(seed));
      return Array.from({ length: 200 }, () => latencyDelay(attributes, random));
    };
    const delays = run(3);
    expect(run(3)).to.deep.equal(delays);
    expect(run(4)).to.not.deep.equal(delays);
    expect(Math.min(...delays)).to.be.at.least(70);
    expect(Math.max(...delays)).to.be.below(130);
    expect(new Set(delays).size).to.be.greaterThan(20);
  });

  test("slicer sizes: the same seed gives the same cuts, covering the chunk", () => {
    const attributes = { average_size: 64, size_variation: 32, delay: 0 };
    const cuts = slices(0, 10_000, attributes, mulberry32(seedFrom(5)));
    expect(slices(0, 10_000, attributes, mulberry32(seedFrom(5)))).to.deep.equal(cuts);
    expect(cuts[0]).to.equal(0);
    expect(cuts[cuts.length - 1]).to.equal(10_000);
    for (let i = 1; i < cuts.length; i += 2) {
      expect(cuts[i] - cuts[i - 1]).to.be.within(1, 96);
      if (i + 1 < cuts.length) expect(cuts[i + 1]).to.equal(cuts[i]);
    }
    const exact = slices(0, 24, { average_size: 1, size_variation: 0, delay: 0 }, mulberry32(1));
    expect(exact.length / 2).to.equal(24);
  });

  /** Which of `n` successive connections a 50% "close on first byte" toxic hit, on a fresh server. */
  async function toxicityPattern(options: { seed?: number; random?: () => number }, n: number): Promise<string> {
    const echo = await TestServer.start({ echo: true });
    const f: Fixture = await startFixture(options);
    closers.push(
      () => f.fp.close(),
      () => echo.close(),
    );
    const proxy = await f.toxiproxy.createProxy({ name: "roll", listen: "localhost:0", upstream: echo.address });
    await proxy.addToxic({
      name: "cut",
      type: "limit_data",
      stream: "downstream",
      toxicity: 0.5,
      attributes: { bytes: 0 },
    });
    let pattern = "";
    for (let i = 0; i < n; i++) {
      const client = await Peer.connect(portOf(proxy.listen));
      await client.write("x");
      await waitUntil(() => client.received.length > 0 || client.closed, "an echo or a close");
      pattern += client.received.length > 0 ? "." : "X";
      client.socket.destroy();
    }
    return pattern;
  }

  test("toxicity rolls replay with the seed, and follow an injected random source", async () => {
    const first = await toxicityPattern({ seed: 11 }, 12);
    expect(first).to.match(/X/);
    expect(first).to.match(/\./);
    expect(await toxicityPattern({ seed: 11 }, 12)).to.equal(first);
    expect(await toxicityPattern({ seed: 12 }, 12)).to.not.equal(first);
    expect(await toxicityPattern({ random: () => 0.99 }, 3)).to.equal("...");
    expect(await toxicityPattern({ random: () => 0.01 }, 3)).to.equal("XXX");
  });
});
