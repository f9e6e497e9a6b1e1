import { expect } from "chai";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { freePort, Peer, portOf, startFixture, TestServer, waitUntil, type Fixture } from "./test-support";

const refused = (port: number): Promise<string> =>
  Peer.connect(port).then(
    (peer) => (peer.socket.destroy(), "connected"),
    (err: NodeJS.ErrnoException) => err.code ?? "error",
  );

describe("proxy lifecycle on real sockets", () => {
  let f: Fixture;
  let echo: TestServer;
  const peers: Peer[] = [];
  before(async () => {
    f = await startFixture();
    echo = await TestServer.start({ echo: true });
  });
  after(async () => {
    for (const peer of peers) peer.socket.destroy();
    await f.fp.close();
    await echo.close();
  });

  const connect = async (port: number): Promise<Peer> => {
    const peer = await Peer.connect(port);
    peers.push(peer);
    return peer;
  };

  test("disable closes live connections and refuses new ones; enable re-binds the same port", async () => {
    const proxy = await f.toxiproxy.createProxy({ name: "toggle", listen: "localhost:0", upstream: echo.address });
    const port = portOf(proxy.listen);
    const live = await connect(port);
    await live.write("1");
    await live.waitForBytes(1);
    const serverSide = echo.peers[echo.peers.length - 1];
    const off = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(off.enabled).to.equal(false);
    await live.waitForClose();
    await serverSide.waitForClose();
    expect(await refused(port)).to.equal("ECONNREFUSED");
    const again = await f.api("POST", "/proxies/toggle", { enabled: false });
    expect(again.status).to.equal(200);

    const on = await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(on.listen).to.equal(proxy.listen);
    const fresh = await connect(port);
    await fresh.write("2");
    expect((await fresh.waitForBytes(1)).toString()).to.equal("2");
  });

  test("port conflicts: create fails with Go's bind error and adds nothing; enable fails and stays disabled", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    const res = await f.api("POST", "/proxies", {
      name: "clash",
      listen: `127.0.0.1:${taken}`,
      upstream: echo.address,
    });
    expect(res.status).to.equal(500);
    expect(res.json()).to.deep.equal({
      error: `listen tcp 127.0.0.1:${taken}: bind: address already in use`,
      status: 500,
    });
    expect((await f.api("GET", "/proxies/clash")).status).to.equal(404);

    const created = await f.api("POST", "/proxies", {
      name: "later",
      listen: `localhost:${taken}`,
      upstream: echo.address,
      enabled: false,
    });
    expect(created.json()).to.include({ listen: `localhost:${taken}`, enabled: false });
    const enable = await f.api("POST", "/proxies/later", { enabled: true });
    expect(enable.status).to.equal(500);
    expect((await f.api("GET", "/proxies/later")).json().enabled).to.equal(false);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const retry = await f.api("POST", "/proxies/later", { enabled: true });
    expect(retry.json()).to.include({ listen: `127.0.0.1:${taken}`, enabled: true });
    const peer = await connect(taken);
    await peer.write("ok");
    expect((await peer.waitForBytes(2)).toString()).to.equal("ok");
  });

  test("delete frees the port at once; the same port can be bound again", async () => {
    const port = await freePort();
    const first = await f.toxiproxy.createProxy({ name: "reuse", listen: `127.0.0.1:${port}`, upstream: echo.address });
    expect(first.listen).to.equal(`127.0.0.1:${port}`);
    const live = await connect(port);
    await first.remove();
    await live.waitForClose();
    const second = await f.toxiproxy.createProxy({
      name: "reuse",
      listen: `127.0.0.1:${port}`,
      upstream: echo.address,
    });
    expect(second.listen).to.equal(`127.0.0.1:${port}`);
  });

  test("update: same listen spelled differently keeps live connections; a new upstream restarts on the same port", async () => {
    const other = await TestServer.start({ greeting: "other" });
    try {
      const proxy = await f.toxiproxy.createProxy({ name: "move", listen: "localhost:0", upstream: echo.address });
      const port = portOf(proxy.listen);
      const live = await connect(port);
      const same = await f.api("POST", "/proxies/move", { listen: `localhost:${port}`, upstream: echo.address });
      expect(same.json().listen).to.equal(`127.0.0.1:${port}`);
      await live.write("still");
      expect((await live.waitForBytes(5)).toString()).to.equal("still");

      const moved = await f.api("POST", "/proxies/move", { upstream: other.address });
      expect(moved.json()).to.include({ listen: `127.0.0.1:${port}`, upstream: other.address, enabled: true });
      await live.waitForClose();
      const fresh = await connect(port);
      expect((await fresh.waitForBytes(5)).toString()).to.equal("other");
    } finally {
      await other.close();
    }
  });

  test("an unreachable upstream closes the client at once; a bad upstream is accepted by the API", async () => {
    const dead = await freePort();
    const proxy = await f.toxiproxy.createProxy({ name: "dead", listen: "localhost:0", upstream: `127.0.0.1:${dead}` });
    const client = await connect(portOf(proxy.listen));
    await client.waitForClose();
    expect(client.received.length).to.equal(0);
    const odd = await f.api("POST", "/proxies", { name: "odd", listen: "localhost:0", upstream: "foo" });
    expect(odd.status).to.equal(201);
    const oddClient = await connect(portOf(odd.json().listen));
    await oddClient.waitForClose();
  });

  test("no half-close: a FIN from the client flushes what is in flight, then closes the client too", async () => {
    const server = await TestServer.start({ halfOpen: true });
    try {
      const proxy = await f.toxiproxy.createProxy({ name: "fin", listen: "localhost:0", upstream: server.address });
      await proxy.addToxic({
        name: "slow",
        type: "latency",
        stream: "upstream",
        toxicity: 1,
        attributes: { latency: 50, jitter: 0 },
      });
      const client = await connect(portOf(proxy.listen));
      await client.write("last words");
      client.socket.end();
      const atServer = await server.nextPeer(0);
      await client.waitForClose();
      // The FIN towards the server and the close of the client travel independently: wait for both.
      await waitUntil(() => atServer.ended, "the server to read the forwarded FIN");
      expect(atServer.received.toString()).to.equal("last words");
      expect(atServer.socket.writableEnded).to.equal(false);
    } finally {
      await server.close();
    }
  });

  test("closing the server closes every proxy and connection", async () => {
    const own = await startFixture();
    const proxy = await own.toxiproxy.createProxy({ name: "x", listen: "localhost:0", upstream: echo.address });
    const client = await connect(portOf(proxy.listen));
    await own.fp.close();
    await client.waitForClose();
    expect(await refused(portOf(proxy.listen))).to.equal("ECONNREFUSED");
    expect(
      await fetch(`${own.url}/version`).then(
        () => "answered",
        () => "refused",
      ),
    ).to.equal("refused");
  });
});
