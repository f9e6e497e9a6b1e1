"use strict";
// The order store: service "orders" in exchange group "database", with audience "database", so only processes
// reached over that group (the front end) ever see it (S-17).
//
// Methods (arguments → answer):
//   place {id, item, qty} → {accepted: true, id}; again with the same id and order → {accepted: true, id,
//                           duplicate: true}, stored once; the same id with another order → FAILURE 409
//   get {id}              → {id, item, qty}, or FAILURE 404
//   count                 → {count}
//   list                  → {orders: [{id, item, qty}, …]} in the order they were placed
// Bad arguments answer FAILURE 400, an unknown method FAILURE 55.
//
// Durable: an order is answered only after it is in the journal (journal.js: one line per order, fsync'ed), and
// the journal is read back at start, so every order that was answered survives a crash of the store's process or
// machine. Where the journal lives, first that is set:
//   ORDERS_DATA     a directory of your choice (relative to the working directory)
//   EXLAB_DATA_DIR  under the lab: the process's own directory for the scenario, kept across crashes and
//                   restarts of the process and of its machine, fresh for every scenario (on containers too)
//   data/           in the working directory
//
// SHOP_BROKEN=orders-everywhere breaks the store on purpose: it offers "orders" with audience "*" instead of
// "database", so the front end re-exports it into the default group (S-27) and every process sees it. The lab's
// audience check (I1) must catch that (test/broken-store.test.js).

const path = require("node:path");
const { ServiceFailure, startExchangeNode } = require("exchange-lab/exchange");
const { main, ownEndpoints, OWN_TIMING } = require("./common");
const { Journal } = require("./journal");

const BROKEN = process.env.SHOP_BROKEN === "orders-everywhere";

function dataDir() {
  return path.resolve(process.env.ORDERS_DATA || process.env.EXLAB_DATA_DIR || "data");
}

/** The order as stored and answered, or a FAILURE 400 saying what is wrong with the arguments. */
function checkOrder(args) {
  const { id, item, qty } = args ?? {};
  if (typeof id !== "string" || id === "") throw new ServiceFailure(400, "an order needs an id (a non-empty string)");
  if (typeof item !== "string" || item === "") throw new ServiceFailure(400, `order ${id}: item must be a string`);
  if (!Number.isInteger(qty) || qty < 1) throw new ServiceFailure(400, `order ${id}: qty must be a whole number ≥ 1`);
  return { id, item, qty };
}

const same = (a, b) => a.item === b.item && a.qty === b.qty;

/** The store's state and methods, on a journal; separate from the exchange so that it can be tested alone. */
function orderStore(journal) {
  const byId = new Map(journal.records.map((o) => [o.id, o]));
  return {
    place(args) {
      const order = checkOrder(args);
      const known = byId.get(order.id);
      if (known) {
        if (!same(known, order))
          throw new ServiceFailure(409, `order ${order.id} exists with another item or quantity`, { order: known });
        return { accepted: true, id: order.id, duplicate: true };
      }
      journal.append(order); // durable before it is answered or counted
      byId.set(order.id, order);
      return { accepted: true, id: order.id };
    },
    get(args) {
      const order = byId.get(args?.id);
      if (!order) throw new ServiceFailure(404, `no order ${JSON.stringify(args?.id)}`);
      return order;
    },
    count: () => ({ count: byId.size }),
    list: () => ({ orders: [...byId.values()] }),
  };
}

async function start() {
  const journal = Journal.open(dataDir(), "orders.ndjson");
  const store = orderStore(journal);
  const node = await startExchangeNode({
    name: "orders",
    timing: OWN_TIMING,
    endpoints: ownEndpoints({ database: true }),
  });
  if (BROKEN) console.error('SHOP_BROKEN=orders-everywhere: offering "orders" to everyone (audience "*")');
  node.agent({ name: "orders", audience: BROKEN ? "*" : "database" }).onRequest((method, args) => {
    if (!Object.hasOwn(store, method)) throw new ServiceFailure(55, `orders has no method ${JSON.stringify(method)}`);
    return store[method](args);
  });
  console.log(
    `orders: ${journal.records.length} order(s) read back from ${journal.file}` +
      (journal.tornBytes ? ` (a torn last line of ${journal.tornBytes} bytes dropped)` : ""),
  );
  return { node, stop: () => journal.close() };
}

if (require.main === module) main(start);

module.exports = { orderStore, checkOrder };
