/**
 * Routing of agent-addressed frames (S-32, S-36). Relays keep no per-request state.
 *
 *   REQ, SUB              by `to` via the registry's holding link; each hop appends its inbound link id to `path`
 *   SUB_OK, UNSUB, REPORT by `to`, no path (forwarded as received, no re-encoding)
 *   REPORTS               by each of `to`: one frame per next link with its share of the recipients (fanout.ts)
 *   RES, FAIL, NACK,      back along `path`: each hop pops the last link id and sends there;
 *   SUB_REJECT            an empty path means "for this process"
 */
import type { Frame, FrameHeader } from "./codec";
import type { RouterContext } from "./context";
import { OpenReports, publicationsOf, reportsOf, type Outgoing } from "./fanout";
import type { Link } from "./link";
import { OutcomeCodes } from "./types";
import { optNum, str, strArr } from "./protocol";

export type LocalHandler = (h: FrameHeader, payload: Buffer | undefined, path: string[] | undefined) => void;

export class Router {
  constructor(private readonly ctx: RouterContext) {}

  /**
   * Sends a frame addressed to agent `h.to` from this process: delivered locally (next microtask, FIFO)
   * or on the holding link. False when there is no route or the frame is too large.
   */
  send(h: FrameHeader & { to: string }, payload?: Buffer): boolean {
    const e = this.ctx.entry(h.to);
    if (!e) return false;
    if (e.location === "local") {
      queueMicrotask(() => this.deliverLocal(h, payload, h.path === undefined ? undefined : []));
      return true;
    }
    return e.link !== undefined && e.link.isActive && e.link.send(h, payload);
  }

  /**
   * Sends a publication to its recipients: local ones as REPORT (next microtask, FIFO), remote ones in one
   * REPORTS frame per link, joined to the link's open frame when it has the same publisher and recipients.
   * Recipients without a route are skipped, and the publication is dropped on a link where it exceeds
   * maxFrameBytes, as REPORT frames are.
   */
  publish(o: Outgoing): void {
    let only: Link | undefined;
    let split = false;
    for (let i = 0; i < o.to.length; i++) {
      const e = this.ctx.entry(o.to[i]);
      if (e?.location === "local") {
        const h = { type: "REPORT", pub: o.pub, to: o.to[i], seq: o.seq, subj: o.subj, pats: o.pats[i] };
        const payload = o.payload;
        queueMicrotask(() => this.deliverLocal(o.bin ? { ...h, bin: 1 } : h, payload, undefined));
      }
      const link = e?.location === "remote" && e.link?.isActive ? e.link : undefined;
      if (!link) split = true;
      else if (only === undefined) only = link;
      else if (link !== only) split = true;
    }
    if (!only) return;
    if (!split) return this.enqueue(only, o, o.to, o.pats);
    const shares = new Map<Link, number[]>();
    for (let i = 0; i < o.to.length; i++) {
      const e = this.ctx.entry(o.to[i]);
      if (e?.location !== "remote" || !e.link?.isActive) continue;
      let share = shares.get(e.link);
      if (!share) shares.set(e.link, (share = []));
      share.push(i);
    }
    for (const [link, idx] of shares)
      this.enqueue(
        link,
        o,
        idx.map((i) => o.to[i]),
        idx.map((i) => o.pats[i]),
      );
  }

  private enqueue(link: Link, o: Outgoing, to: string[], pats: string[][]): void {
    const open = link.openFrame;
    if (open instanceof OpenReports && open.fits(o, to, pats)) {
      const bytes = open.add(o, link.maxFrameBytes);
      if (bytes > 0) return link.grew(bytes);
    }
    const f = new OpenReports(o.pub, o.bin, to, pats);
    const bytes = f.add(o, link.maxFrameBytes);
    if (bytes > 0) link.sendDeferred(f, bytes);
  }

  /** Replies along `path`; an empty path is this process (delivered next microtask). */
  reply(path: string[], h: FrameHeader, payload?: Buffer): boolean {
    if (path.length > 0) return this.back(path, h, payload);
    queueMicrotask(() => this.deliverLocal({ ...h, path: [] }, payload, []));
    return true;
  }

