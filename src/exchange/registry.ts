import type { BindingEvent } from "./events";
import type { EventHub } from "./hub";
import type { Link } from "./link";
import type {
  BindingRecord,
  BindingView,
  ExchangeLogger,
  RegistryChange,
  RegistryNotice,
  RegistrySubscription,
} from "./types";

/** A binding held by this process; remote ones remember their holding link (S-20). */
export interface Entry {
  b: BindingRecord;
  location: "local" | "remote";
  link?: Link;
}

export type Observer = (
  change: RegistryChange,
  e: Entry,
  serviceGroup: string | undefined,
  reason: string | undefined,
) => void;

interface Sub {
  match: (change: RegistryChange, e: Entry, serviceGroup: string | undefined) => boolean;
  cb: (n: RegistryNotice) => void;
  tag?: string;
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
function dropFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s && s.delete(v) && s.size === 0) m.delete(k);
}

/**
 * The process's view of every binding it can see (S-25): lookups, and subscriptions that replay the
 * current state (AVAIL, then JOIN per group) and then deliver deltas, atomically. Change order per agent
 * follows S-24: AVAIL → (JOIN|LEAVE)* → LEAVE* → WITHDRAW.
 */
export class Registry {
  private readonly entries = new Map<string, Entry>();
  private readonly byName = new Map<string, Set<string>>();
  private readonly byGroup = new Map<string, Set<string>>();
  private readonly byLink = new Map<Link, Set<string>>();
  private readonly observers: Observer[] = [];
  private readonly subs = new Set<Sub>();

  /** @internal */
  constructor(
    private readonly hub: EventHub,
    private readonly logger: ExchangeLogger,
  ) {}

  lookupByName(name: string): BindingView[] {
    return [...(this.byName.get(name) ?? [])].map((id) => view(this.entries.get(id)!));
  }

  lookupByAgent(agentId: string): BindingView | undefined {
    const e = this.entries.get(agentId);
    return e && view(e);
  }

  /** Members of a service group (S-30). */
  lookupGroup(group: string): BindingView[] {
    return [...(this.byGroup.get(group) ?? [])].map((id) => view(this.entries.get(id)!));
  }

  all(): BindingView[] {
    return [...this.entries.values()].map(view);
  }

  get size(): number {
    return this.entries.size;
  }

  subscribeAll(cb: (n: RegistryNotice) => void, opts: { location?: "local" | "remote" } = {}): RegistrySubscription {
    return this.subscribe({ cb, match: (_c, e) => !opts.location || e.location === opts.location });
  }

  subscribeName(name: string, cb: (n: RegistryNotice) => void): RegistrySubscription {
    return this.subscribe({ cb, match: (_c, e) => e.b.serviceName === name });
  }

  /** Watches one agent; `status` is its state now. `tag` only labels the subscription (OSE's subscription tag). */
  subscribeAgent(
    agentId: string,
    cb: (n: RegistryNotice) => void,
    tag?: string,
  ): RegistrySubscription & { status: "AVAILABLE" | "WITHDRAWN" } {
    const status: "AVAILABLE" | "WITHDRAWN" = this.entries.has(agentId) ? "AVAILABLE" : "WITHDRAWN";
    return { status, ...this.subscribe({ cb, tag, match: (_c, e) => e.b.agentId === agentId }) };
  }

  /** JOIN/LEAVE of one service group: current members replayed as JOIN. */
  subscribeGroup(group: string, cb: (n: RegistryNotice) => void): RegistrySubscription {
    return this.subscribe({ cb, match: (c, e, g) => (c === "JOIN" || c === "LEAVE") && g === group });
  }

  /** @internal Synchronous observers run before public subscribers. */
  _observe(fn: Observer): void {
    this.observers.push(fn);
  }

  /** @internal */
  _get(agentId: string): Entry | undefined {
    return this.entries.get(agentId);
  }

  /** @internal */
  _byName(name: string): Entry[] {
    const ids = this.byName.get(name);
    if (!ids) return [];
    const out: Entry[] = [];
    for (const id of ids) out.push(this.entries.get(id)!);
    return out;
  }

  /** @internal */
  _entries(): IterableIterator<Entry> {
    return this.entries.values();
  }

