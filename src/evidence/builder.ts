/**
 * Builds synthetic but realistic histories: processes with their own clocks and incarnations, links at both
 * ends, bindings propagated over links and withdrawn when links close (S-22), requests, reports, faults,
 * lifecycle changes and steps. For tests, fixtures and demos; it records through a real {@link Recorder}.
 */
import type {
  BindingEvent,
  CloseReason,
  ExchangeEvent,
  LinkState,
  RequestOutcomeKind,
  Role,
  SubscriptionEvent,
} from "../exchange";
import type { LabFaultDescription, LabLifecycleState, OperationOutcome } from "../lab";
import type {
  LinkSummary,
  ScenarioHistory,
  StepStatus,
  TimingSummary,
  TopologySummary,
  WorkloadSummary,
} from "./history";
import { Recorder } from "./recorder";
import { DEFAULT_TIMING } from "./windows";

type EventBody = ExchangeEvent extends infer E
  ? E extends ExchangeEvent
    ? Omit<E, "node" | "incarnation" | "seq" | "time">
    : never
  : never;

interface Held {
  linkId?: string;
  groups: Set<string>;
}

interface LinkInfo {
  group: string;
  peer: ProcessHandle;
}

export interface ServiceInfo {
  name: string;
  audience: string;
  owner: ProcessHandle;
  version: number;
  groups: Set<string>;
}

export class ProcessHandle {
  incarnation: string;
  private seq = 0;
  private agents = 0;
  private restarts = 0;
  readonly links = new Map<string, LinkInfo>();
  readonly held = new Map<string, Held>();

  constructor(
    private readonly b: HistoryBuilder,
    readonly address: string,
    readonly node: string,
    readonly role: Role,
    /** This process's clock minus the lab clock, in ms. */
    readonly clockSkew: number,
    /** Its role in particular exchange groups, when not `role` (a bridge: a client in one, a server in another). */
    readonly roles: Record<string, Role> = {},
  ) {
    this.incarnation = `${address.replace(/\W/g, "")}-i0`;
  }

  get machine(): string {
    return this.address.split("/")[0];
  }

  emit(body: EventBody): void {
    const ev = {
      ...body,
      node: this.node,
      incarnation: this.incarnation,
      seq: ++this.seq,
      time: this.b.now + this.clockSkew,
    } as ExchangeEvent;
    this.b.recorder.exchange(this.machine, this.address, ev);
  }

