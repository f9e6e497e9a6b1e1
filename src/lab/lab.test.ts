import { after, describe, test } from "node:test";
import { expect } from "chai";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTopologyTextOrThrow } from "../topology";
import { noLongerSeesService, seesService, shareExactlyOneLink } from "./expectations";
import { Lab } from "./lab";
import { isAlive } from "../runs";
import { RunState } from "../runs";
import type { StartedLab } from "./started-lab";

const yaml = `
name: lab-test
timing: { heartbeat: 200ms, missedBeats: 3, retryDelay: 300ms, handshakeTimeout: 1s, requestTimeout: 3s }
mesh: full
machines:
  alpha: { servers: [{ port: 11111 }], processes: { billing: { services: [{ name: billing }] } } }
  beta:  { servers: [{ port: 11111 }], processes: { web: { services: [{ name: web }] } } }
  gamma: { servers: [{ port: 11111 }], processes: { reporter: {} } }
`;

const stateDir = mkdtempSync(join(tmpdir(), "exlab-labtest-"));
const runDir = mkdtempSync(join(tmpdir(), "exlab-labtest-run-"));
let started: StartedLab | undefined;
after(async () => {
  await started?.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

async function pidsOf(lab: StartedLab): Promise<number[]> {
  const pids: number[] = [];
  for (const m of lab.machines()) {
    const info = lab.machine(m);
    if (info.state !== "running") continue;
    pids.push(Number(info.id));
    for (const p of (await lab.client(m).health()).processes) if (p.pid) pids.push(p.pid);
  }
  return pids;
}

async function allGone(pids: number[], timeoutMs = 5000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    alive = alive.filter(isAlive);
  }
  return alive;
}

describe("a three-machine lab on local processes", () => {
  test("starts converged, survives a crash and a cut, and stops leaving no process behind", async () => {
    const { plan } = loadTopologyTextOrThrow(yaml);
    const lab = new Lab({ plan, stateDir, runDir, handleSignals: false, env: { ...process.env, TOXIPROXY_URL: "" } });
    started = await lab.start();
    const s = started;
    expect(RunState.list(stateDir).map((r) => r.runId)).to.deep.equal([lab.runId]);
    await seesService(s, "gamma/reporter", "web", 5000);
    await shareExactlyOneLink(s, "alpha", "gamma", 3000);
    const before = await pidsOf(s);
    expect(before).to.have.length(3 + 6);

    const betaPids = [Number(s.machine("beta").id), ...(await s.client("beta").health()).processes.map((p) => p.pid!)];
    await s.crash("beta");
    expect(await allGone(betaPids, 2000), "beta's supervisor and processes are gone").to.deep.equal([]);
    await noLongerSeesService(s, "alpha/billing", "web", 3000);
    await noLongerSeesService(s, "gamma/reporter", "web", 3000);

    await s.faults.cut("alpha", "gamma");
    await noLongerSeesService(s, "gamma/reporter", "billing", 3000);
    await s.faults.heal("alpha", "gamma");
    await seesService(s, "gamma/reporter", "billing", 5000);

    await s.startAgain("beta");
    await seesService(s, "alpha/billing", "web", 5000);
    const kinds = s
      .events()
      .filter((e) => e.type === "fault")
      .map((e) => e.type === "fault" && `${e.action}:${e.fault.type}`);
    expect(kinds).to.deep.equal(["applied:cut", "healed:cut"]);
    expect(s.events().some((e) => e.type === "lifecycle" && e.target === "beta" && e.state === "crashed")).to.equal(
      true,
    );

    const running = await pidsOf(s);
    const proxyPid = s.proxyServer.pid;
    expect(proxyPid, "our fault proxy runs as a child").to.be.a("number");
    await s.stop();
    expect(await allGone([...before, ...running, proxyPid!])).to.deep.equal([]);
    expect(RunState.list(stateDir)).to.deep.equal([]);
    expect(await s.discardLogs(), "a runDir given to the lab is never removed").to.equal(false);
    expect(existsSync(join(runDir, "alpha", "events.ndjson"))).to.equal(true);
  });

  test("discardLogs() removes the run directory the lab made for itself, after stopping", async () => {
    const { plan } = loadTopologyTextOrThrow(`
name: lab-logs
machines:
  solo: { servers: [{ port: 11111 }], processes: { p: {} } }
`);
    const lab = new Lab({ plan, stateDir, handleSignals: false, env: { ...process.env, TOXIPROXY_URL: "" } });
    expect(lab.ownsRunDir).to.equal(true);
    const s = await lab.start();
    expect(existsSync(join(s.runDir, "solo", "events.ndjson"))).to.equal(true);
    expect(await s.discardLogs()).to.equal(true);
    expect(existsSync(s.runDir)).to.equal(false);
    expect(RunState.list(stateDir)).to.deep.equal([]);
  });
});
