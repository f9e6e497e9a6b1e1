import { constants } from "node:os";
import { messageOf, notYet, ok, pollUntil, WaitTimeoutError } from "../../common";
import type { ExitInfo } from "../driver";
import { PUBLISH_HOST } from "./lab-container";

// What the container machine reads from the engine: exit statuses, published ports, readiness.

/** The container's exit as an ExitInfo: 128+N is reported as signal N (docker kill → SIGKILL). */
export function exitInfoOf(statusCode: number | null | undefined): ExitInfo {
  if (statusCode === null || statusCode === undefined) return { code: null, signal: null };
  const signal =
    statusCode > 128 ? Object.entries(constants.signals).find(([, n]) => n === statusCode - 128)?.[0] : undefined;
  return signal ? { code: null, signal } : { code: statusCode, signal: null };
}

/** The parts of `docker inspect` the driver reads. */
export interface InspectInfo {
  State: { StartedAt: string };
  NetworkSettings: {
    Ports?: Record<string, { HostIp: string; HostPort: string }[] | null>;
    Networks?: Record<string, { IPAddress?: string }>;
  };
}

export function mappedPort(info: InspectInfo, port: number): number {
  const binding = info.NetworkSettings.Ports?.[`${port}/tcp`]?.find((b) => b.HostIp === PUBLISH_HOST);
  if (!binding) throw new Error(`port ${port} of the container is not published on ${PUBLISH_HOST}`);
  return Number(binding.HostPort);
}

/** The container's IP on `network`, or undefined when it has none there (not running). */
export function networkAddress(info: InspectInfo, network: string): string | undefined {
  return info.NetworkSettings.Networks?.[network]?.IPAddress || undefined;
}

/** Polls the control API's health until it answers 200; rejects after `timeoutMs` or when the container exits. */
export async function waitForHealth(url: string, timeoutMs: number, exited: Promise<ExitInfo>): Promise<void> {
  const stop = new AbortController();
  void exited.then((e) =>
    stop.abort(new Error(`the container exited during start (code ${e.code}, signal ${e.signal})`)),
  );
  const look = async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.text();
    return res.status === 200 ? ok(undefined) : notYet(`HTTP ${res.status}`);
  };
  try {
    await pollUntil(look, {
      describe: `${url} to answer 200`,
      deadlineMs: timeoutMs,
      intervalMs: 20,
      maxIntervalMs: 200,
      signal: stop.signal,
    });
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${messageOf(err.seen)})`, { cause: err });
  }
}

/** docker kill/stop of a container that is not running (any more) is not an error here. */
export function ignoreNotRunning(err: { statusCode?: number }): void {
  if (err.statusCode !== 304 && err.statusCode !== 409 && err.statusCode !== 404) throw err;
}