  link(
    linkId: string,
    state: LinkState,
    o: { peer: ProcessHandle; group?: string; dialer?: boolean; reason?: CloseReason },
  ): void {
    const group = o.group ?? this.links.get(linkId)?.group ?? "";
    this.links.set(linkId, { group, peer: o.peer });
    const peer =
      state === "DIALING"
        ? undefined
        : { nodeName: o.peer.node, incarnation: o.peer.incarnation, role: o.peer.roleIn(group) };
    this.emit({
      type: "link",
      state,
      linkId,
      group,
      role: this.roleIn(group),
      dialer: o.dialer ?? false,
      ...(peer ? { peer } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    });
    if (state === "CLOSED") this.loseLink(linkId);
  }

  /** Its role in exchange group `group`. */
  roleIn(group: string): Role {
    return this.roles[group] ?? this.role;
  }

  /** Offers a local service; returns its agent id. */
  offer(name: string, o: { audience?: string; groups?: string[] } = {}): string {
    const agentId = `${this.node}/${this.incarnation}/${++this.agents}`;
    const info: ServiceInfo = {
      name,
      audience: o.audience ?? "*",
      owner: this,
      version: 1,
      groups: new Set(o.groups ?? []),
    };
    this.b.services.set(agentId, info);
    this.held.set(agentId, { groups: new Set(info.groups) });
    this.emit(this.binding("AVAIL", agentId, info));
    return agentId;
  }

  /** Records that this process learned `agentId` over `linkId` (a remote AVAIL with the current groups). */
  learn(agentId: string, linkId: string, o: { audience?: string } = {}): void {
    const info = this.service(agentId);
    this.held.set(agentId, { linkId, groups: new Set(info.groups) });
    this.emit(this.binding("AVAIL", agentId, info, { linkId, audience: o.audience }));
  }

  join(agentId: string, group: string): void {
    const info = this.service(agentId);
    if (info.owner === this) {
      info.groups.add(group);
      info.version++;
    }
    this.held.get(agentId)?.groups.add(group);
    this.emit(this.binding("JOIN", agentId, info, { serviceGroup: group }));
  }

  leave(agentId: string, group: string): void {
    const info = this.service(agentId);
    if (info.owner === this) {
      info.groups.delete(group);
      info.version++;
    }
    this.held.get(agentId)?.groups.delete(group);
    this.emit(this.binding("LEAVE", agentId, info, { serviceGroup: group }));
  }

  /** LEAVE for each group held, then WITHDRAW (S-22/S-23). */
  withdraw(agentId: string, reason = "WITHDRAWN"): void {
    const info = this.service(agentId);
    for (const g of [...(this.held.get(agentId)?.groups ?? [])]) this.leave(agentId, g);
    this.held.delete(agentId);
    this.emit(this.binding("WITHDRAW", agentId, info, { reason }));
  }

  /** A request began (`request-sent`); `timeoutMs` sets its deadline on this process's clock (none: no deadline). */
  sent(
    conversationId: string,
    o: { toAgent?: string; fromAgent?: string; target?: string; method?: string; timeoutMs?: number } = {},
  ): void {
    const target = o.target ?? (o.toAgent ? (this.b.services.get(o.toAgent)?.name ?? o.toAgent) : "?");
    this.emit({
      type: "request-sent",
      conversationId,
      fromAgent: o.fromAgent ?? `${this.node}/${this.incarnation}/0`,
      target,
      method: o.method ?? "call",
      ...(o.toAgent ? { toAgent: o.toAgent } : {}),
      ...(o.timeoutMs !== undefined ? { deadline: this.b.now + this.clockSkew + o.timeoutMs } : {}),
    });
  }

  request(
    conversationId: string,
    outcome: RequestOutcomeKind,
    o: { toAgent?: string; fromAgent?: string; target?: string; method?: string } = {},
  ): void {
    const target = o.target ?? (o.toAgent ? (this.b.services.get(o.toAgent)?.name ?? o.toAgent) : "?");
    this.emit({
      type: "request",
      outcome,
      conversationId,
      fromAgent: o.fromAgent ?? `${this.node}/${this.incarnation}/0`,
      target,
      method: o.method ?? "call",
      ...(o.toAgent ? { toAgent: o.toAgent } : {}),
    });
  }

  report(o: {
    publisher: string;
    seq: number;
    subscriber: string;
    subject: string;
    cached?: boolean;
    patterns?: string[];
  }): void {
    this.emit({
      type: "report",
      publisher: o.publisher,
      publicationSeq: o.seq,
      subscriber: o.subscriber,
      subject: o.subject,
      matchedPatterns: o.patterns ?? ["*"],
      cached: o.cached ?? false,
    });
  }

  /** A subscription edge changed at this process (S-36): `side` says which end this process is. */
  subscription(
    state: SubscriptionEvent["state"],
    side: SubscriptionEvent["side"],
    o: { subscriber: string; publisher: string; pattern?: string },
  ): void {
    this.emit({
      type: "subscription",
      state,
      side,
      subscriber: o.subscriber,
      publisher: o.publisher,
      pattern: o.pattern ?? "*",
    });
  }

  /** The anonymous agent a lab host calls, subscribes and receives reports with (never announced here). */
  get anonymous(): string {
    return this.agent(0);
  }

  /** A new incarnation: seq restarts at 1, nothing is held, no link is open. */
  restart(): void {
    this.incarnation = `${this.address.replace(/\W/g, "")}-i${++this.restarts}`;
    this.seq = 0;
    this.agents = 0;
    this.links.clear();
    this.held.clear();
  }

  agent(n: number): string {
    return `${this.node}/${this.incarnation}/${n}`;
  }

  private loseLink(linkId: string): void {
    for (const [agentId, held] of [...this.held]) if (held.linkId === linkId) this.withdraw(agentId, "LINK_LOST");
  }

  private service(agentId: string): ServiceInfo {
    const info = this.b.services.get(agentId);
    if (!info) throw new Error(`HistoryBuilder: unknown agent ${agentId}; offer it first`);
    return info;
  }

  private binding(
    change: BindingEvent["change"],
    agentId: string,
    info: ServiceInfo,
    o: { linkId?: string; audience?: string; serviceGroup?: string; reason?: string } = {},
  ): EventBody {
    const held = this.held.get(agentId);
    const linkId = o.linkId ?? held?.linkId;
    const link = linkId ? this.links.get(linkId) : undefined;
    const remote = info.owner !== this;
    return {
      type: "binding",
      change,
      agentId,
      serviceName: info.name,
      audience: o.audience ?? info.audience,
      groups: change === "WITHDRAW" ? [] : [...(held?.groups ?? info.groups)].sort(),
      version: info.version,
      origin: { nodeName: info.owner.node, incarnation: agentId.split("/").slice(-2)[0] },
      location: remote ? "remote" : "local",
      ...(remote && linkId && link ? { via: { linkId, group: link.group, peer: link.peer.node } } : {}),
      ...(o.serviceGroup !== undefined ? { serviceGroup: o.serviceGroup } : {}),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
    };
  }
}

/** A workload of the history: records its operations and the reports subscribers received from it. */
export class WorkloadHandle {
  private last = 0;

