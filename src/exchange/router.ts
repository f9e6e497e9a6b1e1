/**
 * Routing of agent-addressed frames (S-32, S-36). Relays keep no per-request state.
 *
 *   REQ, SUB              by `to` via the registry's holding link; each hop appends its inbound link id to `path`
 *   SUB_OK, UNSUB, REPORT by `to`, no path (forwarded as received, no re-encoding)
 *   RES, FAIL, NACK,      back along `path`: each hop pops the last link id and sends there;
 *   SUB_REJECT            an empty path means "for this process"
 */
import type { Frame, FrameHeader } from "./codec";
import type { RouterContext } from "./context";
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