  /** Sends a reply back along `path` (the last element is the link to use). */
  back(path: string[], h: FrameHeader, payload?: Buffer): boolean {
    const rest = path.slice(0, -1);
    const linkId = path[path.length - 1];
    const link = linkId === undefined ? undefined : this.ctx.link(linkId);
    if (!link || !link.isActive) {
      const detail = `${h.type} ${String(h.id ?? "")}: return hop ${linkId ?? "(none)"} is gone`;
      this.ctx.anomaly("ORPHAN_REPLY", { linkId, detail });
      return false;
    }
    return link.send({ ...h, path: rest }, payload);
  }

  onFrame(link: Link, f: Frame): void {
    const h = f.h;
    switch (h.type) {
      case "REQ":
      case "SUB":
        return this.forwardWithPath(link, f);
      case "SUB_OK":
      case "UNSUB":
      case "REPORT":
        return this.forwardAsIs(f);
      case "REPORTS":
        return this.forwardReports(f);
      case "RES":
      case "FAIL":
      case "NACK":
      case "SUB_REJECT":
        return this.returnAlongPath(f);
    }
  }

  private forwardWithPath(link: Link, f: Frame): void {
    const h = f.h;
    const to = str(h, "to");
    str(h, "from");
    const path = [...strArr(h, "path"), link.id];
    const e = this.ctx.entry(to);
    if (e?.location === "local") return this.deliverLocal(h, f.payload, path);
    if (e?.link?.isActive && e.link.send({ ...h, path }, f.payload)) return;
    const why = e ? "route to the target is down" : `no binding for ${to} at ${this.ctx.nodeName}`;
    if (h.type === "REQ") {
      this.back(path, {
        type: "NACK",
        id: str(h, "id"),
        code: OutcomeCodes.SERVICE_UNAVAILABLE,
        reason: "NO_ROUTE",
        desc: why,
      });
    } else {
      this.back(path, {
        type: "SUB_REJECT",
        from: to,
        to: h.from,
        pattern: h.pattern,
        reason: "UNAVAILABLE",
        desc: why,
      });
    }
  }

  private forwardAsIs(f: Frame): void {
    const to = str(f.h, "to");
    const e = this.ctx.entry(to);
    if (e?.location === "local") return this.deliverLocal(f.h, f.payload, undefined);
    if (e?.link?.isActive) e.link.sendRaw(f.raw);
  }

  /**
   * Each link gets one frame with its share of the recipients (the frame as received if it takes them all). The
   * whole frame is checked first, so a malformed one closes the link it came on and goes no further.
   */
  private forwardReports(f: Frame): void {
    const r = reportsOf(f.h);
    publicationsOf(f.h, f.payload);
    let local: number[] | undefined;
    let shares: Map<Link, number[]> | undefined;
    for (let i = 0; i < r.to.length; i++) {
      const e = this.ctx.entry(r.to[i]);
      if (e?.location === "local") (local ??= []).push(i);
      else if (e?.link?.isActive) {
        let share = shares?.get(e.link);
        if (!share) (shares ??= new Map()).set(e.link, (share = []));
        share.push(i);
      }
    }
    if (shares)
      for (const [link, idx] of shares) {
        if (idx.length === r.to.length) link.sendRaw(f.raw);
        else link.send({ ...f.h, to: idx.map((i) => r.to[i]), pats: idx.map((i) => r.pats[i]) }, f.payload);
      }
    if (local) this.ctx.reports(f.h, f.payload, r, local, shares !== undefined);
  }

  private returnAlongPath(f: Frame): void {
    const path = strArr(f.h, "path");
    if (path.length > 0) {
      this.back(path, f.h, f.payload);
      return;
    }
    optNum(f.h, "code");
    this.deliverLocal(f.h, f.payload, path);
  }

  private deliverLocal(h: FrameHeader, payload: Buffer | undefined, path: string[] | undefined): void {
    switch (h.type) {
      case "REQ":
        return this.ctx.serve(h, payload, path ?? []);
      case "RES":
      case "FAIL":
      case "NACK":
        return this.ctx.settle(h, payload);
      default:
        return this.ctx.report(h, payload, path);
    }
  }
}
