import { after, describe, test } from "node:test";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { cleanAll } from "../drivers";
import { isAlive } from "../runs";

const stateDir = mkdtempSync(join(tmpdir(), "exlab-watchdog-"));
const runsDir = mkdtempSync(join(tmpdir(), "exlab-watchdog-runs-"));
after(() => {
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(runsDir, { recursive: true, force: true });
});

// A runner that starts a two-machine lab, prints the pids of everything it started, then waits to be killed.
const runner = `
const { Lab } = require(${JSON.stringify(join(__dirname, "index.js"))});
const { loadTopologyTextOrThrow } = require(${JSON.stringify(join(__dirname, "..", "topology", "index.js"))});
const yaml = "name: wd\\ntiming: { heartbeat: 200ms, retryDelay: 300ms }\\nmesh: full\\nmachines:\\n  a: { servers: [{ port: 11111 }] }\\n  b: { servers: [{ port: 11111 }] }\\n";
(async () => {
  const lab = await new Lab({ plan: loadTopologyTextOrThrow(yaml).plan, stateDir: ${JSON.stringify(stateDir)}, runId: "watchdog-run", runDir: ${JSON.stringify(join(runsDir, "watchdog-run"))} }).start();
  const pids = [lab.proxyServer.pid];
  for (const m of lab.machines()) {
    pids.push(Number(lab.machine(m).id));
    for (const p of (await lab.client(m).health()).processes) pids.push(p.pid);
  }
  console.log("PIDS " + JSON.stringify(pids));
  setInterval(() => {}, 1000);
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter(isAlive);
  }
  return alive;
}

describe("machines die with their runner", () => {
  test("when the runner is killed (SIGKILL, no cleanup), every machine and the fault proxy exit on their own", async (t) => {
    const child = spawn(process.execPath, ["-e", runner], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, TOXIPROXY_URL: "", EXLAB_STATE_DIR: stateDir },
    });
    t.after(() => child.kill("SIGKILL"));
    const pids = await new Promise<number[]>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on(
        "line",
        (l) => l.startsWith("PIDS ") && resolve(JSON.parse(l.slice(5))),
      );
      child.once("exit", (code) => reject(new Error(`runner exited early with ${code}`)));
    });
    expect(pids.length).to.equal(1 + 2 + 2);
    expect(pids.every(isAlive)).to.equal(true);
    child.kill("SIGKILL");
    expect(await waitGone(pids, 5000), "still alive after the runner died").to.deep.equal([]);
    const report = await cleanAll({ stateDir, runsDir, now: () => Date.now() + 120_000 });
    expect(report.cleaned, "the dead run's record is swept by clean").to.have.length(1);
    expect(report.logsRemoved, "and its logs").to.equal(1);
    expect(existsSync(join(runsDir, "watchdog-run"))).to.equal(false);
  });
});
