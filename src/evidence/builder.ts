/**
 * Builds synthetic but realistic histories: processes with their own clocks and incarnations, links at both
 * ends, bindings propagated over links and withdrawn when links close (S-22), requests, reports, faults,
 * lifecycle changes and steps. For tests, fixtures and demos; it records through a real {@link Recorder}.
 */
import type { BindingEvent, CloseReason, ExchangeEvent, LinkState, RequestOutcomeKind, Role } from "../exchange";
import type { LabFaultDescription, LabLifecycleState } from "../lab";
import type { ScenarioHistory, StepStatus, TopologySummary } from "./history";
import { Recorder } from "./recorder";

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
      state === "DIALING" ? undefined : { nodeName: o.peer.node, incarnation: o.peer.incarnation, role: o.peer.role };
    this.emit({
      type: "link",
      state,
      linkId,
      group,
      role: this.role,
      dialer: o.dialer ?? false,
      ...(peer ? { peer } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    });
    if (state === "CLOSED") this.loseLink(linkId);
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

export interface HistoryBuilderOptions {
  topology?: TopologySummary;
  feature?: string;
  scenario?: string;
  tags?: string[];
  runId?: string;
  /** Epoch ms of t = 0. @default 1_700_000_000_000 */
  start?: number;
}

export class HistoryBuilder {
  now: number;
  readonly recorder: Recorder;
  readonly services = new Map<string, ServiceInfo>();
  private readonly handles = new Map<string, ProcessHandle>();
  private openStep?: { keyword: string; text: string; startedAt: number };

  constructor(o: HistoryBuilderOptions = {}) {
    this.now = o.start ?? 1_700_000_000_000;
    this.recorder = new Recorder({
      clock: () => this.now,
      topology: o.topology ?? { name: "synthetic", processes: [] },
      runId: o.runId ?? "run-synthetic",
      feature: o.feature ?? "Synthetic feature",
      scenario: o.scenario ?? "Synthetic scenario",
      tags: o.tags ?? [],
    });
  }

  process(address: string, o: { node?: string; role?: Role; clockSkew?: number } = {}): ProcessHandle {
    const h = new ProcessHandle(
      this,
      address,
      o.node ?? address,
      o.role ?? (address.split("/")[1]?.startsWith("exchange") ? "server" : "client"),
      o.clockSkew ?? 0,
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
