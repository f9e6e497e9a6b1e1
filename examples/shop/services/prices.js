"use strict";
// The price feed: service "prices" in the default group (audience "*"). Every 100-200 ms it publishes the price of
// each symbol (PRICES_SYMBOLS, default "eur,usd") as a report on subject "price.<sym>" with content {sym, price,
// seq}. seq counts this feed's publications from 1 and only goes up, so a subscriber can tell a newer price from an
// older one. Reports are cached for PRICES_LIFETIME_S seconds (default 1): a subscriber that comes back after a
// fault gets the last prices at once, but never ones older than that (S-40).
//
// Prices move by a deterministic walk (the same run of prices every time the feed starts), so nothing about them
// depends on luck; the methods are `quote {sym}` → {sym, price, seq} and `symbols` → [sym, …].

const { ServiceFailure, startExchangeNode } = require("exchange-lab/exchange");
const { envInt, main, ownEndpoints, OWN_TIMING } = require("./common");

const SYMBOLS = (process.env.PRICES_SYMBOLS || "eur,usd").split(",").filter(Boolean);
const LIFETIME_S = envInt("PRICES_LIFETIME_S", 1);
const BASE = { eur: 1.08, usd: 1, gbp: 1.26, chf: 1.13 };

async function start() {
  const node = await startExchangeNode({ name: "prices", timing: OWN_TIMING, endpoints: ownEndpoints({ shop: true }) });
  const feed = node.agent({ name: "prices", audience: "*" });
  const last = new Map();
  let seq = 0;
  let step = 0;
  let timer;

  const tick = () => {
    if (feed.withdrawn) return; // the node is closing (SIGTERM): stop publishing
    step++;
    for (const [i, sym] of SYMBOLS.entries()) {
      const base = BASE[sym] ?? 1;
      const price = Math.round(base * (1 + 0.01 * Math.sin((step + 7 * i) / 5)) * 10000) / 10000;
      const content = { sym, price, seq: ++seq };
      last.set(sym, content);
      feed.publishReport(`price.${sym}`, content, { lifetime: LIFETIME_S });
    }
    timer = setTimeout(tick, 100 + ((step * 37) % 101)); // 100-200 ms, varied but reproducible
  };
  tick();

  feed.onRequest((method, args) => {
    if (method === "symbols") return SYMBOLS;
    if (method === "quote") {
      const q = last.get(args?.sym);
      if (!q) throw new ServiceFailure(404, `no price for ${JSON.stringify(args?.sym)}; symbols: ${SYMBOLS}`);
      return q;
    }
    throw new ServiceFailure(55, `prices has no method ${JSON.stringify(method)}`);
  });
  return { node, stop: () => clearTimeout(timer) };
}

if (require.main === module) main(start);
