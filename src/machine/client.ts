import type { ExchangeEvent } from "../exchange";
import { MachineError, messageOf, type MachineErrorCode } from "./errors";
import type { ProcessStatus } from "./host-handle";
import type { CallResult } from "./host";
import type { ReceivedReport } from "./ipc";
import type { LogPage, MachineLogEntry } from "./machine-log";
import type { ProcessSpecInput } from "./spec";
import type { MachineHealth } from "./supervisor";
import type { ProcessView } from "./view";
import type { WorkloadSpec } from "./workload";
import { waitFor } from "./wait-for";

/** The control API answered with an error status; `code`, `status` and `body` are as answered. */
export class MachineApiError extends MachineError {
  constructor(
    readonly method: string,
    readonly url: string,
    status: number,
    readonly body: { error?: string; code?: MachineErrorCode; [k: string]: unknown },
  ) {
    super(body.code ?? "MACHINE_HTTP_ERROR", `${method} ${url} → ${status}: ${body.error ?? "(no message)"}`, {
      status,
      details: body,
    });
  }
}

/**
 * The control API could not be reached or did not answer in time (code `MACHINE_UNREACHABLE` or
 * `MACHINE_CLIENT_TIMEOUT`).
 */
export class MachineUnreachableError extends MachineError {
  declare readonly code: "MACHINE_UNREACHABLE" | "MACHINE_CLIENT_TIMEOUT";
  constructor(
    readonly method: string,
    readonly url: string,
    cause: unknown,
    timedOut: boolean,
  ) {
    super(
      timedOut ? "MACHINE_CLIENT_TIMEOUT" : "MACHINE_UNREACHABLE",
      `${method} ${url}: ${timedOut ? "no answer in time" : `unreachable (${messageOf(cause)})`}`,
      { status: 0, cause },
    );
  }
}

/** The answer was not the JSON the API promises (code `MACHINE_PROTOCOL`). */
export class MachineProtocolError extends MachineError {
  declare readonly code: "MACHINE_PROTOCOL";
  constructor(
    readonly method: string,
    readonly url: string,
    status: number,
    text: string,
    options?: { cause?: unknown },
  ) {
    super("MACHINE_PROTOCOL", `${method} ${url} → ${status}: not JSON: ${text.slice(0, 200)}`, {
      status,
      cause: options?.cause,
    });
  }
}

export interface MachineClientOptions {
  /** Per-request timeout (calls get their own timeout on top). @default 10000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export type CallRequest = ({ service: string; agent?: never } | { agent: string; service?: never }) & {
  /** @default "identify" */
  method?: string;
  args?: unknown;
  /** @default the machine's timing.requestTimeoutMs */
  timeoutMs?: number;
};

export type MachineEventsPage = LogPage<MachineLogEntry> & { machine: string };

