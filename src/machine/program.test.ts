import { describe, test } from "node:test";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, isAlive, proc, startMachine, waitSeen, type StartedMachine } from "./machine-test-utils";
import type { MachineApiError } from "./client";
import type { CallResult } from "./host";
import type { ProcessSpecInput } from "./spec";
import { waitFor } from "./wait-for";

// User programs under a real supervisor: each is a small script on the real library (dist/library.js), run the way
// the lab runs them (`node <file>` in the project directory, no shell).

const LIBRARY = JSON.stringify(path.join(__dirname, "..", "library.js"));

const ORDERS = `
const { startExchangeNode } = require(${LIBRARY});
const placed = [];
(async () => {
  const node = await startExchangeNode({
    name: "orders-in-production",
    endpoints: [{ group: "", connect: [{ host: "orders-db.internal", port: 7000 }] }],
  });
  node.agent({ name: "orders", audience: "*" }).onRequest((method, args) => {
    if (method === "place") { placed.push(args); return { accepted: true, n: placed.length }; }
    if (method === "count") return { count: placed.length };
    throw new Error("unknown method " + method);
  });
})();
`;

const BAD = {
  "exits.js": "process.exit(3);",
  "throws.js": 'throw new Error("orders: cannot read config/orders.yml");',
  "silent.js": "setInterval(() => {}, 1000);",
  "wrong-group.js": `
require(${LIBRARY}).startExchangeNode({ endpoints: [{ group: "database", connect: [{ host: "db", port: 1 }] }] });`,
  "flood.js": `
const { startExchangeNode } = require(${LIBRARY});
const line = "x".repeat(1000) + "\\n";
const flood = () => { for (let i = 0; i < 200; i++) process.stdout.write(line); setImmediate(flood); };
const cry = () => { process.stderr.write("warning: " + line); setImmediate(cry); };
startExchangeNode().then((node) => {
  node.agent({ name: "chatty" }).onRequest(() => ({ fine: true }));
  flood();
  cry();
});`,
};

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-program-"));
  fs.writeFileSync(path.join(dir, "orders.js"), ORDERS);
  for (const [file, text] of Object.entries(BAD)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

async function machine(dir: string, programs: Record<string, Partial<ProcessSpecInput>>): Promise<StartedMachine> {
  const port = await freePort();
  const client = { group: "", role: "client" as const, connect: [{ host: "127.0.0.1", port }] };
  return startMachine({
    machine: "shop",
    processes: [
      proc("shop", "exchange", {
        kind: "server",
        endpoints: [{ group: "", role: "server", listen: port, connect: [] }],
      }),
      proc("shop", "buyer", { endpoints: [client] }),
      ...Object.entries(programs).map(([name, p]) =>
        proc("shop", name, { endpoints: [client], services: [], ...p, program: { ...p.program!, cwd: dir } }),
      ),
    ],
  });
}

const run = (file: string) => ({ program: { argv: ["node", file], cwd: "", env: {} } });

describe("user programs in a machine", () => {
  test("a program is observed and driven like the generic host, and crash/start act on its own OS process", async (t) => {
    const dir = project();
    const m = await machine(dir, { orders: run("orders.js") });
    t.after(async () => {
      await m.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const health = await m.client.waitUntilReady({ timeoutMs: 10_000 });
    const orders = health.processes.find((p) => p.name === "orders")!;
    expect(orders.program).to.deep.equal(["node", "orders.js"]);
    await waitSeen(m.client, "buyer", "orders");
    const answer = (await m.client.call("buyer", {
      service: "orders",
      method: "place",
      args: { item: "book" },
    })) as CallResult;
    expect(answer.outcome).to.deep.include({ kind: "RESPONSE", result: { accepted: true, n: 1 } });

    const view = await m.client.view("orders");
    expect(view.address).to.equal("shop/orders");
    expect(view.pid).to.equal(orders.pid);
    expect(Object.keys(view.offered)).to.deep.equal(["orders"]);
    const fromProgram = (await m.client.call("orders", { service: "orders", method: "count" })) as CallResult;
    expect(fromProgram.outcome).to.deep.include({ kind: "RESPONSE", result: { count: 1 } });

    const events = await m.client.events(0, { limit: 100_000 });
    const avail = events.entries.find(
      (e) =>
        e.process === "orders" &&
        e.kind === "exchange" &&
        e.event.type === "binding" &&
        e.event.change === "AVAIL" &&
        e.event.serviceName === "orders",
    );
    expect(avail, "the program's AVAIL of its own service is in the machine log").to.not.equal(undefined);

    await m.client.crash("orders");
    expect(isAlive(orders.pid!)).to.equal(false);
    await waitSeen(m.client, "buyer", "orders", false);
    const again = await m.client.start("orders");
    expect(again.pid).to.not.equal(orders.pid);
    await waitSeen(m.client, "buyer", "orders");
    const stopped = await m.client.stop("orders");
    expect(stopped.exit).to.deep.equal({ code: 0, signal: null });
    const after = await m.client.events(0, { limit: 100_000 });
    const withdrawn = after.entries.filter(
      (e) =>
        e.process === "orders" &&
        e.kind === "exchange" &&
        e.event.type === "binding" &&
        e.event.change === "WITHDRAW" &&
        e.event.location === "local",
    );
    expect(withdrawn.length, "a graceful stop withdraws the program's service").to.be.greaterThan(0);
  });

  const failures: [string, Partial<ProcessSpecInput>, RegExp, RegExp | null][] = [
    ["a missing file", run("missing.js"), /exited before it was ready \(exit code 1\)/, /Cannot find module/],
    ["a program that exits at once", run("exits.js"), /exit code 3/, null],
    ["a program that throws", run("throws.js"), /exit code 1/, /cannot read config\/orders\.yml/],
    [
      "a program that never calls startExchangeNode",
      { ...run("silent.js"), readyTimeoutMs: 1500 },
      /not ready within 1500 ms: a program is ready once it has called startExchangeNode\(\)/,
      null,
    ],
    [
      "a program whose groups differ from its topology's",
      run("wrong-group.js"),
      /endpoints \(client of group "database"\) differ from its topology's \(client of group "" \(default\)\)/,
      null,
    ],
    [
      "a command that does not exist",
      { program: { argv: ["orders-daemon", "--fast"], cwd: "", env: {} } },
      /could not be started: spawn orders-daemon ENOENT/,
      null,
    ],
  ];
  for (const [what, spec, reason, line] of failures) {
    test(`${what} fails its start with the reason and its last stderr lines, and nothing of it keeps running`, async (t) => {
      const dir = project();
      const m = await machine(dir, {});
      t.after(async () => {
        await m.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      await m.client.waitUntilReady({ timeoutMs: 10_000 });
      const full = proc("shop", "orders", {
        endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port: 1 }] }],
        ...spec,
        program: { ...spec.program!, cwd: dir },
      });
      const err = (await m.client.addProcess(full).then(
        () => expect.fail("the start should fail"),
        (e: unknown) => e,
      )) as MachineApiError;
      expect(err.code).to.equal("MACHINE_HOST_FAILED");
      expect(err.body.reason).to.match(reason);
      if (line) expect((err.body.log as string[]).join("\n")).to.match(line);
      const status = await m.client.process("orders");
      expect(status.state).to.equal("exited");
      expect(status.failure).to.match(reason);
      if (status.pid)
        await waitFor(() => !isAlive(status.pid!), { timeoutMs: 5000, message: "the program to be gone" });
    });
  }

  test("a program that floods its output neither blocks nor slows the machine, and its output reaches the log", async (t) => {
    const dir = project();
    const m = await machine(dir, { chatty: run("flood.js") });
    t.after(async () => {
      await m.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await m.client.waitUntilReady({ timeoutMs: 10_000 });
    await waitSeen(m.client, "buyer", "chatty");
    for (let i = 0; i < 20; i++) {
      const r = (await m.client.call("buyer", { service: "chatty", method: "hi" })) as CallResult;
      expect(r.outcome.kind).to.equal("RESPONSE");
    }
    const log = path.join(m.runDir, "chatty.log");
    await waitFor(() => fs.statSync(log).size > 20_000_000, {
      timeoutMs: 20_000,
      message: "20 MB of output in the log",
    });
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${m.pid}/status`, "utf8"))![1]) * 1024;
    expect(rss, "the supervisor's memory stays bounded").to.be.below(200 * 1024 * 1024);
    const lines = await m.client.logs("chatty", 3);
    expect(lines.lines.every((l) => l.startsWith("stderr| warning: "))).to.equal(true);
  });
});
