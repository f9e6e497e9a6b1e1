import { expect } from "chai";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { FaultProxyError } from "./errors";
import { freePort, portOf, startFixture, TestServer, type Fixture } from "./test-support";

describe("POST /populate and in-process populate", () => {
  let f: Fixture;
  let echo: TestServer;
  before(async () => {
    f = await startFixture();
    echo = await TestServer.start({ echo: true });
  });
  after(async () => {
    await f.fp.close();
    await echo.close();
  });

  test("creates proxies in input order, 201, always JSON", async () => {
    const res = await f.api("POST", "/populate", [
      { name: "one", listen: "localhost:0", upstream: echo.address },
      { name: "two", listen: "localhost:0", upstream: echo.address, enabled: false },
    ]);
    expect(res.status).to.equal(201);
    expect(res.headers.get("content-type")).to.equal("application/json");
    const { proxies } = res.json();
    expect(proxies.map((p: { name: string }) => p.name)).to.deep.equal(["one", "two"]);
    expect(proxies[0].listen).to.match(/^127\.0\.0\.1:\d+$/);
    expect(proxies[1]).to.include({ listen: "localhost:0", enabled: false });
    expect(res.text.endsWith("}")).to.equal(true);
  });

  test("validates every entry before changing anything", async () => {
    const res = await f.api("POST", "/populate", [
      { name: "three", listen: "localhost:0", upstream: echo.address },
      { name: "four", listen: "localhost:0" },
    ]);
    expect(res.status).to.equal(400);
    expect(res.text).to.equal('{"error":"missing required field: upstream at proxy 2","status":400,"proxies":null}');
    expect((await f.api("GET", "/proxies/three")).status).to.equal(404);
    const noName = await f.api("POST", "/populate", [{ upstream: "a:1" }]);
    expect(noName.json()).to.deep.equal({
      error: "missing required field: name at proxy 1",
      status: 400,
      proxies: null,
    });
  });

  test("bad bodies, an empty list and null", async () => {
    const notArray = await f.api("POST", "/populate", { name: "x" });
    expect(notArray.status).to.equal(400);
    expect(notArray.json().error).to.match(
      /^bad request body: json: cannot unmarshal object into Go value of type \[\]struct/,
    );
    expect(notArray.json().proxies).to.equal(null);
    expect((await f.api("POST", "/populate", "")).text).to.equal(
      '{"error":"bad request body: EOF","status":400,"proxies":null}',
    );
    for (const body of ["[]", "null"]) {
      const res = await f.api("POST", "/populate", body);
      expect(res.status, body).to.equal(201);
      expect(res.text, body).to.equal('{"proxies":null}');
    }
  });

  test("same listen and upstream keeps the proxy untouched (toxics, enabled); a change replaces it", async () => {
    const one = await f.toxiproxy.get("one");
    await one.addToxic({
      name: "kept",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 1, jitter: 0 },
    });
    const same = await f.toxiproxy.populate([
      { name: "one", listen: one.listen.replace("127.0.0.1", "localhost"), upstream: echo.address, enabled: false },
    ]);
    expect(same.one.listen).to.equal(one.listen);
    expect(same.one.enabled).to.equal(true);
    expect((await f.api("GET", "/proxies/one/toxics")).json()).to.have.length(1);

    await f.toxiproxy.populate([{ name: "one", listen: one.listen, upstream: `localhost:${portOf(echo.address)}` }]);
    const replaced = (await f.api("GET", "/proxies/one")).json();
    expect(replaced).to.include({ listen: one.listen, upstream: `localhost:${portOf(echo.address)}` });
    expect(replaced.toxics).to.deep.equal([]);

    const anyPort = await f.toxiproxy.populate([
      { name: "one", listen: "localhost:0", upstream: `localhost:${portOf(echo.address)}` },
    ]);
    expect(anyPort.one.listen).to.not.equal(one.listen);
  });

  test("stops at the first failure: earlier entries stay applied, the error names the cause", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const res = await f.api("POST", "/populate", [
        { name: "five", listen: "localhost:0", upstream: echo.address },
        { name: "six", listen: `127.0.0.1:${taken}`, upstream: echo.address },
        { name: "seven", listen: "localhost:0", upstream: echo.address },
      ]);
      expect(res.status).to.equal(500);
      const body = res.json();
      expect(body.error).to.equal(`listen tcp 127.0.0.1:${taken}: bind: address already in use`);
      expect(body.status).to.equal(500);
      expect(body.proxies.map((p: { name: string }) => p.name)).to.deep.equal(["five"]);
      expect((await f.api("GET", "/proxies/five")).status).to.equal(200);
      expect((await f.api("GET", "/proxies/six")).status).to.equal(404);
      expect((await f.api("GET", "/proxies/seven")).status).to.equal(404);

      const replace = await f.api("POST", "/populate", [
        { name: "five", listen: `127.0.0.1:${taken}`, upstream: echo.address },
      ]);
      expect(replace.status).to.equal(500);
      expect(replace.json().proxies).to.equal(null);
      expect((await f.api("GET", "/proxies/five")).json()).to.include({ name: "five", enabled: false });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test("in-process populate returns the proxies or rejects with a FaultProxyError", async () => {
    const port = await freePort();
    const proxies = await f.fp.populate([{ name: "eight", listen: `127.0.0.1:${port}`, upstream: echo.address }]);
    expect(proxies[0]).to.include({ name: "eight", listen: `127.0.0.1:${port}`, enabled: true });
    const failure = await f.fp.populate([{ name: "nine", upstream: "" }]).catch((err: unknown) => err);
    expect(failure).to.be.instanceOf(FaultProxyError);
    expect(failure).to.include({
      code: "FP_MISSING_FIELD",
      status: 400,
      message: "missing required field: upstream at proxy 1",
    });
  });
});
