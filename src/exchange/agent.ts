import type { AgentContext, AgentPort, Interest } from "./context";
import { ExchangeError, RequestError } from "./errors";
import { matchSubject } from "./glob";
import type { Entry } from "./registry";
import type {
  AgentOptions,
  DeliveredReport,
  EdgeNotice,
  Outcome,
  PublishOptions,
  ReportSubscription,
  RequestHandler,
  RequestOptions,
  SubscribeOptions,
} from "./types";

/** The shape of an agent id (S-2): `<nodeName>/<16 hex incarnation>/<counter>`. */
export const AGENT_ID_SHAPE = /\/[0-9a-f]{16}\/\d+$/;

function checkGroup(group: unknown): string {
  if (typeof group !== "string" || group === "")
    throw new ExchangeError(
      "INVALID_ARGUMENT",
      `a service group must be a non-empty string, got ${JSON.stringify(group)}`,
    );
  return group;
}

/**
 * A service agent: one binding (S-2, S-3) that serves requests, makes requests, publishes and subscribes.
 * Create it with `node.agent({ name, audience, groups })`; it is announced at once and stays until `withdraw()`
 * (or the node closes). `agent.node` is the node that made it (declared in node.ts).
 */
export class ServiceAgent {
  readonly agentId: string;
  readonly serviceName: string;
  readonly audience: string;
  private handler?: RequestHandler;
  private readonly match: (pattern: string, subject: string) => boolean;
  private readonly entry: Entry;
  private gone = false;
  private readonly reportCbs = new Set<(r: DeliveredReport) => void>();
  private readonly subscriptionCbs = new Set<(e: EdgeNotice) => void>();
  private readonly publisherCbs = new Set<(e: EdgeNotice) => void>();

  /** @internal Made by `node.agent()`. */
  constructor(
    private readonly ctx: AgentContext<ServiceAgent>,
    opts: AgentOptions,
  ) {
    Object.assign(this, { node: ctx.node });
    if (typeof opts?.name !== "string")
      throw new ExchangeError("INVALID_ARGUMENT", 'agent name must be a string ("" for an anonymous agent)');
    const audience = opts.audience ?? "*";
    if (typeof audience !== "string") throw new ExchangeError("INVALID_ARGUMENT", "audience must be a string");
    const groups = [...new Set((opts.groups ?? []).map(checkGroup))].sort();
    ctx.assertOpen();
    this.agentId = ctx.nextAgentId();
    this.serviceName = opts.name;
    this.audience = audience;
    this.match = opts.matchSubject ?? matchSubject;
    this.entry = {
      b: {
        agentId: this.agentId,
        serviceName: opts.name,
        audience,
        groups,
        origin: { nodeName: ctx.nodeName, incarnation: ctx.incarnation },
        version: 0,
      },
      location: "local",
    };
    ctx.attach(this.agentId, this, this.port());
    ctx.bindings.localAvail(this.entry);
  }

  /** Service groups joined, sorted. */
  get groups(): string[] {
    return [...this.entry.b.groups];
  }

  get withdrawn(): boolean {
    return this.gone;
  }

  /** Serves requests; the handler may be async. Throw ServiceFailure to answer FAILURE (S-35). */
  onRequest(handler: RequestHandler): this {
    this.handler = handler;
    return this;
  }

  /** S-29: idempotent; "" throws INVALID_ARGUMENT. */
  joinGroup(group: string): void {
    checkGroup(group);
    this.assertLive();
    if (!this.entry.b.groups.includes(group)) this.ctx.bindings.localGroup(this.entry, "JOIN", group);
  }

  leaveGroup(group: string): void {
    checkGroup(group);
    this.assertLive();
    if (this.entry.b.groups.includes(group)) this.ctx.bindings.localGroup(this.entry, "LEAVE", group);
  }

  /** S-23: leaves its groups, withdraws the binding everywhere, drops its edges. Idempotent. */
  withdraw(reason = "WITHDRAWN"): void {
    if (this.gone) return;
    this.gone = true;
    this.ctx.bindings.localWithdraw(this.entry, reason);
    this.ctx.detach(this.agentId);
  }

  /**
   * Sends a request to a service name (S-26 resolution) or an agent id; resolves with exactly one outcome, never
   * rejects.
   */
  request(target: string, method: string, args?: unknown, opts: RequestOptions = {}): Promise<Outcome> {
    if (this.gone) {
      return Promise.resolve({
        kind: "CANCELLED",
        conversationId: "",
        code: 48,
        origin: "exchange",
        description: `requester ${this.agentId} is withdrawn`,
      });
    }
    return this.ctx.request(this.agentId, target, method, args, opts);
  }

