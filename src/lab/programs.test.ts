import { after, describe, test } from "node:test";
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTopologyTextOrThrow } from "../topology";
import { RunState } from "../runs";
import { recordLab } from "../evidence";
import { callAnswers, noLongerSeesService, seesService } from "./expectations";
import { ProcessStartError } from "./errors";
import { Lab } from "./lab";
import { notYet, ok, pollUntil } from "./wait";

// User programs in a lab on local processes, started the way a user's topology starts them (`run:` in the project
// directory), each a small script on the real library.

const LIBRARY = JSON.stringify(join(__dirname, "..", "library.js"));

const PROGRAMS: Record<string, string> = {
  "services/orders.js": `
const { startExchangeNode } = require(${LIBRARY});
const placed = new Map();
startExchangeNode({ endpoints: [{ group: "database", connect: [{ host: "db.internal", port: 7000 }] }] }).then((node) => {
  const audience = process.env.ORDERS_AUDIENCE || "database";
  node.agent({ name: "orders", audience }).onRequest((method, args) => {
    if (method === "place") { placed.set(args.id, args); return { accepted: true, count: placed.size }; }
    return { count: placed.size, store: process.env.STORE };
  });
});`,
  "services/exits.js": "process.stderr.write('orders: no licence key\\n'); process.exit(3);",
  "services/throws.js": 'throw new Error("orders: cannot read config/orders.yml");',
  "services/silent.js": "setInterval(() => {}, 1000);",
  "services/wrong-group.js": `
require(${LIBRARY}).startExchangeNode({ endpoints: [{ group: "", connect: [{ host: "db", port: 1 }] }] });`,
};

const project = mkdtempSync(join(tmpdir(), "exlab-programs-"));
for (const [file, text] of Object.entries(PROGRAMS)) {
  mkdirSync(join(project, "services"), { recursive: true });
  writeFileSync(join(project, file), text);
}
const stateDir = mkdtempSync(join(tmpdir(), "exlab-programs-state-"));
after(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

const topology = (orders: string, extra = "") => `
name: programs
timing: { heartbeat: 200ms, missedBeats: 3, retryDelay: 200ms, handshakeTimeout: 1s, requestTimeout: 2s }
machines:
  store:
    servers: [{ port: 12100, group: database }]
    processes:
      orders: { run: ${orders}, env: { STORE: main }, group: database, services: [{ name: orders, audience: database }]${extra} }
  web:
    servers: [{ port: 12100, group: database, connect: store }, { port: 12101 }]
    processes:
      frontend: { exchanges: [{ group: "" }, { group: database }] }
      buyer: {}
`;

/** Programs of this test's project still running: processes whose working directory is the project. */
function programsRunning(): string[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === project
          ? [`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8")}`]
          : [];
      } catch {
        return [];
      }
    });
}

const lab = (yaml: string, env: NodeJS.ProcessEnv = {}) =>
  new Lab({
    plan: loadTopologyTextOrThrow(yaml).plan,
    projectDir: project,
    stateDir,
    handleSignals: false,
    env: { ...process.env, TOXIPROXY_URL: "", ...env },
  });