  /** @internal Agents held via a link, most recently learned first (S-22 withdraws in reverse order). */
  _heldVia(link: Link): string[] {
    return [...(this.byLink.get(link) ?? [])].reverse();
  }

  /** @internal AVAIL, then one JOIN per group. */
  _add(e: Entry): void {
    const groups = e.b.groups;
    e.b = { ...e.b, groups: [] };
    this.entries.set(e.b.agentId, e);
    addTo(this.byName, e.b.serviceName, e.b.agentId);
    if (e.link) addTo(this.byLink, e.link, e.b.agentId);
    this.notify("AVAIL", e, undefined, undefined);
    for (const g of groups) this._join(e, g, e.b.version);
  }

  /** @internal */
  _join(e: Entry, group: string, version: number): void {
    e.b.version = version;
    if (e.b.groups.includes(group)) return;
    e.b.groups = [...e.b.groups, group].sort();
    addTo(this.byGroup, group, e.b.agentId);
    this.notify("JOIN", e, group, undefined);
  }

  /** @internal */
  _leave(e: Entry, group: string, version: number): void {
    e.b.version = version;
    if (!e.b.groups.includes(group)) return;
    e.b.groups = e.b.groups.filter((g) => g !== group);
    dropFrom(this.byGroup, group, e.b.agentId);
    this.notify("LEAVE", e, group, undefined);
  }

  /** @internal LEAVE every group, then WITHDRAW (S-22, S-23). */
  _remove(e: Entry, reason: string): void {
    if (this.entries.get(e.b.agentId) !== e) return;
    for (const g of [...e.b.groups]) this._leave(e, g, e.b.version);
    this.entries.delete(e.b.agentId);
    dropFrom(this.byName, e.b.serviceName, e.b.agentId);
    if (e.link) dropFrom(this.byLink, e.link, e.b.agentId);
    this.notify("WITHDRAW", e, undefined, reason);
  }

  private subscribe(sub: Sub): RegistrySubscription {
    for (const e of this.entries.values()) {
      const groups = e.b.groups;
      const base = { ...e.b, groups: [] as string[] };
      if (sub.match("AVAIL", e, undefined))
        this.call(sub, { change: "AVAIL", binding: view({ ...e, b: base }), replay: true });
      for (let i = 0; i < groups.length; i++) {
        if (!sub.match("JOIN", e, groups[i])) continue;
        this.call(sub, {
          change: "JOIN",
          binding: view({ ...e, b: { ...base, groups: groups.slice(0, i + 1) } }),
          serviceGroup: groups[i],
          replay: true,
        });
      }
    }
    this.subs.add(sub);
    return { cancel: () => void this.subs.delete(sub) };
  }

  private notify(change: RegistryChange, e: Entry, serviceGroup: string | undefined, reason: string | undefined): void {
    const v = view(e);
    const ev: Omit<BindingEvent, "node" | "incarnation" | "seq" | "time"> = {
      type: "binding",
      change,
      agentId: v.agentId,
      serviceName: v.serviceName,
      audience: v.audience,
      groups: v.groups,
      version: v.version,
      origin: v.origin,
      location: v.location,
      via: v.via,
      serviceGroup,
      reason,
    };
    this.hub.emit(ev);
    for (const o of this.observers) o(change, e, serviceGroup, reason);
    if (this.subs.size === 0) return;
    for (const sub of [...this.subs])
      if (this.subs.has(sub) && sub.match(change, e, serviceGroup))
        this.call(sub, { change, binding: v, serviceGroup, reason, replay: false });
  }

  private call(sub: Sub, n: RegistryNotice): void {
    try {
      sub.cb(n);
    } catch (err) {
      this.logger.error({ err, change: n.change, agentId: n.binding.agentId }, "exchange: registry subscriber threw");
    }
  }
}

export function view(e: Entry): BindingView {
  const v: BindingView = { ...e.b, groups: [...e.b.groups], origin: { ...e.b.origin }, location: e.location };
  if (e.link) v.via = { linkId: e.link.id, group: e.link.exchange.group, peer: e.link.peer?.nodeName ?? "" };
  return v;
}
