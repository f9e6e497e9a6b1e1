/**
 * Registry propagation between processes (S-17..S-24, S-27, S-28).
 *
 * An event about binding b, arriving on link `in` (of exchange Ein) or originating locally, goes to the
 * ACTIVE links of every exchange E of this process whose group passes the export predicate (S-17):
 *   - E ≠ Ein (or no `in`): b counts as locally originated for E (S-27 bridging):
 *       server → every link; client → its server link.
 *   - E = Ein (S-19 one-hop rule): server → client links, and server links only if `in` is a client link;
 *       client → nothing.
 * The same rule, applied to the whole registry, is the snapshot sent on link-up (S-21).
 */
import { encodeFrame, type Frame } from "./codec";
import type { PropagationContext } from "./context";
import type { CloseReason } from "./events";
import type { Link } from "./link";
import type { ExchangeRef } from "./link-context";
import { bindingOf, num, str } from "./protocol";
import type { Entry } from "./registry";
import type { BindingRecord } from "./types";

function mayCarry(ctx: PropagationContext, e: Entry, ex: ExchangeRef, out: Link): boolean {
  if (!ctx.exportable(e.b.audience, ex.group)) return false;
  const inLink = e.link;
  if (!inLink || inLink.exchange !== ex) return ex.role === "server" || out.peer?.role === "server";
  if (inLink === out || ex.role === "client") return false;
  return out.peer?.role === "client" || inLink.peer?.role === "client";
}

export class Propagation {
  constructor(private readonly ctx: PropagationContext) {}

  /** Sends one encoded frame about `e` wherever S-19/S-27 allow. */
  forward(e: Entry, frame: Buffer): void {
    for (const ex of this.ctx.exchanges()) {
      if (!this.ctx.exportable(e.b.audience, ex.group)) continue;
      for (const out of ex.links) if (out.isActive && mayCarry(this.ctx, e, ex, out)) out.sendRaw(frame);
    }
  }

  /** S-21: snapshot of everything this link may carry, then SNAPSHOT_END. */
  snapshot(link: Link): void {
    let count = 0;
    for (const e of this.ctx.registry._entries()) {
      if (!mayCarry(this.ctx, e, link.exchange, link)) continue;
      link.send({ type: "SNAPSHOT", b: e.b });
      count++;
    }
    link.send({ type: "SNAPSHOT_END", count });
  }

  localAvail(e: Entry): void {
    const frame = encodeFrame({ type: "AVAIL", b: e.b });
    this.ctx.registry._add(e);
    this.forward(e, frame);
  }

  localGroup(e: Entry, change: "JOIN" | "LEAVE", group: string): void {
    const version = e.b.version + 1;
    if (change === "JOIN") this.ctx.registry._join(e, group, version);
    else this.ctx.registry._leave(e, group, version);
    this.forward(e, encodeFrame({ type: change, agentId: e.b.agentId, group, version }));
  }

  localWithdraw(e: Entry, reason: string): void {
    this.ctx.registry._remove(e, reason);
    this.forward(e, encodeFrame({ type: "WITHDRAW", agentId: e.b.agentId, reason }));
  }

  /** S-22: everything learned over a closed link is withdrawn now, in this turn. */
  linkClosed(link: Link, reason: CloseReason): void {
    const why = reason === "PEER_RESTARTED" || reason === "SHUTDOWN" ? reason : "LINK_LOST";
    const reg = this.ctx.registry;
    for (const id of reg._heldVia(link)) {
      const e = reg._get(id);
      if (!e) continue;
      reg._remove(e, why);
      this.forward(e, encodeFrame({ type: "WITHDRAW", agentId: id, reason: why }));
    }
  }

  onFrame(link: Link, f: Frame): void {
    const h = f.h;
    switch (h.type) {
      case "AVAIL":
      case "SNAPSHOT":
        return this.onAvail(link, bindingOf(h));
      case "JOIN":
      case "LEAVE":
        return this.onGroup(link, h.type, str(h, "agentId"), str(h, "group"), num(h, "version"));
      case "WITHDRAW":
        return this.onWithdraw(link, str(h, "agentId"), str(h, "reason"));
    }
  }

  private onAvail(link: Link, b: BindingRecord): void {
    const ctx = this.ctx;
    if (!ctx.exportable(b.audience, link.exchange.group)) {
      const why = "exchange: ignored a binding whose audience excludes this link's group";
      ctx.logger.warn({ agentId: b.agentId, audience: b.audience, linkId: link.id }, why);
      return;
    }
    const held = ctx.registry._get(b.agentId);
    if (!held) {
      const e: Entry = { b, location: "remote", link };
      ctx.registry._add(e);
      this.forward(e, encodeFrame({ type: "AVAIL", b: { ...b } }));
      return;
    }
    if (held.link === link) {
      for (const g of b.groups)
        if (!held.b.groups.includes(g))
          this.onGroup(link, "JOIN", b.agentId, g, Math.max(b.version, held.b.version + 1));
      for (const g of held.b.groups)
        if (!b.groups.includes(g)) this.onGroup(link, "LEAVE", b.agentId, g, Math.max(b.version, held.b.version + 1));
      return;
    }
    const loop = held.location === "local" || held.link?.exchange !== link.exchange;
    const where = held.link ? `via ${held.link.id} (group "${held.link.exchange.group}")` : "locally";
    const detail = `already held ${where}`;
    ctx.anomaly(loop ? "TOPOLOGY_LOOP" : "DUP_BINDING_PATH", { agentId: b.agentId, linkId: link.id, detail });
  }

  private onGroup(link: Link, change: "JOIN" | "LEAVE", agentId: string, group: string, version: number): void {
    const e = this.ctx.registry._get(agentId);
    if (!e || e.link !== link || version <= e.b.version) return;
    if (change === "JOIN") this.ctx.registry._join(e, group, version);
    else this.ctx.registry._leave(e, group, version);
    this.forward(e, encodeFrame({ type: change, agentId, group, version }));
  }

  private onWithdraw(link: Link, agentId: string, reason: string): void {
    const e = this.ctx.registry._get(agentId);
    if (!e || e.link !== link) return;
    this.ctx.registry._remove(e, reason);
    this.forward(e, encodeFrame({ type: "WITHDRAW", agentId, reason }));
  }
}
