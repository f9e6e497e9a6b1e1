import {
  ExchangeNode,
  OutcomeCodes,
  type ExchangeNodeOptions,
  ServiceFailure,
  type ExchangeLogger,
  type ReportSubscription,
  type ServiceAgent,
} from "../exchange";
import { BadRequestError, ConflictError, NotFoundError } from "./errors";
import type { HostCommand, HostRecord, ReceivedReport } from "./ipc";
import { SeqLog } from "./machine-log";
import type { HostSpec, ServiceIdentity } from "./spec";
import { hostView, type ProcessView } from "./view";
import { Workload, type WorkloadSpec } from "./workload";

export interface ProcessHostOptions {
  /** Called with every record (exchange event or received report) as it happens. */
  onRecord?: (record: HostRecord) => void;
  logger?: ExchangeLogger;
  /** Epoch-ms clock for received reports. @default Date.now */
  now?: () => number;
  /** In-memory log capacity (events, and reports). @default 100000 */
  logCapacity?: number;
  /** Hooks that break the exchange on purpose: only for deliberately broken test builds (host-main.ts). */
  broken?: BrokenExchange;
  /**
   * A user program's own node (see program.ts): the host opens the lab's endpoints on it and serves the lab's
   * commands, but offers no services of its own at start (the program offers its services itself).
   */
  node?: ExchangeNode;
}

/** The exchange options a deliberately broken build replaces (see ExchangeNodeOptions). */
export type BrokenExchange = Pick<ExchangeNodeOptions, "exportPredicate" | "dropReport" | "withdrawOnClose">;

/** What `call` answers: the outcome, and who answered when the answer is a service identity. */
export interface CallResult {
  outcome: import("../exchange").Outcome;
  answeredBy: Omit<ServiceIdentity, "method" | "args"> | null;
}

const NOT_OURS = (name: string) =>
  `service "${name}" is the program's own: the lab withdraws only services it offered (crash or stop the process instead)`;

/** The FAILURE code a declared service answers to method `fail` unless `args.code` says otherwise. */
export const DEFAULT_FAILURE_CODE: number = OutcomeCodes.SERVER_APPLICATION_ERROR;

/**
 * One exchange process built from a {@link HostSpec}: its endpoints, its declared services and an anonymous
 * agent (name "", audience "*") that makes the calls and subscriptions asked for.
 *
 * Declared (and offered) services answer every request with their {@link ServiceIdentity}, except:
 * - method `fail`, args `{ code?, description? }` → FAILURE (code {@link DEFAULT_FAILURE_CODE}, description "requested
 *   failure");
 * - method `slow`, args `{ ms }` → the identity, after `ms` milliseconds.
 */
export class ProcessHost {
  readonly node: ExchangeNode;
  private readonly services = new Map<string, ServiceAgent>();
  private readonly subscriptions = new Map<string, ReportSubscription>();
  private readonly workloads = new Map<string, Workload>();
  private nextSub = 1;
  private readonly anon: ServiceAgent;
  readonly events: SeqLog<import("../exchange").ExchangeEvent>;
  readonly reports: SeqLog<ReceivedReport>;
  private readonly now: () => number;
  private closing: Promise<void> | null = null;

  constructor(
    readonly spec: HostSpec,
    private readonly opts: ProcessHostOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.events = new SeqLog(opts.logCapacity ?? 100_000);
    this.reports = new SeqLog(opts.logCapacity ?? 100_000);
    this.node =
      opts.node ??
      new ExchangeNode({
        name: spec.process.nodeName,
        timing: spec.timing,
        logger: opts.logger,
        ...opts.broken,
      });
    this.node.on("event", (event) => {
      this.events.append(() => event);
      this.opts.onRecord?.({ kind: "exchange", event });
    });
    this.anon = this.node.agent({ name: "", audience: "*" });
    this.anon.onReport((r) => {
      const report = this.reports.append((n) => ({
        n,
        time: this.now(),
        publisher: r.publisher,
        publicationSeq: r.publicationSeq,
        subject: r.subject,
        content: r.content,
        matchedPatterns: r.matchedPatterns,
        cached: r.cached,
      }));
      this.opts.onRecord?.({ kind: "report", event: report });
    });
  }

  /**
   * Opens the endpoints (listeners first, then diallers) and offers the declared services; resolves with group → port.
   */
  async start(): Promise<Record<string, number>> {
    const listening: Record<string, number> = {};
    for (const e of this.spec.process.endpoints) {
      const ex = this.node.exchange({ role: e.role, group: e.group });
      if (e.role === "server" && e.listen !== undefined)
        listening[e.group] = await ex.listen(e.listen, this.spec.bindHost);
      for (const c of e.connect) ex.connect(c.host, c.port, c.delayMs === undefined ? {} : { delayMs: c.delayMs });
    }
    if (!this.opts.node) for (const s of this.spec.process.services) this.offer(s.name, s.audience, s.groups);
    return listening;
  }

  /** Graceful: withdraws every service and closes every link (idempotent). */
  close(): Promise<void> {
    for (const w of this.workloads.values()) void w.stop(0);
    this.closing ??= this.node.close();
    return this.closing;
  }

