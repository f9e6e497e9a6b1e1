import { BadRequestError } from "./errors";
import { bodyParser, parseProcessSpec } from "./schema";
import type { Supervisor } from "./supervisor";
import type { WorkloadSpec } from "./workload";

/** What a route handler gets: decoded path parameters, the query, the parsed JSON body (or undefined). */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Resolves when the client goes away (long polls stop waiting). */
  closed: Promise<void>;
}

export interface RouteResult {
  status?: number;
  body: unknown;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** Segments; `:name` is a parameter. */
  path: string;
  handle(sup: Supervisor, req: RouteRequest): Promise<RouteResult> | RouteResult;
}

/** A non-negative integer query parameter, or its default; 400 otherwise. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw))
    throw new BadRequestError(`Query parameter "${name}" must be a non-negative integer, got "${raw}"`);
  return Math.min(Number(raw), max);
}

const offerBody = bodyParser<{ name: string; audience?: string; groups?: string[] }>("offer");
const groupBody = bodyParser<{ group: string }>("group");
const callBody = bodyParser<{ service?: string; agent?: string; method?: string; args?: unknown; timeoutMs?: number }>(
  "call",
);
const publishBody = bodyParser<{ service: string; subject: string; content: unknown; lifetime?: number }>("publish");
const workloadBody = bodyParser<WorkloadSpec>("workload");
const subscribeBody = bodyParser<{ service?: string; agent?: string; pattern: string }>("subscribe");

/** Extra time a host gets beyond a call's own timeout before the supervisor gives up on it. */
const CALL_MARGIN_MS = 5000;

const page = (q: URLSearchParams) => ({ since: intParam(q, "since", 0), limit: intParam(q, "limit", 1000, 10_000) });

/** The control API. Documented in src/machine/README.md (keep the table in step). */
export const routes: Route[] = [
  { method: "GET", path: "/health", handle: (s) => ({ body: s.health() }) },
  { method: "GET", path: "/processes", handle: (s) => ({ body: s.processes() }) },
  {
    method: "POST",
    path: "/processes",
    handle: async (s, r) => ({ status: 201, body: await s.add(parseProcessSpec(r.body, s.spec.machine)) }),
  },
  { method: "GET", path: "/processes/:p", handle: (s, r) => ({ body: s.host(r.params.p).status() }) },
  {
    method: "GET",
    path: "/processes/:p/view",
    handle: async (s, r) => ({ body: await s.command(r.params.p, { type: "view" }) }),
  },
  {
    method: "GET",
    path: "/processes/:p/events",
    handle: async (s, r) => ({ body: await s.command(r.params.p, { type: "events", ...page(r.query) }) }),
  },
  {
    method: "POST",
    path: "/processes/:p/services",
    handle: async (s, r) => ({
      status: 201,
      body: await s.command(r.params.p, { type: "offer", ...offerBody(r.body) }),
    }),
  },
  {
    method: "DELETE",
    path: "/processes/:p/services/:service",
    handle: async (s, r) => ({ body: await s.command(r.params.p, { type: "withdraw", name: r.params.service }) }),
  },
  {
    method: "POST",
    path: "/processes/:p/services/:service/groups",
    handle: async (s, r) => ({
      body: await s.command(r.params.p, { type: "join", service: r.params.service, ...groupBody(r.body) }),
    }),
  },
  {
    method: "DELETE",
    path: "/processes/:p/services/:service/groups/:group",
    handle: async (s, r) => ({
      body: await s.command(r.params.p, { type: "leave", service: r.params.service, group: r.params.group }),
    }),
  },
  {
    method: "POST",
    path: "/processes/:p/call",
    handle: async (s, r) => {
      const body = callBody(r.body);
      const wait = (body.timeoutMs || s.spec.timing.requestTimeoutMs || 30_000) + CALL_MARGIN_MS;
      return { body: await s.command(r.params.p, { type: "call", ...body }, wait) };
    },
  },
  {
    method: "POST",
    path: "/processes/:p/publish",
    handle: async (s, r) => ({ body: await s.command(r.params.p, { type: "publish", ...publishBody(r.body) }) }),
  },
  {
    method: "POST",
    path: "/processes/:p/subscriptions",
    handle: async (s, r) => ({
      status: 201,
      body: await s.command(r.params.p, { type: "subscribe", ...subscribeBody(r.body) }),
    }),
  },
  {
    method: "DELETE",
    path: "/processes/:p/subscriptions/:id",
    handle: async (s, r) => ({ body: await s.command(r.params.p, { type: "unsubscribe", id: r.params.id }) }),
  },
  {
    method: "GET",
    path: "/processes/:p/reports",
    handle: async (s, r) => ({ body: await s.command(r.params.p, { type: "reports", ...page(r.query) }) }),
  },
  {
    method: "POST",
    path: "/processes/:p/workloads",
    handle: async (s, r) => ({
      status: 201,
      body: await s.command(r.params.p, { type: "workload", spec: workloadBody(r.body) }),
    }),
  },
  {
    method: "DELETE",
    path: "/processes/:p/workloads",
    handle: async (s, r) => {
      const graceMs = intParam(r.query, "graceMs", 0, 60_000);
      const id = r.query.get("id") ?? undefined;
      return { body: await s.command(r.params.p, { type: "workload-stop", id, graceMs }, graceMs + CALL_MARGIN_MS) };
    },
  },
  { method: "POST", path: "/processes/:p/crash", handle: async (s, r) => ({ body: await s.crash(r.params.p) }) },
  { method: "POST", path: "/processes/:p/stop", handle: async (s, r) => ({ body: await s.stop(r.params.p) }) },
  { method: "POST", path: "/processes/:p/start", handle: async (s, r) => ({ body: await s.startProcess(r.params.p) }) },
  {
    method: "GET",
    path: "/events",
    handle: async (s, r) => {
      const { since, limit } = page(r.query);
      const waitMs = intParam(r.query, "waitMs", 0, 30_000);
      await Promise.race([s.events.waitBeyond(since, waitMs), r.closed]);
      return { body: { machine: s.spec.machine, ...s.events.since(since, limit) } };
    },
  },
  {
    method: "GET",
    path: "/logs/:p",
    handle: (s, r) => {
      const host = s.host(r.params.p);
      return {
        body: { process: host.name, path: host.log.path, lines: host.log.tail(intParam(r.query, "tail", 100, 10_000)) },
      };
    },
  },
];
