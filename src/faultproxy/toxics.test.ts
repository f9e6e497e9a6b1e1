import { expect } from "chai";
import { after, before, describe, test } from "node:test";
import type { Proxy as ClientProxy } from "toxiproxy-node-client";
import { Peer, portOf, startFixture, TestServer, waitUntil, type Fixture } from "./test-support";

describe("toxics on live TCP connections", () => {
  let f: Fixture;
  const servers: TestServer[] = [];
  const peers: Peer[] = [];
  let counter = 0;

  before(async () => {
    f = await startFixture();
  });
  after(async () => {
    for (const peer of peers) peer.socket.destroy();
    await f.fp.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  async function setup(options: { echo?: boolean; greeting?: string | Buffer } = { echo: true }) {
    const server = await TestServer.start(options);
    servers.push(server);
    const proxy = await f.toxiproxy.createProxy({
      name: `p${++counter}`,
      listen: "localhost:0",
      upstream: server.address,
    });
    const connect = async (): Promise<Peer> => {
      const peer = await Peer.connect(portOf(proxy.listen));
      peers.push(peer);
      return peer;
    };
    return { server, proxy, connect };
  }

  const add = (proxy: ClientProxy, type: string, stream: "upstream" | "downstream", attributes: object, toxicity = 1) =>
    proxy.addToxic({ name: `${type}_${stream}`, type, stream, toxicity, attributes } as never);

  test("latency delays only its own stream", async () => {
    const { server, proxy, connect } = await setup();
    await add(proxy, "latency", "upstream", { latency: 100, jitter: 0 });
    const client = await connect();
    const sent = performance.now();
    await client.write("ping");
    await client.waitForBytes(4);
    const atServer = server.peers[0].firstByteAt[0];
    expect(atServer - sent).to.be.at.least(95);
    expect(client.firstByteAt[0] - atServer).to.be.below(100);

    await f.api("DELETE", `/proxies/${proxy.name}/toxics/latency_upstream`);
    await add(proxy, "latency", "downstream", { latency: 100, jitter: 0 });
    const other = await connect();
    const sent2 = performance.now();
    await other.write("pong");
    await other.waitForBytes(4);
    const atServer2 = server.peers[1].firstByteAt[0];
    expect(atServer2 - sent2).to.be.below(100);
    expect(other.firstByteAt[0] - atServer2).to.be.at.least(95);
  });

  test("bandwidth shapes throughput to about rate KB/s", async () => {
    const { proxy, connect } = await setup({ greeting: Buffer.alloc(50_000, 7) });
    await add(proxy, "bandwidth", "downstream", { rate: 100 });
    const start = performance.now();
    const client = await connect();
    await client.waitForBytes(50_000);
    const elapsed = performance.now() - start;
    expect(elapsed).to.be.at.least(450);
    expect(elapsed).to.be.below(5000);
    expect(client.received.equals(Buffer.alloc(50_000, 7))).to.equal(true);
  });

  test("bandwidth 0 holds data until the toxic is removed", async () => {
    const { server, proxy, connect } = await setup();
    await add(proxy, "bandwidth", "downstream", { rate: 0 });
    const client = await connect();
    await client.write("held");
    await server.nextPeer(0).then((p) => p.waitForBytes(4));
    expect(client.received.length).to.equal(0);
    await f.api("DELETE", `/proxies/${proxy.name}/toxics/bandwidth_downstream`);
    expect((await client.waitForBytes(4)).toString()).to.equal("held");
  });

  test("timeout 0 is a blackhole that reads and discards; removing it closes the connection", async () => {
    const { server, proxy, connect } = await setup({ greeting: "hi" });
    await add(proxy, "timeout", "upstream", { timeout: 0 });
    const client = await connect();
    await client.waitForBytes(2);
    const atServer = await server.nextPeer(0);
    await client.write(Buffer.alloc(16 * 1024 * 1024, 1));
    expect(atServer.received.length).to.equal(0);
    expect(client.closed).to.equal(false);
    await f.api("DELETE", `/proxies/${proxy.name}/toxics/timeout_upstream`);
    await client.waitForClose();
    await atServer.waitForClose();
    expect(atServer.received.length).to.equal(0);
  });

  test("timeout > 0 closes the connection after that long without data", async () => {
    const { server, proxy, connect } = await setup();
    await add(proxy, "timeout", "downstream", { timeout: 150 });
    const start = performance.now();
    const client = await connect();
    await client.waitForClose();
    expect(performance.now() - start).to.be.at.least(140);
    await (await server.nextPeer(0)).waitForClose();
  });

  test("reset_peer resets connections opened while it exists; older ones get a FIN", async () => {
    const { proxy, connect } = await setup();
    const older = await connect();
    await older.write("a");
    await older.waitForBytes(1);
    await add(proxy, "reset_peer", "upstream", { timeout: 0 });
    const newer = await connect();
    await older.write("b");
    await older.waitForClose();
    expect(older.error).to.equal(undefined);
    expect(older.ended).to.equal(true);
    await newer.write("c");
    await newer.waitForClose();
    expect(newer.error?.code).to.equal("ECONNRESET");
    expect(newer.received.length).to.equal(0);
  });

  test("limit_data forwards exactly `bytes` bytes, then closes", async () => {
    const greeting = Buffer.from("0123456789abcdefghijklmnopqrstuvwxyz".repeat(3));
    const { proxy, connect } = await setup({ greeting });
    await add(proxy, "limit_data", "downstream", { bytes: 10 });
    const client = await connect();
    await client.waitForClose();
    expect(client.received.toString()).to.equal("0123456789");
  });

  test("slicer delivers every byte intact, in several pieces", async () => {
    const { server, proxy, connect } = await setup({});
    await add(proxy, "slicer", "upstream", { average_size: 100, size_variation: 50, delay: 2000 });
    const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    const client = await connect();
    await client.write(payload);
    const atServer = await server.nextPeer(0);
    await atServer.waitForBytes(payload.length);
    expect(atServer.received.equals(payload)).to.equal(true);
    expect(atServer.dataEvents).to.be.at.least(2);
  });

  test("slow_close holds the end of the stream; data before it passes", async () => {
    const { server, proxy, connect } = await setup({});
    await add(proxy, "slow_close", "upstream", { delay: 150 });
    const client = await connect();
    await client.write("bye");
    const atServer = await server.nextPeer(0);
    await atServer.waitForBytes(3);
    const ended = performance.now();
    client.socket.end();
    await atServer.waitForClose();
    expect(performance.now() - ended).to.be.at.least(140);
    expect(atServer.received.toString()).to.equal("bye");
  });

  test("toxicity 0 never applies; noop passes data through", async () => {
    const { proxy, connect } = await setup();
    await add(proxy, "latency", "downstream", { latency: 60_000 }, 0);
    await add(proxy, "noop", "upstream", {});
    const client = await connect();
    await client.write("fast");
    expect((await client.waitForBytes(4, 2000)).toString()).to.equal("fast");
  });

  test("updating a toxic releases the chunk it holds and applies the new values", async () => {
    const { proxy, connect } = await setup();
    await add(proxy, "latency", "downstream", { latency: 60_000 });
    const client = await connect();
    await client.write("x");
    await waitUntil(() => client.received.length === 0, "nothing yet");
    await f.api("POST", `/proxies/${proxy.name}/toxics/latency_downstream`, { attributes: { latency: 0 } });
    expect((await client.waitForBytes(1, 2000)).toString()).to.equal("x");
    await client.write("y");
    expect((await client.waitForBytes(2, 2000)).toString()).to.equal("xy");
  });

  test("limit_data counts across updates; lowering below the count closes on the next chunk", async () => {
    const { server, proxy, connect } = await setup({});
    await add(proxy, "limit_data", "downstream", { bytes: 10 });
    const client = await connect();
    const atServer = await server.nextPeer(0);
    atServer.socket.write("123456");
    await client.waitForBytes(6);
    await f.api("POST", `/proxies/${proxy.name}/toxics/limit_data_downstream`, { attributes: { bytes: 8 } });
    atServer.socket.write("789abc");
    await client.waitForClose();
    expect(client.received.toString()).to.equal("12345678");

    const second = await connect();
    const atServer2 = await server.nextPeer(1);
    atServer2.socket.write("12345");
    await second.waitForBytes(5);
    await f.api("POST", `/proxies/${proxy.name}/toxics/limit_data_downstream`, { attributes: { bytes: 3 } });
    atServer2.socket.write("6");
    await second.waitForClose();
    expect(second.received.toString()).to.equal("12345");
  });

  test("a timeout toxic that never applied (toxicity 0) still closes its connections when removed", async () => {
    const { server, proxy, connect } = await setup();
    await add(proxy, "timeout", "upstream", { timeout: 0 }, 0);
    const client = await connect();
    await client.write("through");
    await client.waitForBytes(7);
    await f.api("DELETE", `/proxies/${proxy.name}/toxics/timeout_upstream`);
    await client.waitForClose();
    await (await server.nextPeer(0)).waitForClose();
  });

  test("an update re-rolls toxicity on live connections", async () => {
    const { server, proxy, connect } = await setup();
    await add(proxy, "limit_data", "upstream", { bytes: 0 }, 0);
    const client = await connect();
    await client.write("a");
    await client.waitForBytes(1, 2000);
    await f.api("POST", `/proxies/${proxy.name}/toxics/limit_data_upstream`, { toxicity: 1 });
    await client.write("b");
    await client.waitForClose();
    expect(client.received.toString()).to.equal("a");
    expect(server.peers[0].received.toString()).to.equal("a");
  });

  test("two latency toxics add up; toxics on a disabled proxy are kept and act after enable", async () => {
    const { proxy, connect } = await setup();
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await add(proxy, "latency", "upstream", { latency: 60 });
    await proxy.addToxic({
      name: "second",
      type: "latency",
      stream: "upstream",
      toxicity: 1,
      attributes: { latency: 60, jitter: 0 },
    });
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    const client = await connect();
    const sent = performance.now();
    await client.write("slow");
    await client.waitForBytes(4);
    expect(performance.now() - sent).to.be.at.least(115);
  });
});