  /** Like request(), but resolves with the result and rejects with a RequestError carrying any other outcome. */
  async call(target: string, method: string, args?: unknown, opts: RequestOptions = {}): Promise<unknown> {
    const o = await this.request(target, method, args, opts);
    if (o.kind === "RESPONSE") return o.result;
    throw new RequestError(o);
  }

  /**
   * Publishes to every subscriber with a matching edge (S-38); lifetime -1 keep, 0 no cache, N seconds (S-40). Returns
   * the publication seq.
   */
  publishReport(subject: string, content: unknown, opts: PublishOptions = {}): number {
    this.assertLive();
    const lifetime = opts.lifetime ?? 0;
    if (typeof subject !== "string") throw new ExchangeError("INVALID_ARGUMENT", "subject must be a string");
    if (typeof lifetime !== "number" || !(lifetime === -1 || lifetime >= 0))
      throw new ExchangeError(
        "INVALID_ARGUMENT",
        `lifetime must be -1, 0 or a positive number of seconds, got ${lifetime}`,
      );
    return this.ctx.reports.publish(this.agentId, subject, content, lifetime);
  }

  /** A report to one subscriber that holds at least one edge to this agent; bypasses the cache. */
  sendReport(subscriber: string, subject: string, content: unknown): boolean {
    this.assertLive();
    return this.ctx.reports.sendReport(this.agentId, subscriber, subject, content);
  }

  /** Drops cached subjects matching `pattern` that are at least ageS old (0: all of them). */
  expireReports(pattern: string, ageS = 0): void {
    this.ctx.reports.expire(this.agentId, pattern, ageS);
  }

  /** Drops expired cache entries. */
  purgeReports(): void {
    this.ctx.reports.purge(this.agentId);
  }

  /**
   * Subscribes to reports of every visible agent named `target` (kept up to date as they come and go), or of
   * the agent with that id when `byAgent` (default: true when target has the agent id shape).
   */
  subscribeReports(target: string, pattern: string, opts: SubscribeOptions = {}): ReportSubscription {
    this.assertLive();
    if (typeof target !== "string" || typeof pattern !== "string")
      throw new ExchangeError("INVALID_ARGUMENT", "target and pattern must be strings");
    const byAgent = opts.byAgent ?? AGENT_ID_SHAPE.test(target);
    const i: Interest = { subscriber: this.agentId, target, pattern, byAgent };
    this.ctx.reports.addInterest(i);
    return { target, pattern, byAgent, cancel: () => this.ctx.reports.removeInterest(i) };
  }

  /** Reports delivered to this agent; returns an unsubscribe function. */
  onReport(cb: (r: DeliveredReport) => void): () => void {
    this.reportCbs.add(cb);
    return () => void this.reportCbs.delete(cb);
  }

  /** Publisher side: an edge from a subscriber was REQUESTED or WITHDRAWN. */
  onSubscription(cb: (e: EdgeNotice) => void): () => void {
    this.subscriptionCbs.add(cb);
    return () => void this.subscriptionCbs.delete(cb);
  }

  /** Subscriber side: an edge to a publisher was REQUESTED (SUB_OK), REJECTED or WITHDRAWN. */
  onPublisher(cb: (e: EdgeNotice) => void): () => void {
    this.publisherCbs.add(cb);
    return () => void this.publisherCbs.delete(cb);
  }

  /** This agent as requests and reports see it. */
  private port(): AgentPort {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- live getters over private state
    const agent = this;
    return {
      get withdrawn() {
        return agent.gone;
      },
      get handler() {
        return agent.handler;
      },
      match: this.match,
      deliverReport: (r) => {
        for (const cb of this.reportCbs) this.safely(() => cb(r));
      },
      edgeNotice: (side, n) => {
        for (const cb of side === "publisher" ? this.subscriptionCbs : this.publisherCbs) this.safely(() => cb(n));
      },
    };
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.ctx.logger.error({ err, agentId: this.agentId }, "exchange: agent callback threw");
    }
  }

  private assertLive(): void {
    if (this.gone)
      throw new ExchangeError(
        "AGENT_WITHDRAWN",
        `agent ${this.agentId} (${this.serviceName || "anonymous"}) is withdrawn`,
      );
  }
}
