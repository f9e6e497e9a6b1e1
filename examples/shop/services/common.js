"use strict";
// What the shop's programs share: reading their settings from the environment, their own (production) exchange
// configuration, and a main() that stops them cleanly.
//
// Under the lab, startExchangeNode() ignores the endpoints and timing given here and takes the topology's (the
// groups and roles must still match), and it closes the node on SIGTERM itself.

/** A whole number from the environment, or `fallback` when unset; anything else is a configuration error. */
function envInt(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return n;
}

/** `host:port` from the environment (default `fallback`) as a dial target: `{ host, port }`. */
function envTarget(name, fallback) {
  const text = process.env[name] || fallback;
  const m = /^(.+):(\d+)$/.exec(text);
  if (!m) throw new Error(`${name} must be host:port, got ${JSON.stringify(text)}`);
  return { host: m[1], port: Number(m[2]) };
}

/**
 * The endpoints a program dials outside the lab: a client of the default group's server (`SHOP_EXCHANGE`, default
 * 127.0.0.1:11111) and/or of the database group's server (`SHOP_DATABASE_EXCHANGE`, default 127.0.0.1:12000).
 */
function ownEndpoints({ shop = false, database = false }) {
  const endpoints = [];
  if (shop) endpoints.push({ group: "", connect: [envTarget("SHOP_EXCHANGE", "127.0.0.1:11111")] });
  if (database)
    endpoints.push({ group: "database", connect: [envTarget("SHOP_DATABASE_EXCHANGE", "127.0.0.1:12000")] });
  return endpoints;
}

/** Timing outside the lab: quicker than the exchange's defaults (2 s heartbeats, 5 s retries), for a small site. */
const OWN_TIMING = { heartbeatMs: 500, retryDelayMs: 500, handshakeTimeoutMs: 2000 };

/**
 * Runs `start` (which returns the program's node, and optionally a `stop` to call before the node closes). Outside
 * the lab nobody else handles SIGTERM/SIGINT, so the program does: it stops, closes its node (withdrawing its
 * services) and exits 0. Under the lab startExchangeNode() installed that handling already and we leave it alone.
 * A failed start prints why and exits 1.
 */
function main(start) {
  start().then(
    ({ node, stop }) => {
      if (process.listenerCount("SIGTERM") > 0) return; // the lab's graceful stop is in place
      const quit = () => {
        Promise.resolve(stop && stop())
          .then(() => node.close())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.once("SIGTERM", quit);
      process.once("SIGINT", quit);
    },
    (err) => {
      console.error(err && err.stack ? err.stack : err);
      process.exit(1);
    },
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { envInt, envTarget, ownEndpoints, OWN_TIMING, main, sleep };
