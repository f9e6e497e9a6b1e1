import { expect } from "chai";
import { after, before, describe, test } from "node:test";
import { startFixture, TestServer, type Fixture } from "./test-support";

const TEXT = "text/plain; charset=utf-8";

describe("HTTP API (Toxiproxy 2.12 contract)", () => {
  let f: Fixture;
  let upstream: TestServer;
  before(async () => {
    f = await startFixture();
    upstream = await TestServer.start({ echo: true });
  });
  after(async () => {
    await f.fp.close();
    await upstream.close();
  });

  test("GET /version: exact body and content type, and the client reads it as text", async () => {
    const res = await f.api("GET", "/version");
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('{"version": "2.12.0"}\n');
    expect(res.headers.get("content-type")).to.equal("application/json;charset=utf-8");
    expect(await f.toxiproxy.getVersion()).to.equal('{"version": "2.12.0"}\n');
  });

  test("create: 201, localhost:0 resolved to 127.0.0.1:<port>, Toxiproxy's key order", async () => {
    const res = await f.api("POST", "/proxies", { name: "shape", listen: "localhost:0", upstream: upstream.address });
    expect(res.status).to.equal(201);
    expect(res.headers.get("content-type")).to.equal("application/json");
    expect(res.text).to.match(
      /^\{"name":"shape","listen":"127\.0\.0\.1:\d+","upstream":"127\.0\.0\.1:\d+","enabled":true,"Logger":\{\},"toxics":\[\]\}$/,
    );
    expect(res.headers.get("x-toxiproxy-request-id")).to.match(/^[0-9a-v]{20}$/);
    const viaClient = await f.toxiproxy.createProxy({
      name: "client",
      listen: "127.0.0.1:0",
      upstream: upstream.address,
    });
    expect(viaClient.listen).to.match(/^127\.0\.0\.1:\d+$/);
    expect(viaClient.enabled).to.equal(true);
  });

  test("create: validation order and error texts", async () => {
    const cases: Array<[string, number, string]> = [
      ["", 400, "bad request body: EOF"],
      ['{"name":', 400, "bad request body: unexpected EOF"],
      ["xyz", 400, "bad request body: invalid character 'x' looking for beginning of value"],
      [
        '{"name":5}',
        400,
        "bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string",
      ],
      ['{"upstream":"a:1"}', 400, "missing required field: name"],
      ['{"name":"x"}', 400, "missing required field: upstream"],
      [`{"name":"shape","upstream":"${upstream.address}","listen":"localhost:0"}`, 409, "proxy already exists"],
      [
        '{"name":"nolisten","upstream":"a:1","listen":"local373"}',
        500,
        "listen tcp: address local373: missing port in address",
      ],
    ];
    for (const [body, status, message] of cases) {
      const res = await f.api("POST", "/proxies", body);
      expect(res.status, body).to.equal(status);
      expect(res.text, body).to.equal(`{"error":${JSON.stringify(message)},"status":${status}}\n`);
      expect(res.headers.get("content-type")).to.equal(TEXT);
    }
    expect((await f.api("GET", "/proxies/nolisten")).status).to.equal(404);
    await f.toxiproxy.createProxy({ name: "shape", listen: "localhost:0", upstream: "x:1" }).then(
      () => expect.fail("duplicate accepted"),
      (err: Error) => expect(err.message).to.equal("Request failed with status code 409"),
    );
  });

  test("case-insensitive keys, trailing bytes ignored, unknown keys ignored", async () => {
    const res = await f.api(
      "POST",
      "/proxies",
      `{"Name":"cased","UPSTREAM":"a:1","enabled":false,"toxics":[1]} trailing`,
    );
    expect(res.status).to.equal(201);
    expect(res.json()).to.include({ name: "cased", upstream: "a:1", enabled: false, listen: "" });
  });

  test("a disabled proxy reports its listen verbatim until started", async () => {
    await f.toxiproxy.createProxy({ name: "off", listen: "localhost:0", upstream: upstream.address, enabled: false });
    const p = await f.toxiproxy.get("off");
    expect(p.listen).to.equal("localhost:0");
    expect(p.enabled).to.equal(false);
    const on = await p.update({ enabled: true, listen: p.listen, upstream: p.upstream });
    expect(on.listen).to.match(/^127\.0\.0\.1:\d+$/);
    expect(on.enabled).to.equal(true);
  });

  test("GET /proxies: sorted keys; GET, update and delete a proxy; 404s", async () => {
    const all = await f.api("GET", "/proxies");
    const keys = Object.keys(all.json());
    expect(keys).to.deep.equal([...keys].sort());
    expect(Object.keys(await f.toxiproxy.getAll())).to.include.members(["shape", "client", "off"]);
    expect(all.text.indexOf('"cased"')).to.be.lessThan(all.text.indexOf('"shape"'));

    const patched = await f.api("PATCH", "/proxies/cased", { upstream: "b:2" });
    expect(patched.status).to.equal(200);
    expect(patched.json()).to.include({ name: "cased", upstream: "b:2", enabled: false, listen: "" });
    expect((await f.api("POST", "/proxies/cased", "")).text).to.equal(
      '{"error":"bad request body: EOF","status":400}\n',
    );
    expect((await f.api("POST", "/proxies/cased", "{}")).json().upstream).to.equal("b:2");

    const gone = await f.api("DELETE", "/proxies/cased");
    expect(gone.status).to.equal(204);
    expect(gone.text).to.equal("");
    for (const [method, path] of [
      ["GET", "/proxies/cased"],
      ["DELETE", "/proxies/cased"],
      ["POST", "/proxies/cased"],
      ["GET", "/proxies/cased/toxics"],
    ]) {
      const res = await f.api(method, path, method === "GET" ? undefined : "{}");
      expect(res.status, `${method} ${path}`).to.equal(404);
      expect(res.text).to.equal('{"error":"proxy not found","status":404}\n');
    }
  });

  test("toxic create: defaults, every attribute present, stream echoed as sent", async () => {
    const proxy = await f.toxiproxy.get("shape");
    const toxic = await proxy.addToxic({ type: "latency", attributes: {} } as never);
    expect(toxic.toJson()).to.deep.equal({
      attributes: { latency: 0, jitter: 0 },
      name: "latency_downstream",
      stream: "downstream",
      toxicity: 1,
      type: "latency",
    });
    const expected: Record<string, object> = {
      bandwidth: { rate: 0 },
      slow_close: { delay: 0 },
      timeout: { timeout: 0 },
      reset_peer: { timeout: 0 },
      slicer: { average_size: 1, size_variation: 0, delay: 0 },
      limit_data: { bytes: 0 },
      noop: {},
    };
    for (const [type, attributes] of Object.entries(expected)) {
      const body =
        type === "slicer"
          ? { type, stream: "UpStream", attributes: { average_size: 1 } }
          : { type, stream: "UpStream" };
      const res = await f.api("POST", "/proxies/shape/toxics", body);
      expect(res.status, type).to.equal(200);
      expect(res.text, type).to.equal(
        `{"attributes":${JSON.stringify(attributes)},"name":"${type}_UpStream","type":"${type}","stream":"UpStream","toxicity":1}`,
      );
    }
    const zero = await f.api("POST", "/proxies/shape/toxics", {
      name: "z",
      type: "latency",
      toxicity: 0.2,
      stream: "upstream",
    });
    expect(zero.text).to.equal(
      '{"attributes":{"latency":0,"jitter":0},"name":"z","type":"latency","stream":"upstream","toxicity":0.2}',
    );
    const list = (await f.api("GET", "/proxies/shape/toxics")).json() as Array<{ name: string; stream: string }>;
    expect(list.map((t) => t.name)).to.deep.equal([
      ...Object.keys(expected).map((t) => `${t}_UpStream`),
      "z",
      "latency_downstream",
    ]);
    expect((await f.api("GET", "/proxies/shape")).json().toxics).to.have.length(9);
    await f.api("POST", "/reset");
  });

  test("toxic create: validation order and error texts", async () => {
    await f.api("POST", "/proxies/shape/toxics", { name: "dup", type: "latency", stream: "upstream" });
    const cases: Array<[string, string, number, string]> = [
      ["/proxies/nope/toxics", '{"type":"latency"}', 404, "proxy not found"],
      ["/proxies/shape/toxics", "", 400, "bad request body: EOF"],
      [
        "/proxies/shape/toxics",
        '{"type":"latency","stream":""}',
        400,
        "stream was invalid, can be either upstream or downstream",
      ],
      [
        "/proxies/shape/toxics",
        '{"type":"latency","stream":"sideways"}',
        400,
        "stream was invalid, can be either upstream or downstream",
      ],
      ["/proxies/shape/toxics", '{"type":"down"}', 400, "invalid toxic type"],
      ["/proxies/shape/toxics", "{}", 400, "invalid toxic type"],
      ["/proxies/shape/toxics", '{"name":"dup","type":"latency","stream":"downstream"}', 409, "toxic already exists"],
      [
        "/proxies/shape/toxics",
        '{"type":"latency","attributes":{"latency":1.5}}',
        400,
        "bad request body: json: cannot unmarshal number 1.5 into Go struct field .attributes.latency of type int64",
      ],
      [
        "/proxies/shape/toxics",
        '{"type":"latency","attributes":{"latency":"9"}}',
        400,
        "bad request body: json: cannot unmarshal string into Go struct field .attributes.latency of type int64",
      ],
      [
        "/proxies/shape/toxics",
        '{"type":"bandwidth","attributes":{"rate":-1}}',
        400,
        "invalid toxic attributes: bandwidth rate must not be negative, got -1 KB/s",
      ],
      [
        "/proxies/shape/toxics",
        '{"type":"slicer","attributes":{"average_size":0}}',
        400,
        "invalid toxic attributes: slicer average_size must be a positive number of bytes, got 0",
      ],
      [
        "/proxies/shape/toxics",
        '{"type":"slicer","attributes":{"average_size":10,"size_variation":11}}',
        400,
        "invalid toxic attributes: slicer size_variation (11) must not exceed average_size (10)",
      ],
      ["/proxies/shape/toxics/nope", "{}", 404, "toxic not found"],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await f.api("POST", path, body);
      expect(res.status, body).to.equal(status);
      expect(res.text, body).to.equal(`{"error":${JSON.stringify(message)},"status":${status}}\n`);
    }
    expect((await f.api("GET", "/proxies/shape/toxics")).json()).to.have.length(1);
    await f.api("POST", "/reset");
  });

  test("toxic update: attributes merge, toxicity kept, POST and PATCH, guards leave it unchanged", async () => {
    const proxy = await f.toxiproxy.get("shape");
    await proxy.addToxic({
      name: "lat",
      type: "latency",
      stream: "downstream",
      toxicity: 0.5,
      attributes: { latency: 10, jitter: 5 },
    });
    const toxic = await proxy.getToxic("lat");
    const updated = await toxic.update({ attributes: { latency: 1000 } } as never);
    expect(updated.attributes).to.deep.equal({ latency: 1000, jitter: 5 });
    expect(updated.toxicity).to.equal(0.5);
    const patched = await f.api("PATCH", "/proxies/shape/toxics/lat", {
      toxicity: 1,
      name: "renamed",
      type: "timeout",
    });
    expect(patched.json()).to.deep.equal({
      attributes: { latency: 1000, jitter: 5 },
      name: "lat",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
    });
    const bad = await f.api("PATCH", "/proxies/shape/toxics/lat", '{"attributes":{"jitter":"x"}}');
    expect(bad.status).to.equal(400);
    await proxy.addToxic({ name: "bw", type: "bandwidth", stream: "upstream", toxicity: 1, attributes: { rate: 10 } });
    const guarded = await f.api("POST", "/proxies/shape/toxics/bw", { attributes: { rate: -5 } });
    expect(guarded.text).to.equal(
      '{"error":"invalid toxic attributes: bandwidth rate must not be negative, got -5 KB/s","status":400}\n',
    );
    expect((await f.api("GET", "/proxies/shape/toxics/bw")).json().attributes).to.deep.equal({ rate: 10 });
    const shown = (await f.api("GET", "/proxies/shape")).json();
    expect(shown.toxics.map((t: { name: string }) => t.name)).to.deep.equal(["bw", "lat"]);
    expect((await f.api("DELETE", "/proxies/shape/toxics/lat")).status).to.equal(204);
    expect((await f.api("DELETE", "/proxies/shape/toxics/lat")).text).to.equal(
      '{"error":"toxic not found","status":404}\n',
    );
    expect((await f.api("GET", "/proxies/shape/toxics/lat")).status).to.equal(404);
    await f.api("POST", "/reset");
  });

  test("routing: 403 for browsers, 404 and 405 as gorilla/mux answers them", async () => {
    const browser = await f.api("GET", "/proxies", undefined, { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)" });
    expect(browser.status).to.equal(403);
    expect(browser.text).to.equal("User agent not allowed\n");
    expect(browser.headers.get("content-type")).to.equal(TEXT);
    expect(browser.headers.get("x-toxiproxy-request-id")).to.match(/^[0-9a-v]{20}$/);
    expect((await f.api("GET", "/version", undefined, { "User-Agent": "curl/8.0" })).status).to.equal(200);

    for (const path of ["/nope", "/proxies/", "/proxies/a/b/c/d"]) {
      const res = await f.api("GET", path);
      expect(res.status, path).to.equal(404);
      expect(res.text).to.equal("404 page not found\n");
      expect(res.headers.get("x-toxiproxy-request-id")).to.equal(null);
    }
    for (const [method, path] of [
      ["PUT", "/proxies"],
      ["GET", "/reset"],
      ["HEAD", "/version"],
      ["PUT", "/proxies/x/toxics/y"],
    ]) {
      const res = await f.api(method, path);
      expect(res.status, `${method} ${path}`).to.equal(405);
      expect(res.text).to.equal("");
    }
  });

  test("/reset: 204, toxics removed, disabled proxies enabled on their port", async () => {
    const proxy = await f.toxiproxy.get("shape");
    await proxy.addToxic({
      name: "t",
      type: "latency",
      stream: "upstream",
      toxicity: 1,
      attributes: { latency: 1, jitter: 0 },
    });
    const before = proxy.listen;
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    const res = await fetch(`${f.url}/reset`, { method: "POST" });
    expect(res.status).to.equal(204);
    const after = await f.toxiproxy.get("shape");
    expect(after.enabled).to.equal(true);
    expect(after.listen).to.equal(before);
    expect((await f.api("GET", "/proxies/shape/toxics")).text).to.equal("[]");
    await f.toxiproxy.reset();
  });
});
