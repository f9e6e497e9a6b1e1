import { describe, test } from "node:test";
import { expect } from "chai";
import * as path from "node:path";
import { JOURNAL_FILE, readJournal } from "./journal";
import type { MachineLogEntry } from "./machine-log";
import { freePort, isAlive, proc, startMachine } from "./machine-test-utils";
import { waitFor } from "./wait-for";

async function machineWithTwoHosts(name: string) {
  const port = await freePort();
  const m = await startMachine({
    machine: name,
    processes: [
      proc(name, "exchange", { kind: "server", endpoints: [{ group: "", role: "server", listen: port, connect: [] }] }),
      proc(name, "billing", {
        endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port }] }],
        services: [{ name: "billing" }],
      }),
    ],
  });
  const health = await m.client.waitUntilReady({ timeoutMs: 10_000 });
  const pids = health.processes.map((p) => p.pid as number);
  expect(pids).to.have.length(2);
  expect(pids.every(isAlive)).to.equal(true);
  return { m, pids };
}

describe("supervisor life and death", () => {
  test("SIGKILL of the supervisor leaves no host process behind", async (t) => {
    const { m, pids } = await machineWithTwoHosts("doomed");
    t.after(async () => {
      pids.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL"));
      await m.stop();
    });
    m.child.kill("SIGKILL");
    expect((await m.exited).signal).to.equal("SIGKILL");
    await waitFor(() => pids.every((pid) => !isAlive(pid)), {
      timeoutMs: 5000,
      message: `hosts ${pids.join(", ")} to exit`,
    });
  });

  test("SIGTERM stops every host gracefully and the supervisor exits 0", async (t) => {
    const { m, pids } = await machineWithTwoHosts("polite");
    t.after(() => pids.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL")));
    const { code, signal } = await m.stop();
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(pids.some(isAlive)).to.equal(false);
    expect(m.stderr()).to.include('Process "billing": exited (code 0, signal null)');
  });

  test("the journal holds the machine log: what the API served, then what came after, also past a SIGKILL", async (t) => {
    const { m, pids } = await machineWithTwoHosts("journaled");
    t.after(async () => {
      pids.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL"));
      await m.stop();
    });
    const served = await m.client.events(0, { limit: 100_000 });
    expect(served.entries.length).to.be.greaterThan(0);
    await m.client.crash("billing");
    m.child.kill("SIGKILL");
    await m.exited;
    const journal = readJournal(path.join(m.runDir, JOURNAL_FILE), 0);
    expect(journal.slice(0, served.entries.length)).to.deep.equal(served.entries);
    expect(journal.map((e) => e.mseq)).to.deep.equal(journal.map((_, i) => i + 1));
    const after = journal.slice(served.entries.length);
    expect(
      after.filter((e) => e.kind === "lifecycle").map((e) => `${e.process}:${e.event.type}`),
      "logged after the last pull",
    ).to.include.members(["billing:crashed", "billing:exited"]);
  });

  test("after SIGTERM the journal ends with the hosts' own shutdown events", async (t) => {
    const { m, pids } = await machineWithTwoHosts("journaled-stop");
    t.after(async () => {
      pids.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL"));
      await m.stop();
    });
    const linkEvents = (entries: MachineLogEntry[]) =>
      entries.flatMap((e) =>
        e.kind === "exchange" && e.event.type === "link" ? [{ process: e.process, ...e.event }] : [],
      );
    await waitFor(
      async () =>
        linkEvents((await m.client.events(0, { limit: 100_000 })).entries).some(
          (e) => e.process === "billing" && e.state === "SYNCED",
        ),
      { timeoutMs: 5000, message: "billing's link synced" },
    );
    const mark = (await m.client.events(0, { limit: 100_000 })).latest;
    m.child.kill("SIGTERM");
    expect((await m.exited).code).to.equal(0);
    const after = readJournal(path.join(m.runDir, JOURNAL_FILE), mark);
    const closed = linkEvents(after).filter((e) => e.state === "CLOSED");
    // Both hosts stop at once: whichever closes the link first says SHUTDOWN, the other may see PEER_CLOSED.
    expect(
      [...new Set(closed.map((e) => e.process))].sort(),
      "both ends' link closed, logged after the last pull",
    ).to.deep.equal(["billing", "exchange"]);
    expect(closed.map((e) => e.reason)).to.include("SHUTDOWN");
    expect(
      after
        .filter((e) => e.kind === "lifecycle" && e.event.type === "exited")
        .map((e) => e.process)
        .sort(),
    ).to.deep.equal(["billing", "exchange"]);
  });

  test("a bad spec is refused with every problem and exit code 2", async () => {
    const err = await startMachine({
      machine: "a/b",
      processes: [
        {
          address: "x",
          name: "p",
          nodeName: "x",
          kind: "process",
          endpoints: [{ group: "", role: "sideways" as "client" }],
        },
      ],
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.include("code 2").and.include("/machine").and.include("must be one of");
  });
});
