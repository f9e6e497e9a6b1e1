import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { LISTENING_PATTERN } from "./cli";
import { Peer, portOf, TestServer, waitUntil } from "./test-support";

const MAIN = join(__dirname, "main.js");
const EXLAB = join(__dirname, "..", "..", "bin", "exlab.js");

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exit: Promise<number | null>;
}

async function launch(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: "warn" },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.resume();
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await waitUntil(() => LISTENING_PATTERN.test(out) || child.exitCode !== null, "the listening line", 10_000);
  const match = LISTENING_PATTERN.exec(out);
  if (!match) throw new Error(`no listening line; output: ${out}`);
  return { child, url: match[1], stdout: () => out, exit };
}

describe("standalone entry point and `exlab proxy`", () => {
  let dir: string;
  let echo: TestServer;
  const children: ChildProcess[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "faultproxy-"));
    echo = await TestServer.start({ echo: true });
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await echo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("main.js: populates from --config, prints where it listens, closes every proxy on SIGTERM", async () => {
    const config = join(dir, "proxies.json");
    writeFileSync(config, JSON.stringify([{ name: "from-file", listen: "localhost:0", upstream: echo.address }]));
    const run = await launch([MAIN, "--port", "0", "--config", config, "--seed", "9"]);
    children.push(run.child);
    expect(run.stdout()).to.match(/\(seed 9\)/);
    const proxies = (await (await fetch(`${run.url}/proxies`)).json()) as Record<string, { listen: string }>;
    const listen = proxies["from-file"].listen;
    const client = await Peer.connect(portOf(listen));
    await client.write("hi");
    expect((await client.waitForBytes(2)).toString()).to.equal("hi");
    run.child.kill("SIGTERM");
    expect(await run.exit).to.equal(0);
    await client.waitForClose();
  });

  test("main.js accepts toxiproxy-server's single-dash flags and -version", async () => {
    const run = await launch([MAIN, "-host", "127.0.0.1", "-port", "0"]);
    children.push(run.child);
    expect(await (await fetch(`${run.url}/version`)).text()).to.equal('{"version": "2.12.0"}\n');
    run.child.kill("SIGINT");
    expect(await run.exit).to.equal(0);

    const version = spawn(process.execPath, [MAIN, "-version"]);
    let out = "";
    version.stdout.on("data", (d: Buffer) => (out += d.toString()));
    expect(await new Promise((resolve) => version.once("exit", resolve))).to.equal(0);
    expect(out).to.equal("toxiproxy-server version 2.12.0\n");
  });

  test("exlab proxy serves the API until SIGTERM; a bad config is logged and the server keeps running", async () => {
    const config = join(dir, "broken.json");
    writeFileSync(config, "{ not json");
    const run = await launch([EXLAB, "proxy", "--port", "0", "--config", config]);
    children.push(run.child);
    expect(await (await fetch(`${run.url}/proxies`)).text()).to.equal("{}");
    run.child.kill("SIGTERM");
    expect(await run.exit).to.equal(0);
  });
});
