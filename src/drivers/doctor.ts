import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { messageOf } from "../common";
import { defaultStateDir, isAlive } from "../runs";
import { portFree } from "./process/addresses";
import { findOnPath } from "./process/proxy-server";

/** One thing `exlab doctor` looked at, for one driver (or "all" for what every driver shares). */
export interface DoctorCheck {
  driver: string;
  what: string;
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What to run or change when `ok` is false (or worth knowing when true). */
  todo?: string;
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** How long the Docker engine may take to answer. @default 3000 */
  engineTimeoutMs?: number;
}

const FIRST = 20;
const LAST = 250;

/** What this machine has for each driver, and what to run for what is missing. Starts nothing that stays. */
export async function doctor(options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const env = options.env ?? process.env;
  return [
    nodeCheck(),
    ...(await proxyChecks(env)),
    await loopbackCheck(),
    subnetCheck(env),
    await engineCheck(options.engineTimeoutMs ?? 3000),
  ];
}

function nodeCheck(): DoctorCheck {
  const major = Number(process.versions.node.split(".")[0]);
  return {
    driver: "all",
    what: "Node.js",
    ok: major >= 20,
    detail: `v${process.versions.node}`,
    ...(major >= 20 ? {} : { todo: "install Node.js 20 or newer" }),
  };
}

async function proxyChecks(env: NodeJS.ProcessEnv): Promise<DoctorCheck[]> {
  const url = env.TOXIPROXY_URL?.trim();
  if (url) {
    try {
      const res = await fetch(new URL("/version", url), { signal: AbortSignal.timeout(3000) });
      const version = (await res.text()).trim();
      return [{ driver: "all", what: "fault proxy", ok: res.ok, detail: `TOXIPROXY_URL=${url} answers ${version}` }];
    } catch (err) {
      return [
        {
          driver: "all",
          what: "fault proxy",
          ok: false,
          detail: `TOXIPROXY_URL=${url} does not answer (${messageOf(err)})`,
          todo: "start that Toxiproxy server, or unset TOXIPROXY_URL to use the built-in fault proxy",
        },
      ];
    }
  }
  const binary = findOnPath("toxiproxy-server", env);
  return [
    {
      driver: "all",
      what: "fault proxy",
      ok: true,
      detail: binary
        ? `built in (exlab proxy); toxiproxy-server on PATH at ${binary} (EXLAB_FAULT_PROXY=toxiproxy-server uses it)`
        : "built in (exlab proxy); no toxiproxy-server on PATH, none needed",
    },
  ];
}

/** Machines of the process driver bind 127.X.0.N: the whole 127/8 must route to loopback (Linux does). */
async function loopbackCheck(): Promise<DoctorCheck> {
  const probe = `127.${FIRST + 3}.0.1`;
  const ok = await portFree(probe, 0);
  return {
    driver: "processes",
    what: "loopback addresses",
    ok,
    detail: ok ? `127.X.0.N binds (tried ${probe})` : `cannot bind ${probe}`,
    ...(ok ? {} : { todo: `give loopback the 127.0.0.0/8 range (macOS: sudo ifconfig lo0 alias ${probe} up)` }),
  };
}

function subnetCheck(env: NodeJS.ProcessEnv): DoctorCheck {
  const dir = join(defaultStateDir(env), "subnets");
  let leased = 0;
  let stale = 0;
  for (const name of safeList(dir)) {
    try {
      const pid = Number(JSON.parse(readFileSync(join(dir, name), "utf8")).pid);
      if (pid > 0 && isAlive(pid)) leased++;
      else stale++;
    } catch {
      stale++;
    }
  }
  const free = LAST - FIRST + 1 - leased;
  return {
    driver: "processes",
    what: "free loopback subnets",
    ok: free > 0,
    detail: `${free} of ${LAST - FIRST + 1} free (${leased} leased by live runs${stale ? `, ${stale} stale` : ""})`,
    ...(free > 0 && !stale ? {} : { todo: "run `exlab clean` to release the leases of runs that are over" }),
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".lock"));
  } catch {
    return [];
  }
}

async function engineCheck(timeoutMs: number): Promise<DoctorCheck> {
  const { checkEngine } = require("./container") as typeof import("./container");
  try {
    const engine = await checkEngine({ timeoutMs });
    return {
      driver: "containers",
      what: "Docker engine",
      ok: true,
      detail: `Docker ${engine.info.serverVersion} at ${engine.info.endpoint}`,
    };
  } catch (err) {
    return {
      driver: "containers",
      what: "Docker engine",
      ok: false,
      detail: messageOf(err),
    };
  }
}
