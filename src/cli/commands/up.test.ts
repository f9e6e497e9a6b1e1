import { after, describe, test } from "node:test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { checkers } from "../../evidence/checkers";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

const TOPOLOGY = `
name: up-report
timing: { heartbeat: 100ms, missedBeats: 3, retryDelay: 200ms }
mesh: full
machines:
  alpha: { servers: [{ port: 11111 }] }
  beta: { servers: [{ port: 11111 }] }
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-up-"));
const topology = path.join(dir, "up-report.yaml");
fs.writeFileSync(topology, TOPOLOGY);
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `exlab up` on the two-machine topology (processes driver, built-in fault proxy), its output collected. */
function up(reportDir: string) {
  const child = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, "bin", "exlab.js"), "up", topology, "--driver", "processes", "--report", reportDir],
    {
      cwd: dir,
      env: {
        ...process.env,
        TOXIPROXY_URL: "",
        EXLAB_STATE_DIR: path.join(dir, "state"),
        EXLAB_RUNS_DIR: path.join(dir, "runs"),
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  /** Resolves once the output (from `from` on) contains `text`; fails at the deadline or if exlab exits first. */
  const waitFor = async (text: string, timeoutMs: number, from = 0): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = output.indexOf(text, from);
      if (at >= 0) return at + text.length;
      if (child.exitCode !== null)
        throw new Error(`exlab up exited before printing ${JSON.stringify(text)}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const send = (line: string) => child.stdin!.write(`${line}\n`);
  return { child, exited, waitFor, send, output: () => output };
}

const read = (reportDir: string, file: string) => fs.readFileSync(path.join(reportDir, file), "utf8");

describe("`exlab up` records the session and writes its report when it stops", { timeout: 120_000 }, () => {
  test("console commands, then stdin closes: index.html has the lanes, the fault window and the commands", async () => {
    const reportDir = path.join(dir, "report-eof");
    const run = up(reportDir);
    let at = await run.waitFor('type "help"', 60_000);
    run.send("cut alpha beta");
    at = await run.waitFor("link alpha ⇄ beta cut", 20_000, at);
    run.send("heal alpha beta");
    at = await run.waitFor("link alpha ⇄ beta healed", 20_000, at);
    run.send("crash zeta");
    await run.waitFor("error:", 20_000, at);
    run.child.stdin!.end();
    expect(await run.exited, run.output()).to.equal(0);
    expect(run.output()).to.include(`session failed; report in ${path.join(reportDir, "index.html")}`);

    const html = read(reportDir, "index.html");
    expect(html).to.include('<span class="name">up-report</span>');
    for (const lane of ["alpha/exchange", "beta/exchange"]) expect(html).to.include(`<title>${lane} (server)</title>`);
    expect(html).to.match(/<g class="fault fault-cut"[^>]*><title>fault [^<]*: cut alpha ↔ beta<\/title>/);
    expect(html).not.to.include("(not healed)");
    for (const step of [
      "the topology &quot;up-report&quot; is running",
      "cut alpha beta",
      "heal alpha beta",
      "crash zeta",
    ])
      expect(html).to.include(step);
    expect(html).to.match(/Failed at step 4: <b>exlab&gt; crash zeta<\/b>/);
    expect(html.match(/<span class="check passed"/g) ?? []).to.have.length(checkers.length);
    const junit = read(reportDir, "junit.xml");
    expect(junit).to.match(/<testcase [^>]*name="up-report"/);
    expect(junit).to.include("[passed] exlab&gt; cut alpha beta");
  });

  test("SIGINT ends the session the same way: report written, exit code 130", async () => {
    const reportDir = path.join(dir, "report-sigint");
    const run = up(reportDir);
    const at = await run.waitFor('type "help"', 60_000);
    run.send("isolate beta");
    await run.waitFor("beta isolated", 20_000, at);
    run.child.kill("SIGINT");
    expect(await run.exited, run.output()).to.equal(130);
    expect(run.output()).to.include(`session passed; report in ${path.join(reportDir, "index.html")}`);
    const html = read(reportDir, "index.html");
    expect(html).to.match(
      /<g class="fault fault-isolate"[^>]*><title>fault [^<]*: isolate beta \(not healed\)<\/title>/,
    );
    expect(html.match(/<span class="check passed"/g) ?? []).to.have.length(checkers.length);
    expect(read(reportDir, "junit.xml")).to.match(/<testsuites[^>]* failures="0"/);
  });
});
