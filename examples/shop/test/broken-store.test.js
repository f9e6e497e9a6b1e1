"use strict";
// The lab's checkers catch a broken program that no step asks about. With SHOP_BROKEN=orders-everywhere the store
// offers "orders" to everyone (audience "*") although the topology declares it for group "database" only: the
// front end re-exports it into the default group and the buyer, the feed and their servers see it. A scenario about
// prices, which never mentions "orders", must then fail on I1 (audience safety), and pass with the real store.
//
// SHOP_BROKEN reaches the store through the environment: on the process driver a program gets the supervisor's
// environment (the runner's) plus the topology's `env:`. The topology stays the one the features use; this
// is why the test runs on processes only (a container does not inherit the runner's environment).

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, describe, test } = require("node:test");
const assert = require("node:assert/strict");

const shop = path.join(__dirname, "..");
const exlab = path.join(path.dirname(require.resolve("exchange-lab/package.json")), "bin", "exlab.js");
const feature = "features/prices.feature";
const scenario = "The buyer and the shop get fresh prices, in order";
const dirs = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function runScenario(broken) {
  const report = fs.mkdtempSync(path.join(os.tmpdir(), "shop-broken-report-"));
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), "shop-broken-runs-"));
  dirs.push(report, runs);
  const args = [exlab, "run", feature, "--name", scenario, "--driver", "processes", "--report", report];
  const r = spawnSync(process.execPath, args, {
    cwd: shop,
    env: { ...process.env, EXLAB_RUNS_DIR: runs, EXLAB_KEEP_LOGS: "", SHOP_BROKEN: broken },
    encoding: "utf8",
    timeout: 120_000,
  });
  const junit = path.join(report, "junit.xml");
  return {
    status: r.status,
    output: `${r.stdout}${r.stderr}`,
    junit: fs.existsSync(junit) ? fs.readFileSync(junit, "utf8") : "",
  };
}

describe("the shop with a store that offers its orders to everyone", () => {
  test("the scenario it runs never mentions the store's service", () => {
    const text = fs.readFileSync(path.join(shop, feature), "utf8");
    const steps = text.split(`Scenario: ${scenario}`)[1].split("Scenario:")[0];
    assert.match(steps, /every invariant holds/);
    assert.doesNotMatch(steps, /orders/);
  });

  test("fails on I1 (audience safety), naming the service and the audience the topology declares", () => {
    const run = runScenario("orders-everywhere");
    assert.equal(run.status, 1, run.output);
    assert.match(run.junit, /<failure[^>]*>[^<]*I1 Audience safety: FAILED/);
    assert.match(run.junit, /service &quot;orders&quot;/);
    assert.match(run.junit, /declared in the topology with audience &quot;database&quot;/);
  });

  test("passes with the real store", () => {
    const run = runScenario("");
    assert.equal(run.status, 0, run.output);
    assert.doesNotMatch(run.junit, /<failure/);
  });
});
