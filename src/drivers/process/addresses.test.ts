import { after, describe, test } from "node:test";
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leaseSubnet, machineHost } from "./addresses";

const stateDir = mkdtempSync(join(tmpdir(), "exlab-addr-"));
after(() => rmSync(stateDir, { recursive: true, force: true }));

describe("loopback subnet leases", () => {
  test("machine N of subnet X is 127.X.0.N", () => {
    expect(machineHost(42, 3)).to.equal("127.42.0.3");
    expect(() => machineHost(42, 0)).to.throw(/outside 1..254/);
  });

  test("two runs on one host get different subnets, and a released one is free again", async () => {
    const a = await leaseSubnet({ stateDir, runId: "a", start: 0, first: 200, last: 203 });
    const b = await leaseSubnet({ stateDir, runId: "b", start: 0, first: 200, last: 203 });
    expect(a.octet).to.equal(200);
    expect(b.octet).to.equal(201);
    a.release();
    const c = await leaseSubnet({ stateDir, runId: "c", start: 0, first: 200, last: 203 });
    expect(c.octet).to.equal(200);
    b.release();
    c.release();
  });

  test("a lock held by a dead process is taken over", async () => {
    mkdirSync(join(stateDir, "subnets"), { recursive: true });
    writeFileSync(join(stateDir, "subnets", "210.lock"), JSON.stringify({ runId: "dead", pid: 2 ** 22 + 12345 }));
    const lease = await leaseSubnet({ stateDir, runId: "d", start: 0, first: 210, last: 211 });
    expect(lease.octet).to.equal(210);
    lease.release();
    expect(existsSync(join(stateDir, "subnets", "210.lock"))).to.equal(false);
  });

  test("a subnet whose ports are taken by someone else is skipped", async (t) => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.220.0.1", () => r()));
    t.after(() => busy.close());
    const port = (busy.address() as { port: number }).port;
    const lease = await leaseSubnet({
      stateDir,
      runId: "e",
      start: 0,
      first: 220,
      last: 221,
      probe: (x) => [{ host: `127.${x}.0.1`, port }],
    });
    expect(lease.octet).to.equal(221);
    lease.release();
  });

  test("when every subnet is taken the error says where the locks are", async () => {
    const held = await leaseSubnet({ stateDir, runId: "f", start: 0, first: 230, last: 230 });
    try {
      await leaseSubnet({ stateDir, runId: "g", start: 0, first: 230, last: 230 });
      expect.fail("should not lease");
    } catch (err) {
      expect((err as Error).message).to.match(/no free loopback subnet.*exlab clean/);
    } finally {
      held.release();
    }
  });
});