  async execute(cmd: HostCommand): Promise<unknown> {
    switch (cmd.type) {
      case "view":
        return this.view();
      case "offer":
        return { agentId: this.offer(cmd.name, cmd.audience ?? "*", cmd.groups ?? []).agentId };
      case "withdraw":
        if (!this.services.has(cmd.name) && this.opts.node) throw new ConflictError(NOT_OURS(cmd.name));
        this.service(cmd.name).withdraw();
        this.services.delete(cmd.name);
        return { withdrawn: cmd.name };
      case "join":
      case "leave": {
        const agent = this.service(cmd.service);
        if (cmd.type === "join") agent.joinGroup(cmd.group);
        else agent.leaveGroup(cmd.group);
        return { service: cmd.service, agentId: agent.agentId, groups: agent.groups };
      }
      case "call":
        return this.call(cmd);
      case "publish": {
        const seq = this.service(cmd.service).publishReport(cmd.subject, cmd.content, { lifetime: cmd.lifetime ?? 0 });
        return { publisher: this.service(cmd.service).agentId, publicationSeq: seq };
      }
      case "subscribe":
        return this.subscribe(cmd.service ?? cmd.agent ?? "", cmd.pattern, cmd.agent !== undefined);
      case "unsubscribe": {
        const sub = this.subscriptions.get(cmd.id);
        if (!sub) throw new NotFoundError("subscription", cmd.id, [...this.subscriptions.keys()]);
        sub.cancel();
        this.subscriptions.delete(cmd.id);
        return { cancelled: cmd.id };
      }
      case "reports":
        return this.reports.since(cmd.since, cmd.limit);
      case "events":
        return this.events.since(cmd.since, cmd.limit);
      case "workload":
        return this.startWorkload(cmd.spec);
      case "workload-stop":
        return this.stopWorkloads(cmd.id, cmd.graceMs);
    }
  }

  view(): ProcessView {
    const offered = new Map(
      this.node.agents.filter((a) => a !== this.anon && a.serviceName !== "").map((a) => [a.serviceName, a]),
    );
    return hostView(this.spec, this.node, offered, this.subscriptions);
  }

  private offer(name: string, audience: string, groups: string[]): ServiceAgent {
    if (this.services.has(name))
      throw new ConflictError(`Process "${this.spec.process.name}" already offers service "${name}"`);
    const agent = this.node.agent({ name, audience, groups });
    const identity = (method: string, args: unknown): ServiceIdentity => ({
      machine: this.spec.machine,
      process: this.spec.process.name,
      service: name,
      agentId: agent.agentId,
      method,
      args,
    });
    agent.onRequest(async (method, args) => {
      const a = (args ?? {}) as { code?: unknown; description?: unknown; ms?: unknown };
      if (method === "fail") {
        throw new ServiceFailure(
          typeof a.code === "number" ? a.code : DEFAULT_FAILURE_CODE,
          typeof a.description === "string" ? a.description : "requested failure",
        );
      }
      if (method === "slow") await new Promise((r) => setTimeout(r, typeof a.ms === "number" ? a.ms : 0));
      return identity(method, args);
    });
    this.services.set(name, agent);
    return agent;
  }

  /** A service the lab offered here, or one the program offers itself (to publish or join groups as it). */
  private startWorkload(spec: WorkloadSpec): { id: string } {
    if (this.workloads.has(spec.id)) throw new ConflictError(`Workload "${spec.id}" runs already`);
    if (spec.kind === "publish") this.service(spec.service);
    const workload = new Workload(spec, {
      caller: this.anon,
      publisher: (name) => this.service(name),
      now: this.now,
      record: (event) => this.opts.onRecord?.({ kind: "operation", event }),
    });
    this.workloads.set(spec.id, workload);
    workload.start();
    return { id: spec.id };
  }

  /** Stops one workload (or all): resolves once their calls settled, or were recorded UNSETTLED after `graceMs`. */
  private async stopWorkloads(id: string | undefined, graceMs = 0): Promise<Record<string, { started: number }>> {
    if (id !== undefined && !this.workloads.has(id))
      throw new NotFoundError("workload", id, [...this.workloads.keys()]);
    const which = id === undefined ? [...this.workloads] : [[id, this.workloads.get(id)!] as const];
    const out: Record<string, { started: number; unsettled: number }> = {};
    await Promise.all(
      which.map(async ([name, w]) => {
        out[name] = await w.stop(graceMs);
        this.workloads.delete(name);
      }),
    );
    return out;
  }

  private service(name: string): ServiceAgent {
    const agent =
      this.services.get(name) ??
      this.node.agents.find((a) => a !== this.anon && a.serviceName === name && !a.withdrawn);
    if (!agent)
      throw new NotFoundError(`service of process "${this.spec.process.name}"`, name, [...this.services.keys()]);
    return agent;
  }

  private async call(cmd: Extract<HostCommand, { type: "call" }>): Promise<CallResult> {
    const target = cmd.service ?? cmd.agent;
    if (!target) throw new BadRequestError('A call needs "service" or "agent"');
    const outcome = await this.anon.request(
      target,
      cmd.method ?? "identify",
      cmd.args ?? null,
      cmd.timeoutMs === undefined ? {} : { timeoutMs: cmd.timeoutMs },
    );
    const r = outcome.kind === "RESPONSE" ? (outcome.result as Partial<ServiceIdentity> | null) : null;
    const answeredBy =
      r && typeof r === "object" && typeof r.agentId === "string" && typeof r.process === "string"
        ? { machine: String(r.machine), process: r.process, service: String(r.service), agentId: r.agentId }
        : null;
    return { outcome, answeredBy };
  }

  private subscribe(
    target: string,
    pattern: string,
    byAgent: boolean,
  ): { id: string; target: string; pattern: string } {
    const sub = this.anon.subscribeReports(target, pattern, { byAgent });
    const id = `s${this.nextSub++}`;
    this.subscriptions.set(id, sub);
    return { id, target, pattern };
  }
}
