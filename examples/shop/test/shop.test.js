"use strict";
// The shop outside the lab, configured as in production: two exchange servers (the default group and "database")
// in this test's process, the four programs as child processes that dial them (SHOP_EXCHANGE,
// SHOP_DATABASE_EXCHANGE), and a test client in the default group that calls them as a user would.

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, before, describe, test } = require("node:test");
const assert = require("node:assert/strict");
const { ExchangeNode } = require("exchange-lab/exchange");

const services = path.join(__dirname, "..", "services");
const timing = { heartbeatMs: 200, retryDelayMs: 200, handshakeTimeoutMs: 1000 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function contains(actual, want) {
  if (want === null || typeof want !== "object") return Object.is(actual, want);
  if (Array.isArray(want))
    return Array.isArray(actual) && actual.length === want.length && want.every((w, i) => contains(actual[i], w));
  return (
    actual !== null && typeof actual === "object" && Object.entries(want).every(([k, w]) => contains(actual[k], w))
  );
}

/** Polls `probe` (→ {ok, value, seen}) until ok; its value, or a failure with the last thing seen. */
async function until(what, probe, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last.ok) return last.value;
    if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs} ms; last seen: ${JSON.stringify(last.seen)}`);
    await sleep(50);
  }
}

describe("the shop on its own exchange, outside the lab", () => {
  const nodes = [];
  const programs = new Map();
  let data;
  let env;
  let client;

  /** Starts services/<name>.js with the site's addresses; resolves with the child once it is running. */
  function run(name, extra = {}) {
    const child = spawn(process.execPath, [path.join(services, `${name}.js`)], {
      cwd: data,
      env: { ...env, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.output = "";
    child.stdout.on("data", (b) => (child.output += b));
    child.stderr.on("data", (b) => (child.output += b));
    child.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    programs.set(name, child);
    return child;
  }

  /** One call from the test client: the outcome. */
  const call = (service, method, args) => client.request(service, method, args, { timeoutMs: 3000 });
  /** Calls until the answer holds `want` (objects by the keys given, as the lab's steps compare); the answer. */
  const answered = (service, method, args, want) =>
    until(`${service}.${method} answering ${JSON.stringify(want)}`, async () => {
      const o = await call(service, method, args);
      return {
        ok: o.kind === "RESPONSE" && contains(o.result, want),
        value: o.result,
        seen: o.kind === "RESPONSE" ? o.result : o,
      };
    });

  before(async () => {
    data = fs.mkdtempSync(path.join(os.tmpdir(), "shop-site-"));
    const site = new ExchangeNode({ name: "site/exchange", timing });
    const db = new ExchangeNode({ name: "site/exchange-database", timing });
    nodes.push(site, db);
    const port = await site.exchange({ role: "server" }).listen(0, "127.0.0.1");
    const dbPort = await db.exchange({ role: "server", group: "database" }).listen(0, "127.0.0.1");
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("EXLAB_")));
    Object.assign(env, {
      SHOP_EXCHANGE: `127.0.0.1:${port}`,
      SHOP_DATABASE_EXCHANGE: `127.0.0.1:${dbPort}`,
      ORDERS_DATA: path.join(data, "orders"),
      BUYER_ORDERS: "10",
      BUYER_PACE_MS: "20",
    });
    client = new ExchangeNode({ name: "site/tester", timing });
    nodes.push(client);
    client.exchange({ role: "client" }).connect("127.0.0.1", port);
    client = Object.assign(client.agent({ name: "", audience: "" }), { node: client });
    for (const name of ["orders", "frontend", "prices", "buyer"]) run(name);
  });

  after(async () => {
    for (const child of programs.values()) if (child.exitCode === null) child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.close()));
    fs.rmSync(data, { recursive: true, force: true });
  });

  test("the buyer's orders are all placed once, and the default group never sees the store", async () => {
    await answered("buyer", "status", {}, { done: true, confirmed: 10, rejected: [] });
    await answered("shop", "count", {}, { count: 10 });
    const listed = await answered("shop", "list", {}, {});
    assert.deepEqual(
      listed.orders.map((o) => o.id),
      Array.from({ length: 10 }, (_, i) => `order-${i + 1}`),
    );
    assert.deepEqual(
      client.node.registry.lookupByName("orders"),
      [],
      'audience "database": "orders" is not visible in the default group',
    );
  });

  test("prices arrive in order at the front end and the buyer, and are fresh", async () => {
    const prices = await answered("shop", "prices", {}, {});
    assert.deepEqual(Object.keys(prices), ["eur", "usd"]);
    assert.equal(prices.eur.stale, false);
    await answered("buyer", "status", {}, { pricesFresh: true, pricesInOrder: true });
  });

  test("with the store killed the front end answers 46 at once; started again, it has every order", async () => {
    const orders = programs.get("orders");
    orders.kill("SIGKILL");
    await orders.exited;
    const o = await until("the front end answering FAILURE 46", async () => {
      const t0 = Date.now();
      const o = await call("shop", "place", { id: "late-1", item: "book", qty: 1 });
      return { ok: o.kind === "FAILURE" && o.code === 46, value: { ...o, ms: Date.now() - t0 }, seen: o };
    });
    assert.ok(o.ms < 500, `answered in ${o.ms} ms`);

    run("orders");
    await answered("shop", "count", {}, { count: 10 });
    await answered("shop", "place", { id: "order-3", item: "pen", qty: 1 }, { accepted: true, duplicate: true });
    await answered("shop", "place", { id: "late-1", item: "book", qty: 1 }, { accepted: true, id: "late-1" });
    await answered("shop", "count", {}, { count: 11 });
    const conflict = await call("shop", "place", { id: "order-3", item: "pen", qty: 2 });
    assert.equal(conflict.kind, "FAILURE");
    assert.equal(conflict.code, 409, "the store's own FAILURE travels through the front end as it is");
  });

  test("SIGTERM stops every program gracefully (exit 0), its services withdrawn first", async () => {
    await until("the tester seeing shop, buyer and prices", async () => {
      const names = ["shop", "buyer", "prices"].filter((s) => client.node.registry.lookupByName(s).length);
      return { ok: names.length === 3, seen: names };
    });
    for (const child of programs.values()) child.kill("SIGTERM");
    for (const [name, child] of programs) {
      const exit = await child.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, `${name}: ${child.output}`);
    }
    await until("shop, buyer and prices withdrawn", async () => {
      const names = ["shop", "buyer", "prices"].filter((s) => client.node.registry.lookupByName(s).length);
      return { ok: names.length === 0, seen: names };
    });
  });
});