describe("user programs in a lab on processes", () => {
  test("a program joins the mesh through the fault proxies, is observed and driven, and obeys crash and start", async () => {
    await using s = await lab(topology("node services/orders.js")).start();
    const recording = recordLab(s, { name: "a program in the mesh" });
    await seesService(s, "web/frontend", "orders", 5000);
    await callAnswers(
      s,
      "web/frontend",
      "orders",
      { method: "place", args: { id: "o1" } },
      { accepted: true, count: 1 },
      3000,
    );
    await callAnswers(s, "store/orders", "orders", { method: "count", args: {} }, { count: 1, store: "main" }, 3000);
    const workload = await s.workloads.start({
      kind: "calls",
      process: "store/orders",
      service: "orders",
      everyMs: 20,
    });
    const answered = async () => {
      await s.drainEvents();
      return s.events().filter((e) => e.type === "operation" && e.operation.workload === workload.id);
    };
    await pollUntil("the program's own workload made no 10 calls", 5000, async () => {
      const ops = await answered();
      return ops.length >= 10 ? ok(ops) : notYet(`${ops.length} calls`);
    });
    await s.workloads.stop();
    const ops = await answered();
    expect(ops.every((e) => e.type === "operation" && e.operation.outcome === "RESPONSE")).to.equal(true);
    await s.crash("store/orders");
    await noLongerSeesService(s, "web/frontend", "orders", 3000);
    await s.startAgain("store/orders");
    await callAnswers(s, "web/frontend", "orders", { method: "count", args: {} }, { count: 0 }, 5000);
    await s.faults.cut("store", "web");
    await noLongerSeesService(s, "web/frontend", "orders", 3000);
    await s.faults.heal("store", "web");
    await seesService(s, "web/frontend", "orders", 5000);
    await recording.assertInvariants();
    const i1 = (await recording.check()).find((c) => c.invariant === "I1");
    expect(i1?.checked, "I1 judged bindings of the program").to.be.greaterThan(0);
  });

  test("a program that offers its database-only service to everyone fails I1 with no step about that service", async () => {
    await using s = await lab(topology("node services/orders.js"), { ORDERS_AUDIENCE: "*" }).start();
    const recording = recordLab(s, { name: "a leaking program" });
    await seesService(s, "web/buyer", "orders", 5000);
    const err = await recording.assertInvariants().then(
      () => expect.fail("I1 should fail"),
      (e: unknown) => e as Error,
    );
    expect(err.message).to.match(/I1[\s\S]*declared in the topology with audience "database"/);
  });

  const bad: [string, string, RegExp, RegExp | null][] = [
    ["a missing file", "node services/missing.js", /exited before it was ready \(exit code 1\)/, /Cannot find module/],
    ["a program that exits at once", "node services/exits.js", /exit code 3/, /no licence key/],
    ["a program that throws", "node services/throws.js", /exit code 1/, /cannot read config\/orders\.yml/],
    [
      "a program that never connects",
      "node services/silent.js",
      /not ready within 1500 ms: a program is ready once/,
      null,
    ],
    ["a program in the wrong group", "node services/wrong-group.js", /differ from its topology's/, null],
    ["a command that does not exist", "orders-daemon", /could not be started: spawn orders-daemon ENOENT/, null],
  ];
  for (const [what, run, reason, line] of bad) {
    test(`${what} fails the lab's start with the reason and its last stderr lines, leaving nothing behind`, async () => {
      const l = lab(topology(run, `, readyTimeout: ${run.includes("silent") ? "1500ms" : "20s"}`));
      const err = await l.start().then(
        async (s) => {
          await s.stop();
          return expect.fail("the lab should not start");
        },
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ProcessStartError);
      const e = err as ProcessStartError;
      expect(e.process).to.equal("store/orders");
      expect(e.message)
        .to.match(/^process "store\/orders" did not start: /)
        .and.match(reason);
      if (line) expect(e.message).to.match(line);
      expect(RunState.list(stateDir), "no run record left").to.deep.equal([]);
      expect(programsRunning(), "no program left running").to.deep.equal([]);
    });
  }

  test("a program that cannot start again fails the starts-again step with its reason", async () => {
    await using s = await lab(topology("node services/orders.js")).start();
    await s.crash("store/orders");
    writeFileSync(join(project, "services/orders.js"), PROGRAMS["services/throws.js"]);
    try {
      const err = await s.startAgain("store/orders").then(
        () => expect.fail("the start should fail"),
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ProcessStartError);
      expect((err as Error).message)
        .to.match(/exit code 1/)
        .and.match(/cannot read config\/orders\.yml/);
    } finally {
      writeFileSync(join(project, "services/orders.js"), PROGRAMS["services/orders.js"]);
    }
  });
});
