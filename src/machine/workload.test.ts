import { describe, test } from "node:test";
import { expect } from "chai";
import { freePort, proc, startMachine, waitSeen, type StartedMachine } from "./machine-test-utils";
import type { MachineLogEntry } from "./machine-log";
import type { Operation } from "./workload";
import { waitFor } from "./wait-for";

// Workloads inside real process hosts: their operations arrive in the machine log as they settle.

async function machine(): Promise<StartedMachine> {
  const port = await freePort();
  const client = { group: "", role: "client" as const, connect: [{ host: "127.0.0.1", port }] };
  const m = await startMachine({
    machine: "w",
    processes: [
      proc("w", "exchange", { kind: "server", endpoints: [{ group: "", role: "server", listen: port, connect: [] }] }),
      proc("w", "billing", { endpoints: [client], services: [{ name: "billing" }] }),
      proc("w", "reporter", { endpoints: [client] }),
    ],
  });
  await m.client.waitUntilReady({ timeoutMs: 10_000 });
  await waitSeen(m.client, "reporter", "billing");
  return m;
}

async function operations(m: StartedMachine, workload: string): Promise<Operation[]> {
  const page = await m.client.events(0, { limit: 100_000 });
  return page.entries
    .filter((e): e is Extract<MachineLogEntry, { kind: "operation" }> => e.kind === "operation")
    .map((e) => e.event)
    .filter((o) => o.workload === workload);
}

describe("workloads in a process host", () => {
  test("an open-loop call workload records every call once, numbered in start order, until it stops", async (t) => {
    const m = await machine();
    t.after(() => m.stop());
    await m.client.startWorkload("reporter", { id: "w1", kind: "calls", service: "billing", everyMs: 10 });
    await waitFor(async () => (await operations(m, "w1")).length >= 30, { timeoutMs: 5000, message: "30 calls" });
    const stopped = await m.client.stopWorkloads("reporter", { id: "w1", graceMs: 2000 });
    const ops = await operations(m, "w1");
    expect(stopped.w1.unsettled).to.equal(0);
    expect(ops.map((o) => o.n).sort((a, b) => a - b)).to.deep.equal(ops.map((_, i) => i + 1));
    expect(ops.length).to.equal(stopped.w1.started);
    expect(ops.every((o) => o.outcome === "RESPONSE" && o.op === "call" && o.end >= o.start)).to.equal(true);
    const starts = ops.map((o) => o.start).sort((a, b) => a - b);
    expect(starts.at(-1)! - starts[0], "one call per 10 ms, not all at once").to.be.greaterThan(ops.length * 5);
    const later = (await operations(m, "w1")).length;
    expect(later, "nothing starts after the stop").to.equal(ops.length);
  });

  test("a closed-loop workload keeps exactly N calls in flight", async (t) => {
    const m = await machine();
    t.after(() => m.stop());
    const spec = {
      id: "w2",
      kind: "calls" as const,
      service: "billing",
      method: "slow",
      args: { ms: 40 },
      inFlight: 4,
    };
    await m.client.startWorkload("reporter", spec);
    await waitFor(async () => (await operations(m, "w2")).length >= 24, { timeoutMs: 5000, message: "24 calls" });
    await m.client.stopWorkloads("reporter", { graceMs: 2000 });
    const ops = await operations(m, "w2");
    const most = Math.max(...ops.map((o) => ops.filter((p) => p.start <= o.start && p.end > o.start).length));
    expect(most).to.equal(4);
  });

  test("a publish workload numbers its reports and a subscriber receives them in order", async (t) => {
    const m = await machine();
    t.after(() => m.stop());
    await m.client.subscribe("reporter", { service: "billing", pattern: "price.*" });
    await m.client.startWorkload("billing", {
      id: "p1",
      kind: "publish",
      service: "billing",
      subject: "price.eur",
      everyMs: 5,
    });
    await waitFor(async () => (await m.client.reports("reporter")).entries.length >= 50, {
      timeoutMs: 5000,
      message: "50 reports",
    });
    await m.client.stopWorkloads("billing");
    const published = await operations(m, "p1");
    expect(published.every((o) => o.outcome === "PUBLISHED" && o.subject === "price.eur")).to.equal(true);
    const got = (await m.client.reports("reporter", 0, { limit: 10_000 })).entries.map(
      (r) => r.content as { n: number },
    );
    expect(got.map((c) => c.n)).to.deep.equal(got.map((_, i) => i + 1));
  });

  test("after a freeze the schedule resumes from the thaw: no burst of the calls the freeze prevented", async (t) => {
    const m = await machine();
    t.after(() => m.stop());
    const pid = (await m.client.process("reporter")).pid!;
    await m.client.startWorkload("reporter", { id: "w3", kind: "calls", service: "billing", everyMs: 10 });
    await waitFor(async () => (await operations(m, "w3")).length >= 10, { timeoutMs: 5000, message: "10 calls" });
    process.kill(pid, "SIGSTOP");
    const frozenAt = Date.now();
    await waitFor(() => Date.now() - frozenAt >= 600, { timeoutMs: 2000, intervalMs: 50, message: "600 ms frozen" });
    process.kill(pid, "SIGCONT");
    const thawedAt = Date.now();
    await waitFor(async () => (await operations(m, "w3")).some((o) => o.start > thawedAt + 200), {
      timeoutMs: 5000,
      message: "calls after the thaw",
    });
    await m.client.stopWorkloads("reporter", { graceMs: 2000 });
    const starts = (await operations(m, "w3")).map((o) => o.start).filter((s) => s >= thawedAt - 50);
    const burst = starts.filter((s) => s < thawedAt + 30).length;
    expect(burst, `starts within 30 ms of the thaw: ${burst}`).to.be.at.most(4);
  });
});