/** Typed client of one machine's control API (see src/machine/README.md for the routes). */
export class MachineClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  /** @param base `http://127.3.0.1:7700` or `{ host, port }` */
  constructor(base: string | { host: string; port: number }, opts: MachineClientOptions = {}) {
    this.baseUrl =
      typeof base === "string"
        ? base.replace(/\/+$/, "")
        : `http://${base.host.includes(":") ? `[${base.host}]` : base.host}:${base.port}`;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  health() {
    return this.req<MachineHealth>("GET", "/health");
  }

  processes() {
    return this.req<ProcessStatus[]>("GET", "/processes");
  }

  process(p: string) {
    return this.req<ProcessStatus>("GET", `/processes/${e(p)}`);
  }

  view(p: string) {
    return this.req<ProcessView>("GET", `/processes/${e(p)}/view`);
  }

  offer(p: string, service: { name: string; audience?: string; groups?: string[] }) {
    return this.req<{ agentId: string }>("POST", `/processes/${e(p)}/services`, service);
  }

  withdraw(p: string, service: string) {
    return this.req<{ withdrawn: string }>("DELETE", `/processes/${e(p)}/services/${e(service)}`);
  }

  joinGroup(p: string, service: string, group: string) {
    return this.req<GroupResult>("POST", `/processes/${e(p)}/services/${e(service)}/groups`, { group });
  }

  leaveGroup(p: string, service: string, group: string) {
    return this.req<GroupResult>("DELETE", `/processes/${e(p)}/services/${e(service)}/groups/${e(group)}`);
  }

  call(p: string, call: CallRequest) {
    return this.req<CallResult>("POST", `/processes/${e(p)}/call`, call, (call.timeoutMs ?? 30_000) + this.timeoutMs);
  }

  publish(p: string, pub: { service: string; subject: string; content: unknown; lifetime?: number }) {
    return this.req<{ publisher: string; publicationSeq: number }>("POST", `/processes/${e(p)}/publish`, pub);
  }

  subscribe(p: string, sub: ({ service: string } | { agent: string }) & { pattern: string }) {
    return this.req<{ id: string; target: string; pattern: string }>("POST", `/processes/${e(p)}/subscriptions`, sub);
  }

  unsubscribe(p: string, id: string) {
    return this.req<{ cancelled: string }>("DELETE", `/processes/${e(p)}/subscriptions/${e(id)}`);
  }

  reports(p: string, since = 0, opts: { limit?: number } = {}) {
    return this.req<LogPage<ReceivedReport>>("GET", `/processes/${e(p)}/reports${q({ since, ...opts })}`);
  }

  processEvents(p: string, since = 0, opts: { limit?: number } = {}) {
    return this.req<LogPage<ExchangeEvent>>("GET", `/processes/${e(p)}/events${q({ since, ...opts })}`);
  }

  /** The machine log after `since`; `waitMs` > 0 holds the request until an entry exists (long poll, ≤ 30 s). */
  events(since = 0, opts: { limit?: number; waitMs?: number } = {}) {
    return this.req<MachineEventsPage>(
      "GET",
      `/events${q({ since, ...opts })}`,
      undefined,
      this.timeoutMs + (opts.waitMs ?? 0),
    );
  }

  /** Starts a workload inside process `p` (workload.ts); its operations arrive in the machine log. */
  startWorkload(p: string, spec: WorkloadSpec) {
    return this.req<{ id: string }>("POST", `/processes/${e(p)}/workloads`, spec);
  }

  /** Stops one workload of `p` (or all), waiting up to `graceMs` for its calls in flight. */
  stopWorkloads(p: string, opts: { id?: string; graceMs?: number } = {}) {
    return this.req<Record<string, { started: number; unsettled: number }>>(
      "DELETE",
      `/processes/${e(p)}/workloads${q(opts)}`,
      undefined,
      (opts.graceMs ?? 0) + this.timeoutMs,
    );
  }

  crash(p: string) {
    return this.req<ProcessStatus>("POST", `/processes/${e(p)}/crash`);
  }

  stop(p: string) {
    return this.req<ProcessStatus>("POST", `/processes/${e(p)}/stop`);
  }

  start(p: string) {
    return this.req<ProcessStatus>("POST", `/processes/${e(p)}/start`);
  }

  addProcess(spec: ProcessSpecInput) {
    return this.req<ProcessStatus>("POST", "/processes", spec);
  }

  logs(p: string, tail = 100) {
    return this.req<{ process: string; path: string; lines: string[] }>("GET", `/logs/${e(p)}${q({ tail })}`);
  }

  /** Polls `/health` until `ready` (every process up, endpoints listening). */
  waitUntilReady(opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<MachineHealth> {
    return waitFor(
      async () => {
        const h = await this.health();
        return h.ready ? h : null;
      },
      {
        timeoutMs: opts.timeoutMs ?? 15_000,
        intervalMs: opts.intervalMs ?? 50,
        message: `machine at ${this.baseUrl} to be ready`,
      },
    );
  }

  private async req<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const url = this.baseUrl + path;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new MachineUnreachableError(method, url, err, (err as Error)?.name === "TimeoutError");
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new MachineUnreachableError(method, url, err, (err as Error)?.name === "TimeoutError");
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new MachineProtocolError(method, url, res.status, text, { cause: err });
    }
    if (!res.ok) throw new MachineApiError(method, path, res.status, (parsed ?? {}) as MachineApiError["body"]);
    return parsed as T;
  }
}

export interface GroupResult {
  service: string;
  agentId: string;
  groups: string[];
}

const e = encodeURIComponent;

function q(params: Record<string, number | string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}
