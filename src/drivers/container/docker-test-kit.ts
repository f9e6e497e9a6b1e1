// Helpers for the *.docker.test.ts files only (not exported from the door).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { notYet, ok, pollUntil } from "../../common";
import { type BaseImage, ensureBaseImage } from "./base-image";
import { removeRun } from "./cleanup";
import { type Engine, getEngine } from "./engine";
import { runLabels } from "./labels";
import { createRunNetwork, type RunNetwork } from "./network";
import { readProgress } from "./progress";
import { tarStream } from "./tar";

/** A fresh id for one test's run label and image repositories. */
export function testId(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

/** What `useRunNetwork` gives a describe block; the fields are set by its `before` hook. */
export interface RunNetworkFixture {
  runId: string;
  engine: Engine;
  base: BaseImage;
  network: RunNetwork;
}

/**
 * Registers, in the calling describe block, hooks that get the engine, the base image and a labelled run network,
 * and remove everything of the run afterwards.
 */
export function useRunNetwork(prefix: string): RunNetworkFixture {
  const fx = { runId: testId(prefix) } as RunNetworkFixture;
  before(async () => {
    fx.engine = await getEngine();
    fx.base = await ensureBaseImage();
    fx.network = await createRunNetwork(fx.runId);
  });
  after(async () => {
    if (fx.engine) await removeRun(fx.runId);
  });
  return fx;
}

/**
 * Runs `cmd` in a new container of `image` to its end (no network unless given; `entrypoint` replaces the image's);
 * returns exit code and output.
 */
export async function runToExit(
  engine: Engine,
  image: string,
  cmd: string[],
  opts: { runId: string; network?: string; env?: string[]; user?: string; entrypoint?: string[] },
): Promise<{ code: number; output: string }> {
  const container = await engine.docker.createContainer({
    Image: image,
    Entrypoint: opts.entrypoint,
    Cmd: cmd,
    Env: opts.env,
    User: opts.user,
    Tty: true,
    Labels: runLabels(opts.runId),
    HostConfig: { NetworkMode: opts.network ?? "none" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    // The Docker client hands back output that parses as JSON already parsed: give it back as the text it was.
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown;
    const text = Buffer.isBuffer(logs) ? logs.toString("utf8") : typeof logs === "string" ? logs : JSON.stringify(logs);
    return { code: StatusCode, output: text.replace(/\r/g, "") };
  } finally {
    await container.remove({ force: true });
  }
}

/** Image events (pull, import, tag, delete…) the engine recorded since `sinceMs`, read as a closed range. */
export async function imageEventsSince(engine: Engine, sinceMs: number): Promise<{ action: string; id: string }[]> {
  const stream = await engine.docker.getEvents({
    since: Math.floor(sinceMs / 1000) - 1,
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { type: ["image"] },
  });
  const text: string[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) text.push(chunk.toString());
  return text
    .join("")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { Action?: string; status?: string; id?: string })
    .map((e) => ({ action: e.Action ?? e.status ?? "", id: e.id ?? "" }));
}

/**
 * A tiny image tagged `ref`, built FROM the local `base` with the classic builder (no pull, no layer: only labels,
 * so about 100 ms). `labels` are added to the base's; a unique one makes each build a new image with its own id
 * and creation time (builds in sequence are created in that order, to the nanosecond).
 */
export async function labelledImage(
  engine: Engine,
  base: BaseImage,
  ref: string,
  labels: Record<string, string>,
): Promise<string> {
  const unique = { "org.exchange-lab.test-image": `${ref}@${crypto.randomBytes(6).toString("hex")}` };
  const stream = await engine.docker.buildImage(
    tarStream([{ type: "data", path: "Dockerfile", data: `FROM ${base.ref}\n` }]),
    {
      t: ref,
      labels: { ...labels, ...unique },
      version: "1",
      rm: true,
      forcerm: true,
    },
  );
  const progress = await readProgress(stream);
  if (progress.error) throw new Error(`building ${ref}: ${progress.error}`);
  return (await engine.docker.getImage(ref).inspect()).Id;
}

/** The tags of `repository` that are local, sorted. */
export async function localTags(engine: Engine, repository: string): Promise<string[]> {
  const images = (await engine.docker.listImages({ filters: { reference: [repository] } })) as {
    RepoTags?: string[] | null;
  }[];
  return images
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`${repository}:`))
    .sort();
}

/** Removes image tags, ignoring those already gone. */
export async function removeImages(engine: Engine, refs: string[]): Promise<void> {
  for (const ref of refs) {
    await engine.docker
      .getImage(ref)
      .remove({ force: true })
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
  }
}

/**
 * A fake project to build images from: docker/ and package files from this project, node_modules linked to
 * this project's, and a small dist/ whose machine serves its spec on 7700 and whose fault proxy echoes its
 * arguments on 8474. Returns the root and a remover.
 */
export function fakeProject(realRoot: string): {
  root: string;
  write: (rel: string, text: string) => void;
  remove: () => void;
} {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "exlab-fake-project-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  fs.cpSync(path.join(realRoot, "docker"), path.join(root, "docker"), { recursive: true });
  fs.copyFileSync(path.join(realRoot, "package.json"), path.join(root, "package.json"));
  fs.symlinkSync(path.join(realRoot, "node_modules"), path.join(root, "node_modules"));
  write(
    "dist/machine/main.js",
    [
      `const http = require("node:http");`,
      `const YAML = require("yaml");`,
      `const { greet } = require("../exchange/greet");`,
      `const spec = JSON.parse(process.env.EXLAB_MACHINE_SPEC || "{}");`,
      `http.createServer((req, res) => res.end(JSON.stringify({ greeting: greet(spec.name), yaml: YAML.stringify(spec), uid: process.getuid() })))`,
      `  .listen(7700, () => console.log("control API on 7700"));`,
    ].join("\n"),
  );
  write("dist/exchange/greet.js", `exports.greet = (name) => "hello " + name;`);
  write(
    "dist/faultproxy/main.js",
    [
      `const args = process.argv.slice(2);`,
      `require("node:http").createServer((req, res) => res.end(JSON.stringify(args)))`,
      `  .listen(Number(args[args.indexOf("--port") + 1]), args[args.indexOf("--host") + 1], () => console.log("proxy API up"));`,
    ].join("\n"),
  );
  return { root, write, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A finished container's stdout and stderr (non-TTY logs are framed: 8-byte header, then the payload). */
export async function containerOutput(engine: Engine, id: string): Promise<string> {
  const raw = (await engine.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as Buffer;
  const parts: Buffer[] = [];
  for (let i = 0; i + 8 <= raw.length;) {
    const size = raw.readUInt32BE(i + 4);
    parts.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}

/** Polls `look` until it gives a value, through the common waiting primitive; fails naming `what`. */
export function until<T>(
  what: string,
  timeoutMs: number,
  look: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  return pollUntil(
    async () => {
      const v = await look();
      return v !== undefined ? ok(v) : notYet("nothing yet");
    },
    { describe: what, deadlineMs: timeoutMs, intervalMs: 100 },
  );
}
