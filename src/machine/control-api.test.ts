import { after, before, describe, test } from "node:test";
import { expect } from "chai";
import { MachineApiError, type MachineClient } from "./client";
import { freePort, proc, startMachine, type StartedMachine } from "./machine-test-utils";
import { waitFor } from "./wait-for";

async function apiError(p: Promise<unknown>): Promise<MachineApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MachineApiError) return err;
    throw err;
  }
  throw new Error("expected the control API to answer with an error");
}

describe("control API: health, logs and precise errors", () => {
  let m: StartedMachine;
  let c: MachineClient;

  before(async () => {
    const port = await freePort();
    m = await startMachine({
      machine: "alpha",
      processes: [
        proc("alpha", "exchange", {
          kind: "server",
          endpoints: [{ group: "", role: "server", listen: port, connect: [] }],
        }),
        proc("alpha", "billing", {
          endpoints: [{ group: "", role: "client", connect: [{ host: "127.0.0.1", port }] }],
          services: [{ name: "billing" }],
        }),
      ],
    });
    c = m.client;
    await c.waitUntilReady({ timeoutMs: 10_000 });
  });

  after(async () => {
    await m?.stop();
  });

  test("an unknown process is 404 and lists the known ones", async () => {
    const e = await apiError(c.view("nobody"));
    expect(e.status).to.equal(404);
    expect(e.code).to.equal("MACHINE_NOT_FOUND");
    expect(e.body.known).to.have.members(["exchange", "billing"]);
    expect(e.message).to.include('"nobody"');
  });

  test("an unknown service is 404 and lists the process's services", async () => {
    const e = await apiError(c.withdraw("billing", "nope"));
    expect([e.status, e.code]).to.deep.equal([404, "MACHINE_NOT_FOUND"]);
    expect(e.body.known).to.deep.equal(["billing"]);
    expect((await apiError(c.joinGroup("billing", "nope", "g"))).status).to.equal(404);
  });

  test("bad bodies are 400 with what is wrong", async () => {
    const noTarget = await apiError(c.call("billing", {} as never));
    expect([noTarget.status, noTarget.code]).to.deep.equal([400, "MACHINE_BAD_REQUEST"]);
    const offer = await apiError(c.offer("billing", { name: "", colour: "red" } as never));
    expect(offer.status).to.equal(400);
    expect(offer.body.problems).to.include.members([
      'body: unknown key "colour"',
      "body/name must NOT have fewer than 1 characters",
    ]);
    const raw = await fetch(`${c.baseUrl}/processes/billing/publish`, { method: "POST", body: "{not json" });
    expect(raw.status).to.equal(400);
    expect(await raw.json()).to.include({ code: "MACHINE_BAD_REQUEST" });
    const since = await apiError(c.events(-1));
    expect(since.status).to.equal(400);
    expect(since.message).to.include('"since"');
  });

  test("a malformed process spec is 400 listing every problem", async () => {
    const e = await apiError(
      c.addProcess({
        ...proc("alpha", "bad", {
          endpoints: [
            { group: "", role: "client", listen: 1, connect: [] },
            { group: "", role: "server", connect: [] },
          ],
        }),
        address: "beta/bad",
      }),
    );
    expect([e.status, e.code]).to.deep.equal([400, "MACHINE_BAD_SPEC"]);
    expect(e.body.problems).to.have.length(3);
    expect(String(e.body.problems)).to.include("address").and.include("second endpoint").and.include("cannot listen");
  });

  test("conflicts are 409: starting a running process, adding an existing one, crashing a stopped one", async () => {
    const start = await apiError(c.start("billing"));
    expect([start.status, start.code, start.body.state]).to.deep.equal([409, "MACHINE_CONFLICT", "running"]);
    const dup = await apiError(c.addProcess(proc("alpha", "billing", { endpoints: [] })));
    expect(dup.status).to.equal(409);
    const offered = await apiError(c.offer("billing", { name: "billing" }));
    expect(offered.status).to.equal(409);
    await c.stop("billing");
    const crash = await apiError(c.crash("billing"));
    expect([crash.status, crash.body.state]).to.deep.equal([409, "stopped"]);
    const view = await apiError(c.view("billing"));
    expect(view.status).to.equal(409);
    expect((await c.health()).ready).to.equal(false);
    await c.start("billing");
    expect((await c.health()).ready).to.equal(true);
  });

  test("a host that dies on its own is reported as exited (unexpected) and not restarted", async () => {
    const before = await c.process("billing");
    process.kill(before.pid as number, "SIGKILL");
    const gone = await waitFor(
      async () => {
        const st = await c.process("billing");
        return st.state === "exited" ? st : null;
      },
      { timeoutMs: 5000, message: "billing to be reported exited" },
    );
    expect(gone).to.include({ run: before.run, ready: false, pid: before.pid });
    const { entries } = await c.events(0, { limit: 10_000 });
    const exits = entries.filter((e) => e.process === "billing" && e.kind === "lifecycle" && e.event.type === "exited");
    expect(exits.at(-1)?.event).to.include({ signal: "SIGKILL", expected: false });
    expect((await c.health()).ready).to.equal(false);
    expect(await c.start("billing")).to.include({ state: "running", run: before.run + 1 });
  });

  test("unknown routes are 404, wrong methods 405", async () => {
    const r = await fetch(`${c.baseUrl}/nowhere`);
    expect(r.status).to.equal(404);
    expect(await r.json()).to.include({ code: "MACHINE_NO_ROUTE" });
    const m405 = await fetch(`${c.baseUrl}/health`, { method: "DELETE" });
    expect(m405.status).to.equal(405);
    expect(m405.headers.get("allow")).to.equal("GET");
  });

  test("logs keep each process's lines, in runDir and in memory", async () => {
    const log = await c.logs("billing", 50);
    expect(log.path.startsWith(m.runDir)).to.equal(true);
    expect(log.lines.some((l) => l.includes("starting run 1"))).to.equal(true);
    expect(log.lines.length).to.be.at.most(50);
    expect((await c.logs("billing", 1)).lines).to.have.length(1);
  });
});
