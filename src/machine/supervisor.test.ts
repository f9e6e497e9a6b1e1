import { describe, test } from "node:test";
import { expect } from "chai";
import { freePort, isAlive, proc, startMachine } from "./machine-test-utils";
import { waitFor } from "./wait-for";

async function machineWithTwoHosts(name: string) {
  const port = await freePort();
  const m = await startMachine({
    machine: name,
    processes: [
      proc(name, "exchange", { kind: "server", endpoints: [{ group: "", role: "server", listen: port, connect: [] }] }),
      proc(name, "billing", { endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port }] }], services: [{ name: "billing" }] }),
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
    await waitFor(() => pids.every((pid) => !isAlive(pid)), { timeoutMs: 5000, message: `hosts ${pids.join(", ")} to exit` });
  });

  test("SIGTERM stops every host gracefully and the supervisor exits 0", async (t) => {
    const { m, pids } = await machineWithTwoHosts("polite");
    t.after(() => pids.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL")));
    const { code, signal } = await m.stop();
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(pids.some(isAlive)).to.equal(false);
    expect(m.stderr()).to.include('Process "billing": exited (code 0, signal null)');
  });

  test("a bad spec is refused with every problem and exit code 2", async () => {
    const err = await startMachine({ machine: "a/b", processes: [{ address: "x", name: "p", nodeName: "x", kind: "process", endpoints: [{ group: "", role: "sideways" as "client" }] }] }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.include("code 2").and.include("/machine").and.include("must be one of");
  });
});