  constructor(
    private readonly b: HistoryBuilder,
    readonly spec: WorkloadSummary,
    /** The publishing agent (publish workloads). */
    readonly publisher?: string,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  /**
   * One settled operation, numbered next (or `n`), that started now (or `start`, ms since the scenario started)
   * and took `latencyMs` (default 2). Outcome: RESPONSE for calls, PUBLISHED for publications. Returns its number.
   */
  op(o: { outcome?: OperationOutcome; latencyMs?: number; n?: number; start?: number; detail?: string } = {}): number {
    const n = o.n ?? this.last + 1;
    this.last = Math.max(this.last, n);
    const start = o.start !== undefined ? this.b.startedAt + o.start : this.b.now;
    const publish = this.spec.kind === "publish";
    this.b.recorder.operation(this.spec.process, {
      workload: this.spec.id,
      n,
      op: publish ? "publish" : "call",
      target: this.spec.service,
      ...(publish ? { subject: this.spec.subject ?? "" } : {}),
      start,
      end: start + (o.latencyMs ?? (publish ? 0 : 2)),
      outcome: o.outcome ?? (publish ? "PUBLISHED" : "RESPONSE"),
      ...(o.detail !== undefined ? { detail: o.detail } : {}),
    });
    return n;
  }

  /** `count` operations, one every `everyMs` (default the workload's period, else 10), advancing the clock. */
  run(count: number, o: { everyMs?: number; latencyMs?: number; outcome?: OperationOutcome } = {}): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      out.push(this.op({ outcome: o.outcome, latencyMs: o.latencyMs }));
      this.b.advance(o.everyMs ?? this.spec.everyMs ?? 10);
    }
    return out;
  }

  /** `to` received the reports numbered `n` now (live unless `cached`). */
  deliver(to: ProcessHandle | string, n: number | number[], o: { cached?: boolean; publisher?: string } = {}): void {
    const address = typeof to === "string" ? to : to.address;
    for (const k of Array.isArray(n) ? n : [n]) {
      this.b.recorder.delivery(address, {
        n: ++this.b.deliveries,
        time: this.b.now,
        publisher: o.publisher ?? this.publisher ?? `${this.spec.process}/publisher`,
        publicationSeq: k,
        subject: this.spec.subject ?? "",
        content: { workload: this.spec.id, n: k },
        matchedPatterns: ["*"],
        cached: o.cached ?? false,
      });
    }
  }

  stop(): void {
    this.b.recorder.workload("stopped", this.spec);
  }
}

export interface HistoryBuilderOptions {
  topology?: TopologySummary;
  /** The exchanges' timing (merged over the spec's defaults) kept in the topology summary. */
  timing?: Partial<TimingSummary>;
  /** The links the plan dials, kept in the topology summary. */
  links?: LinkSummary[];
  feature?: string;
  scenario?: string;
  tags?: string[];
  runId?: string;
  /** Epoch ms of t = 0. @default 1_700_000_000_000 */
  start?: number;
}

export class HistoryBuilder {
  now: number;
  /** Epoch ms of t = 0. */
  readonly startedAt: number;
  readonly recorder: Recorder;
  readonly services = new Map<string, ServiceInfo>();
  /** Reports received so far (numbers each delivery, as a host's report log does). */
  deliveries = 0;
  private readonly handles = new Map<string, ProcessHandle>();
  private openStep?: { keyword: string; text: string; startedAt: number };
  private workloads = 0;

  constructor(o: HistoryBuilderOptions = {}) {
    this.now = o.start ?? 1_700_000_000_000;
    this.startedAt = this.now;
    const topology = o.topology ?? { name: "synthetic", processes: [] };
    this.recorder = new Recorder({
      clock: () => this.now,
      topology: {
        ...topology,
        ...(o.timing ? { timing: { ...DEFAULT_TIMING, ...topology.timing, ...o.timing } } : {}),
        ...(o.links ? { links: o.links } : {}),
      },
      runId: o.runId ?? "run-synthetic",
      feature: o.feature ?? "Synthetic feature",
      scenario: o.scenario ?? "Synthetic scenario",
      tags: o.tags ?? [],
    });
  }

