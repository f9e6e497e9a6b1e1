"use strict";
// The web front end, a bridge as in the OSE manual (pp. 77-78): a client in the default group, where the buyers
// and the price feed are, and in group "database", where the order store is. It offers "shop" with audience "*"
// to everyone. The store's "orders" (audience "database") reaches it over the database group and goes no
// further: a bridge re-exports into the default group only what may travel there (S-17, S-27).
//
// Methods of "shop":
//   place {id, item, qty}, get {id}, count, list → forwarded to "orders"; its answer, or its FAILURE as is
//   prices → {<sym>: {price, seq, ageMs, stale}} the last price of each symbol from the feed's reports
//
// When the store cannot answer, the front end says so at once instead of keeping the buyer waiting: it asks
// the store with a short deadline (SHOP_ORDERS_TIMEOUT_MS, default 1000 ms) and answers FAILURE with the
// exchange's code for what happened: 46 SERVICE_UNAVAILABLE (no store is visible: answered immediately), 47
// REQUEST_TIMEOUT or 57 SERVICE_WITHDRAWN (the store went away with the order on its way: it may have stored
// it, so retry with the same id). A price is stale when older than SHOP_STALE_MS (default 1000 ms).

const { ServiceFailure, startExchangeNode } = require("exchange-lab/exchange");
const { envInt, main, ownEndpoints, OWN_TIMING } = require("./common");

const ORDERS_TIMEOUT_MS = envInt("SHOP_ORDERS_TIMEOUT_MS", 1000);
const STALE_MS = envInt("SHOP_STALE_MS", 1000);
const FORWARDED = new Set(["place", "get", "count", "list"]);

async function start() {
  const node = await startExchangeNode({
    name: "frontend",
    timing: OWN_TIMING,
    endpoints: ownEndpoints({ shop: true, database: true }),
  });
  const shop = node.agent({ name: "shop", audience: "*" });

  /** Last price per symbol: {price, seq, publisher, at}. A feed that restarts counts seq from 1 again. */
  const prices = new Map();
  shop.onReport((r) => {
    const { sym, price, seq } = r.content ?? {};
    if (typeof sym !== "string") return;
    const last = prices.get(sym);
    if (last && last.publisher === r.publisher && last.seq >= seq) return;
    prices.set(sym, { price, seq, publisher: r.publisher, at: Date.now() });
  });
  // An edge to every visible "prices" publisher, made again whenever one (re)appears (S-36).
  shop.subscribeReports("prices", "price.*");

  shop.onRequest(async (method, args) => {
    if (method === "prices") {
      const now = Date.now();
      const out = {};
      for (const [sym, p] of [...prices].sort(([a], [b]) => (a < b ? -1 : 1))) {
        out[sym] = { price: p.price, seq: p.seq, ageMs: now - p.at, stale: now - p.at > STALE_MS };
      }
      return out;
    }
    if (!FORWARDED.has(method)) throw new ServiceFailure(55, `shop has no method ${JSON.stringify(method)}`);
    // No visible store: the request below settles at once with SERVICE_UNAVAILABLE, nothing waits.
    const o = await shop.request("orders", method, args, { timeoutMs: ORDERS_TIMEOUT_MS });
    if (o.kind === "RESPONSE") return o.result;
    if (o.kind === "FAILURE") throw new ServiceFailure(o.code, o.description, o.details, o.origin);
    throw new ServiceFailure(o.code, `the order store did not answer: ${o.kind} (${o.description})`, {
      outcome: o.kind,
    });
  });
  return { node };
}

if (require.main === module) main(start);
