"use strict";
// A buyer in the default group: it places BUYER_ORDERS orders (default 30) through the front end's "shop", one
// after the other, BUYER_PACE_MS apart (default 100), and watches the prices.
//
// Orders have deterministic ids, `<BUYER_PREFIX>-1` … `<BUYER_PREFIX>-<n>` (prefix default "order"), and the same
// item and quantity for the same id. An order that is not accepted (no answer in time, the store away, the front end
// unreachable) is sent again with the same id every BUYER_RETRY_MS (default 200) until it is: the store is
// idempotent by id, so a retry of an order that was stored but not answered is answered `duplicate` and never
// stored twice. A buyer that starts again places its orders again from the first one, with the same effect.
// FAILURE 400 or 409 is the buyer's own mistake: it gives that order up (`rejected`) and goes on.
//
// It offers "buyer" (audience "*") so that a scenario can ask how it is doing:
//   status → {total, confirmed, duplicates, rejected, retries, pending, lastError, done,
//             prices: {<sym>: {price, seq}}, pricesFresh, pricesInOrder}
// `confirmed` counts orders the shop accepted (duplicates included: each id once); `pending` is the id being
// placed (null when done). `pricesFresh`: a report on every symbol seen arrived in the last BUYER_FRESH_MS (default
// 1000); `pricesInOrder`: no report from one feed ever had a seq lower than or equal to the one before it.

const { ServiceFailure, startExchangeNode } = require("exchange-lab/exchange");
const { envInt, main, ownEndpoints, OWN_TIMING, sleep } = require("./common");

const TOTAL = envInt("BUYER_ORDERS", 30);
const PACE_MS = envInt("BUYER_PACE_MS", 100);
const RETRY_MS = envInt("BUYER_RETRY_MS", 200);
const PLACE_TIMEOUT_MS = envInt("BUYER_PLACE_TIMEOUT_MS", 2000);
const FRESH_MS = envInt("BUYER_FRESH_MS", 1000);
const PREFIX = process.env.BUYER_PREFIX || "order";
const ITEMS = ["book", "lamp", "mug", "pen", "plant"];

/** Order n: always the same for the same n. */
const orderNo = (n) => ({ id: `${PREFIX}-${n}`, item: ITEMS[n % ITEMS.length], qty: 1 + (n % 3) });

const describe = (o) => (o.kind === "FAILURE" ? `FAILURE ${o.code}: ${o.description}` : `${o.kind}: ${o.description}`);

async function start() {
  const node = await startExchangeNode({ name: "buyer", timing: OWN_TIMING, endpoints: ownEndpoints({ shop: true }) });
  const buyer = node.agent({ name: "buyer", audience: "*" });
  const state = { total: TOTAL, confirmed: 0, duplicates: 0, rejected: [], retries: 0, pending: null, lastError: null };

  const prices = new Map(); // sym → {price, seq, at}
  const lastSeq = new Map(); // publisher agent → last seq seen
  let inOrder = true;
  buyer.onReport((r) => {
    const { sym, price, seq } = r.content ?? {};
    if (typeof sym !== "string" || typeof seq !== "number") return;
    if (seq <= (lastSeq.get(r.publisher) ?? 0)) inOrder = false;
    lastSeq.set(r.publisher, seq);
    prices.set(sym, { price, seq, at: Date.now() });
  });
  buyer.subscribeReports("prices", "price.*");

  buyer.onRequest((method) => {
    if (method !== "status") throw new ServiceFailure(55, `buyer has no method ${JSON.stringify(method)}`);
    const now = Date.now();
    const seen = [...prices].sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      ...state,
      done: state.pending === null && state.confirmed + state.rejected.length === TOTAL,
      prices: Object.fromEntries(seen.map(([sym, p]) => [sym, { price: p.price, seq: p.seq }])),
      pricesFresh: seen.length > 0 && seen.every(([, p]) => now - p.at <= FRESH_MS),
      pricesInOrder: inOrder,
    };
  });

  const placeAll = async () => {
    for (let n = 1; n <= TOTAL && !buyer.withdrawn; n++) {
      const order = orderNo(n);
      state.pending = order.id;
      for (;;) {
        const o = await buyer.request("shop", "place", order, { timeoutMs: PLACE_TIMEOUT_MS });
        if (buyer.withdrawn) return; // closing
        if (o.kind === "RESPONSE" && o.result?.accepted) {
          state.confirmed++;
          if (o.result.duplicate) state.duplicates++;
          break;
        }
        if (o.kind === "FAILURE" && (o.code === 400 || o.code === 409)) {
          state.rejected.push({ id: order.id, error: describe(o) });
          break;
        }
        state.retries++;
        state.lastError = o.kind === "RESPONSE" ? `not accepted: ${JSON.stringify(o.result)}` : describe(o);
        await sleep(RETRY_MS);
      }
      await sleep(PACE_MS);
    }
    state.pending = null;
  };
  void placeAll();
  return { node };
}

if (require.main === module) main(start);