  process(
    address: string,
    o: { node?: string; role?: Role; roles?: Record<string, Role>; clockSkew?: number } = {},
  ): ProcessHandle {
    const h = new ProcessHandle(
      this,
      address,
      o.node ?? address,
      o.role ?? (address.split("/")[1]?.startsWith("exchange") ? "server" : "client"),
      o.clockSkew ?? 0,
      o.roles,
    );
    this.handles.set(address, h);
    return h;
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Both ends of one link go ACTIVE then SYNCED: `a` dialled. Returns [a's linkId, b's linkId]. */
  connect(a: ProcessHandle, b: ProcessHandle, o: { group?: string; id: string }): [string, string] {
    const ids: [string, string] = [`${o.id}a`, `${o.id}b`];
    a.link(ids[0], "DIALING", { peer: b, group: o.group, dialer: true });
    a.link(ids[0], "ACTIVE", { peer: b, dialer: true });
    b.link(ids[1], "ACTIVE", { peer: a, group: o.group });
    a.link(ids[0], "SYNCED", { peer: b, dialer: true });
    b.link(ids[1], "SYNCED", { peer: a });
    return ids;
  }

  /** Both ends close (and withdraw what they learned over the link). */
  disconnect(a: ProcessHandle, b: ProcessHandle, ids: [string, string], reason: CloseReason = "IDLE_TIMEOUT"): void {
    a.link(ids[0], "CLOSED", { peer: b, dialer: true, reason });
    b.link(ids[1], "CLOSED", { peer: a, reason });
  }

  /** Ms since the scenario started. */
  get t(): number {
    return this.now - this.startedAt;
  }

  /**
   * Starts a workload (recorded as started now): calls from `process` to `service`, or publications of `service`
   * (its agent `o.publisher`) on `o.subject`. Ids are "w1", "w2"… as the lab gives them.
   */
  workload(
    process: ProcessHandle | string,
    kind: "calls" | "publish",
    service: string,
    o: Partial<Omit<WorkloadSummary, "process" | "kind" | "service">> & { publisher?: string } = {},
  ): WorkloadHandle {
    const { publisher, ...rest } = o;
    const spec: WorkloadSummary = {
      id: o.id ?? `w${++this.workloads}`,
      process: typeof process === "string" ? process : process.address,
      kind,
      service,
      ...(kind === "publish" ? { subject: "ticks" } : {}),
      ...rest,
    };
    this.recorder.workload("started", spec);
    return new WorkloadHandle(this, spec, publisher);
  }

  /** A subscription edge from `subscriber`'s anonymous agent (or `o.agent`) to the publisher agent, at both ends. */
  subscribe(
    subscriber: ProcessHandle,
    publisher: string,
    o: { pattern?: string; agent?: string; state?: "REQUESTED" | "WITHDRAWN" } = {},
  ): void {
    const owner = this.services.get(publisher)?.owner;
    const edge = { subscriber: o.agent ?? subscriber.anonymous, publisher, pattern: o.pattern ?? "*" };
    owner?.subscription(o.state ?? "REQUESTED", "publisher", edge);
    subscriber.subscription(o.state ?? "REQUESTED", "subscriber", edge);
  }

  fault(action: "applied" | "healed", faultId: string, fault: LabFaultDescription): this {
    this.recorder.fault(action, faultId, fault);
    return this;
  }

  lifecycle(target: string, state: LabLifecycleState, detail?: string): this {
    this.recorder.lifecycle(target, state, detail);
    return this;
  }

  /** Opens a step at the current time; events until {@link endStep} happen during it. */
  beginStep(keyword: string, text: string): this {
    this.openStep = { keyword, text, startedAt: this.recorder.now() };
    return this;
  }

  endStep(status: StepStatus = "passed", error?: string): this {
    const s = this.openStep;
    if (!s) throw new Error("HistoryBuilder: endStep without beginStep");
    this.openStep = undefined;
    this.recorder.step({ ...s, status, durationMs: this.recorder.now() - s.startedAt, ...(error ? { error } : {}) });
    return this;
  }

  history(): ScenarioHistory {
    return this.recorder.history();
  }
}
