import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import type { MachineClient } from "./client";
import type { MachineLogEntry } from "./machine-log";
import { freePort, proc, startMachine, waitSeen, type StartedMachine } from "./machine-test-utils";
import { waitFor } from "./wait-for";

// Two real machines on 127.0.0.1, linked directly (no fault proxy):
//   alpha: exchange (server :pa) ← billing (services billing "*", ledger "")
//   beta:  exchange (server :pb, dials alpha/exchange) ← web (service web)
describe("two machines driven through MachineClient", () => {
  let alpha: StartedMachine;
  let beta: StartedMachine;
  let A: MachineClient;
  let B: MachineClient;
  let pb = 0;

  const entries = async (c: MachineClient, pred: (e: MachineLogEntry) => boolean) => {
    const all: MachineLogEntry[] = [];
    for (let since = 0; ;) {
      const page = await c.events(since, { limit: 500 });
      all.push(...page.entries);
      if (page.next === since || page.next >= page.latest) break;
      since = page.next;
    }
    return all.filter(pred);
  };

  const withdrawalsOfWeb = async (after: number) =>
    (
      await entries(
        A,
        (e) =>
          e.mseq > after &&
          e.process === "billing" &&
          e.kind === "exchange" &&
          e.event.type === "binding" &&
          e.event.change === "WITHDRAW" &&
          e.event.serviceName === "web",
      )
    ).map((e) => (e.kind === "exchange" && e.event.type === "binding" ? e.event.reason : undefined));

  before(async () => {
    const pa = await freePort();
    pb = await freePort();
    [alpha, beta] = await Promise.all([
      startMachine({
        machine: "alpha",
        processes: [
          proc("alpha", "exchange", {
            kind: "server",
            endpoints: [{ group: "", role: "server", listen: pa, connect: [] }],
          }),
          proc("alpha", "billing", {
            endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port: pa }] }],
            services: [{ name: "billing" }, { name: "ledger", audience: "" }],
          }),
        ],
      }),
      startMachine({
        machine: "beta",
        processes: [
          proc("beta", "exchange", {
            kind: "server",
            endpoints: [
              {
                group: "",
                role: "server",
                listen: pb,
                connect: [{ host: "127.0.0.1", port: pa, target: "alpha/exchange" }],
              },
            ],
          }),
          proc("beta", "web", {
            endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port: pb }] }],
            services: [{ name: "web" }],
          }),
        ],
      }),
    ]);
    A = alpha.client;
    B = beta.client;
  });

  after(async () => {
    await Promise.all([alpha?.stop(), beta?.stop()]);
  });

  test("health: ready once every host is up with its endpoints listening", async () => {
    const h = await B.waitUntilReady({ timeoutMs: 10_000 });
    expect(h.machine).to.equal("beta");
    expect(h.processes.map((p) => [p.name, p.state, p.run])).to.have.deep.members([
      ["exchange", "running", 1],
      ["web", "running", 1],
    ]);
    expect(h.processes.find((p) => p.name === "exchange")?.listening).to.deep.equal({ "": pb });
    expect(h.processes.every((p) => typeof p.pid === "number" && typeof p.incarnation === "string")).to.equal(true);
    expect((await A.waitUntilReady({ timeoutMs: 10_000 })).ready).to.equal(true);
  });

  test('a server and two processes converge: each sees the other\'s service, audience "" stays home', async () => {
    await waitSeen(B, "web", "billing");
    await waitSeen(A, "billing", "web");
    const web = await B.view("web");
    expect(web.seen.services).to.include.members(["billing", "web"]).and.not.include("ledger");
    expect((await A.view("billing")).seen.services).to.include("ledger");
    const ex = await B.view("exchange");
    expect(
      ex.dump.links.some(
        (l) => l.peer?.nodeName === "alpha/exchange" && (l.state === "ACTIVE" || l.state === "SYNCED"),
      ),
    ).to.equal(true);
  });

  test("a call is answered with the service's identity", async () => {
    const r = await B.call("web", { service: "billing", method: "price", args: { item: 7 } });
    expect(r.outcome.kind).to.equal("RESPONSE");
    expect(r.answeredBy).to.include({ machine: "alpha", process: "billing", service: "billing" });
    expect(r.outcome.kind === "RESPONSE" && r.outcome.result).to.deep.include({ method: "price", args: { item: 7 } });
  });

  test("method fail gives a FAILURE, slow can time out, an unknown service is unavailable", async () => {
    const f = await B.call("web", { service: "billing", method: "fail", args: { code: 42, description: "nope" } });
    expect(f.outcome).to.include({ kind: "FAILURE", code: 42, description: "nope" });
    expect(f.answeredBy).to.equal(null);
    const t = await B.call("web", { service: "billing", method: "slow", args: { ms: 1000 }, timeoutMs: 100 });
    expect(t.outcome.kind).to.equal("REQUEST_TIMEOUT");
    const u = await B.call("web", { service: "nobody" });
    expect(u.outcome.kind).to.equal("SERVICE_UNAVAILABLE");
  });

  test("a service offered, then withdrawn, is seen and then gone on the other machine", async () => {
    const { agentId } = await A.offer("billing", { name: "audit" });
    expect(agentId).to.be.a("string").and.not.equal("");
    await waitSeen(B, "web", "audit");
    await A.withdraw("billing", "audit");
    await waitSeen(B, "web", "audit", false);
  });

  test("service group join and leave travel to the other machine", async () => {
    const joined = await A.joinGroup("billing", "billing", "payers");
    expect(joined.groups).to.include("payers");
    await waitFor(async () => (await B.view("web")).seen.groups.payers?.includes("billing"), {
      timeoutMs: 5000,
      message: "web to see billing in payers",
    });
    await A.leaveGroup("billing", "billing", "payers");
    await waitFor(async () => !(await B.view("web")).seen.groups.payers?.includes("billing"), {
      timeoutMs: 5000,
      message: "billing to leave payers at web",
    });
  });

  test("publish before subscribe comes from the cache, later reports live; both in the machine log", async () => {
    await A.publish("billing", { service: "billing", subject: "price.eur", content: { v: 1 }, lifetime: -1 });
    const sub = await B.subscribe("web", { service: "billing", pattern: "price.*" });
    expect(sub.id).to.be.a("string");
    await waitFor(async () => (await B.reports("web")).entries.some((r) => r.subject === "price.eur" && r.cached), {
      timeoutMs: 5000,
      message: "cached report",
    });
    await A.publish("billing", { service: "billing", subject: "price.usd", content: { v: 2 } });
    const page = await waitFor(
      async () => {
        const p = await B.reports("web");
        return p.entries.some((r) => r.subject === "price.usd") ? p : null;
      },
      { timeoutMs: 5000, message: "live report" },
    );
    expect(page.entries.find((r) => r.subject === "price.usd")).to.deep.include({
      content: { v: 2 },
      cached: false,
      matchedPatterns: ["price.*"],
    });
    const logged = await entries(B, (e) => e.process === "web" && e.kind === "report");
    expect(logged.map((e) => (e.kind === "report" ? e.event.subject : ""))).to.include.members([
      "price.eur",
      "price.usd",
    ]);
  });

  test("crash (SIGKILL) withdraws the service elsewhere; start again brings a new incarnation", async () => {
    const before = await B.process("web");
    const mark = (await A.events()).latest;
    const crashed = await B.crash("web");
    expect(crashed.state).to.equal("crashed");
    expect(crashed.exit).to.deep.equal({ code: null, signal: "SIGKILL" });
    await waitSeen(A, "billing", "web", false);
    expect(await withdrawalsOfWeb(mark)).to.deep.equal(["LINK_LOST"]);
    const life = await entries(B, (e) => e.process === "web" && e.kind === "lifecycle" && e.event.type === "exited");
    expect(life.at(-1)?.event).to.include({ type: "exited", signal: "SIGKILL", expected: true, pid: before.pid });
    const again = await B.start("web");
    expect(again).to.include({ state: "running", run: 2 });
    expect(again.incarnation).to.not.equal(before.incarnation);
    await waitSeen(A, "billing", "web");
  });

  test("stop is graceful: exit code 0, the service withdrawn elsewhere, and it starts again", async () => {
    const mark = (await A.events()).latest;
    const stopped = await B.stop("web");
    expect(stopped.state).to.equal("stopped");
    expect(stopped.exit).to.deep.equal({ code: 0, signal: null });
    await waitSeen(A, "billing", "web", false);
    expect(await withdrawalsOfWeb(mark)).to.deep.equal(["SHUTDOWN"]);
    const life = await entries(B, (e) => e.process === "web" && e.kind === "lifecycle");
    expect(life.slice(-2).map((e) => (e.kind === "lifecycle" ? e.event.type : ""))).to.deep.equal([
      "stopped",
      "exited",
    ]);
    await B.start("web");
    await waitSeen(A, "billing", "web");
  });

  test("a new process whose group does not match its target is refused with GROUP_MISMATCH", async () => {
    const st = await B.addProcess(
      proc("beta", "rogue", {
        endpoints: [
          { group: "admin", role: "client", connect: [{ host: "127.0.0.1", port: pb, target: "beta/exchange" }] },
        ],
      }),
    );
    expect(st).to.include({ name: "rogue", state: "running", address: "beta/rogue" });
    await waitFor(
      async () =>
        (
          await entries(
            B,
            (e) =>
              e.process === "rogue" &&
              e.kind === "exchange" &&
              e.event.type === "link" &&
              e.event.reason === "GROUP_MISMATCH",
          )
        ).length > 0,
      {
        timeoutMs: 5000,
        message: "rogue's link to be refused with GROUP_MISMATCH",
      },
    );
  });

  test("events since N pages through the machine log in order, and a long poll wakes on news", async () => {
    const first = await B.events(0, { limit: 5 });
    expect(first.machine).to.equal("beta");
    expect(first.entries.map((e) => e.mseq)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(first.next).to.equal(5);
    const second = await B.events(first.next, { limit: 5 });
    expect(second.entries[0].mseq).to.equal(6);
    expect(second.latest).to.be.at.least(10);
    const end = await B.events(second.latest);
    expect(end.entries).to.deep.equal([]);
    expect(end.next).to.equal(second.latest);
    const waiting = B.events(end.latest, { waitMs: 10_000 });
    await B.offer("web", { name: "late" });
    const woke = await waiting;
    expect(woke.entries.length).to.be.greaterThan(0);
    expect(woke.entries[0].mseq).to.equal(end.latest + 1);
  });
});
