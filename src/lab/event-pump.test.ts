import { test } from "node:test";
import * as path from "node:path";
import { expect } from "chai";
import { JOURNAL_FILE, readJournal, type MachineLogEntry } from "../machine";
import { freePort, isAlive, proc, startMachine } from "../machine/machine-test-utils";
import { waitFor } from "../machine/wait-for";
import { EventPump } from "./event-pump";

test("a machine killed after the last pull: recover() delivers the rest from its journal, once, in order", async (t) => {
  const port = await freePort();
  const m = await startMachine({
    machine: "pumped",
    processes: [
      proc("pumped", "exchange", {
        kind: "server",
        endpoints: [{ group: "", role: "server", listen: port, connect: [] }],
      }),
      proc("pumped", "billing", {
        endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port }] }],
        services: [{ name: "billing" }],
      }),
    ],
  });
  const pids = (await m.client.waitUntilReady({ timeoutMs: 10_000 })).processes.map((p) => p.pid as number);
  t.after(async () => {
    pids.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL"));
    await m.stop();
  });
  const delivered: MachineLogEntry[] = [];
  let up = true;
  const pump = new EventPump(
    () => [{ machine: "pumped", client: () => (up ? m.client : undefined), pollable: () => up }],
    (_m, e) => delivered.push(e),
  );

  await pump.drain(); // the pump's loop is not started: only this pull happens
  const pulled = delivered.length;
  expect(pulled).to.be.greaterThan(0);
  await m.client.crash("billing");
  await waitFor(
    async () =>
      (await m.client.events(pulled)).entries.some((e) => e.kind === "lifecycle" && e.event.type === "exited"),
    { timeoutMs: 5000, message: "billing's exit in the machine log" },
  );
  up = false;
  m.child.kill("SIGKILL");
  await m.exited;

  const read = (since: number) => readJournal(path.join(m.runDir, JOURNAL_FILE), since);
  const [during, recovered] = await Promise.all([pump.drain(), pump.recover("pumped", read)]);
  expect(during).to.equal(undefined);
  expect(recovered).to.be.greaterThan(0);
  expect(
    delivered.map((e) => e.mseq),
    "every entry once, in order, across the pull and the journal",
  ).to.deep.equal(delivered.map((_, i) => i + 1));
  expect(
    delivered
      .slice(pulled)
      .filter((e) => e.kind === "lifecycle")
      .map((e) => `${e.process}:${e.event.type}`),
  ).to.include.members(["billing:crashed", "billing:exited"]);
  expect(await pump.recover("pumped", read), "nothing twice").to.equal(0);
  await pump.stop();
});
