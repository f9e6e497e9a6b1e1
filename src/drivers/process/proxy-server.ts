import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { messageOf, notYet, ok, pollUntil, WaitTimeoutError } from "../../common";
import { ProxyServerError } from "../errors";
import type { Logger } from "../../runs";
import { distScript } from "../../runs";
import { DetachedChild } from "./child";
import { signalGroup } from "../../runs";

/**
 * The Toxiproxy-compatible API a run's proxies live on. Chosen in this order:
 * 1. `TOXIPROXY_URL` set: an existing server (shared; the run's proxies carry the run prefix);
 * 2. `EXLAB_FAULT_PROXY=toxiproxy-server`: a real `toxiproxy-server` found on PATH, started as a child;
 * 3. `EXLAB_FAULT_PROXY=in-process`: our fault proxy inside the runner;
 * 4. default (`child`): our fault proxy as a child process (`node dist/faultproxy/main.js`).
 */
export type ProxyServerMode = "child" | "in-process" | "toxiproxy-server" | "external";

export interface StartedProxyServer {
  url: string;
  kind: ProxyServerMode;
  pid?: number;
  close(): Promise<void>;
}

export interface ProxyServerOptions {
  host: string;
  port: number;
  env: NodeJS.ProcessEnv;
  logFile: string;
  runId: string;
  logger: Logger;
  track(pgid: number): void;
  /** @default 10000 */
  readyTimeoutMs?: number;
}

export function chooseProxyServerMode(env: NodeJS.ProcessEnv): ProxyServerMode {
  if (env.TOXIPROXY_URL) return "external";
  const asked = env.EXLAB_FAULT_PROXY;
  if (asked === "toxiproxy-server" || asked === "in-process" || asked === "child") return asked;
  if (asked)
    throw new ProxyServerError(`EXLAB_FAULT_PROXY="${asked}" is not one of child, in-process, toxiproxy-server`);
  return "child";
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      /* not here */
    }
  }
  return undefined;
}

async function answers(url: string, timeoutMs = 500): Promise<boolean> {
  try {
    const res = await fetch(`${url}/version`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitForApi(url: string, child: DetachedChild, timeoutMs: number): Promise<void> {
  const exited = new AbortController();
  void child.exited.then((e) => exited.abort(new Error(`exited early (code ${e.code}, signal ${e.signal})`)));
  try {
    await pollUntil(async () => ((await answers(url)) ? ok(undefined) : notYet("no answer")), {
      describe: `the API at ${url} to answer`,
      deadlineMs: timeoutMs,
      intervalMs: 50,
      signal: exited.signal,
    });
  } catch (err) {
    if (err instanceof WaitTimeoutError)
      throw new Error(`the API at ${url} did not answer within ${timeoutMs} ms`, { cause: err });
    throw err;
  }
}

export async function startProxyServer(options: ProxyServerOptions): Promise<StartedProxyServer> {
  const mode = chooseProxyServerMode(options.env);
  const url = `http://${options.host}:${options.port}`;
  const log = options.logger;
  if (mode === "external") {
    const external = options.env.TOXIPROXY_URL!.replace(/\/+$/, "");
    if (!(await answers(external, 2000)))
      throw new ProxyServerError(`TOXIPROXY_URL=${external} does not answer GET /version`);
    log.info(`Using the fault proxy at ${external} (TOXIPROXY_URL)`);
    return { url: external, kind: mode, close: async () => {} };
  }
  if (mode === "in-process") {
    const { startFaultProxy } = require(distScript("faultproxy/index.js")) as {
      startFaultProxy(o: {
        host: string;
        port: number;
        seed?: number;
      }): Promise<{ url: string; close(): Promise<void> }>;
    };
    const server = await startFaultProxy({ host: options.host, port: options.port, seed: 1 });
    log.info(`Started the fault proxy in-process at ${server.url}`);
    return { url: server.url.replace(/\/+$/, ""), kind: mode, close: () => server.close() };
  }
  const binary = mode === "toxiproxy-server" ? findOnPath("toxiproxy-server", options.env) : undefined;
  if (mode === "toxiproxy-server" && !binary)
    throw new ProxyServerError("EXLAB_FAULT_PROXY=toxiproxy-server but no toxiproxy-server on PATH");
  const child = new DetachedChild({
    ...(binary
      ? { command: binary, args: ["-host", options.host, "-port", String(options.port)] }
      : { script: distScript("faultproxy/main.js"), args: ["--host", options.host, "--port", String(options.port)] }),
    env: { ...options.env, EXLAB_RUN_ID: options.runId, EXLAB_RUNNER_PID: String(process.pid) },
    logFile: options.logFile,
  });
  options.track(child.pid);
  try {
    await waitForApi(url, child, options.readyTimeoutMs ?? 10000);
  } catch (err) {
    signalGroup(child.pid, "SIGKILL");
    await child.exited;
    throw new ProxyServerError(
      `the fault proxy (${binary ?? "exlab proxy"}) did not start: ${messageOf(err)}\n    ${child.lines(10).join("\n    ")}`,
      { cause: err },
    );
  }
  log.info(`Started the fault proxy (${binary ? "toxiproxy-server" : "exlab proxy"}, pid ${child.pid}) at ${url}`);
  return {
    url,
    kind: mode,
    pid: child.pid,
    close: async () => {
      signalGroup(child.pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), 3000);
      await child.exited;
      clearTimeout(timer);
    },
  };
}
