/**
 * Request/reply (S-31..S-35): every request settles exactly once; a pending request watches its target
 * and settles SERVICE_WITHDRAWN in the same turn as the target's WITHDRAW. Each conversation emits one
 * `request-sent` event when it begins and one `request` event when it settles (events.ts).
 */
import { decodePayload, encodePayload, payloadFlag, type FrameHeader } from "./codec";
import type { RequestsContext } from "./context";
import { ServiceFailure } from "./errors";
import { num, optNum, optStr, str } from "./protocol";
import type { Entry } from "./registry";
import { OutcomeCodes, type Outcome, type PendingDump, type RequestOptions } from "./types";

/** Client-side code for arguments that cannot be sent (not JSON, or over maxFrameBytes). */
export const CLIENT_BAD_REQUEST = 40;

interface Pending extends PendingDump {
  resolve: (o: Outcome) => void;
  timer?: NodeJS.Timeout;
  unabort?: () => void;
  done?: boolean;
}

type Reply = (h: FrameHeader, payload?: Buffer) => void;

export class Requests {
  private readonly pending = new Map<string, Pending>();
  private readonly byTarget = new Map<string, Set<Pending>>();

  constructor(private readonly ctx: RequestsContext) {
    ctx.observe((change, e, _g, reason) => {
      if (change === "WITHDRAW") this.onWithdrawn(e, reason ?? "WITHDRAWN");
    });
  }

  request(
    fromAgent: string,
    target: string,
    entry: Entry | undefined,
    method: string,
    args: unknown,
    opts: RequestOptions,
  ): Promise<Outcome> {
    const ctx = this.ctx;
    const conversationId = ctx.nextConversationId();
    const timeoutMs = opts.timeoutMs ?? ctx.timing.requestTimeoutMs;
    return new Promise<Outcome>((resolve) => {
      const p: Pending = { conversationId, fromAgent, target, method, resolve, toAgent: entry?.b.agentId };
      if (timeoutMs > 0) p.deadline = ctx.clock.now() + timeoutMs;
      const { toAgent, deadline } = p;
      ctx.emit({ type: "request-sent", conversationId, fromAgent, target, method, toAgent, deadline });
      const ex = { conversationId, origin: "exchange" as const };
      if (!entry)
        return this.finish(p, {
          ...ex,
          kind: "SERVICE_UNAVAILABLE",
          code: 46,
          description: `no service or agent "${target}" is visible`,
        });
      if (opts.signal?.aborted)
        return this.finish(p, { ...ex, kind: "CANCELLED", code: 48, description: "aborted before sending" });
      let payload: Buffer | undefined;
      try {
        payload = encodePayload(args);
      } catch (err) {
        return this.finish(p, {
          ...ex,
          kind: "FAILURE",
          from: "",
          code: CLIENT_BAD_REQUEST,
          description: `arguments cannot be encoded as JSON: ${(err as Error).message}`,
        });
      }
      this.pending.set(conversationId, p);
      let set = this.byTarget.get(entry.b.agentId);
      if (!set) this.byTarget.set(entry.b.agentId, (set = new Set()));
      set.add(p);
      if (timeoutMs > 0)
        p.timer = setTimeout(
          () =>
            this.finish(p, { ...ex, kind: "REQUEST_TIMEOUT", code: 47, description: `no reply within ${timeoutMs}ms` }),
          timeoutMs,
        );
      if (opts.signal) {
        const signal = opts.signal;
        const onAbort = (): void =>
          this.finish(p, { ...ex, kind: "CANCELLED", code: 48, description: "aborted by the caller" });
        signal.addEventListener("abort", onAbort, { once: true });
        p.unabort = () => signal.removeEventListener("abort", onAbort);
      }
      const h = {
        type: "REQ",
        id: conversationId,
        from: fromAgent,
        to: entry.b.agentId,
        m: method,
        dl: p.deadline,
        path: [] as string[],
        ...payloadFlag(args),
      };
      if (entry.location === "local") {
        queueMicrotask(() => this.serve(h.to, h, payload, (rh, rp) => this.onReply(rh, rp)));
      } else if (!entry.link?.send(h, payload)) {
        this.finish(p, {
          ...ex,
          kind: "FAILURE",
          from: "",
          code: CLIENT_BAD_REQUEST,
          description: `request of ${payload?.length ?? 0} payload bytes exceeds maxFrameBytes or its link is down`,
        });
      }
    });
  }

  /** A REQ that arrived over a link for a local agent. */
  serveFrame(h: FrameHeader, payload: Buffer | undefined, path: string[]): void {
    const reply = this.ctx.reply;
    str(h, "id");
    str(h, "m");
    optNum(h, "dl");
    this.serve(str(h, "to"), h, payload, (rh, rp) => {
      if (reply(path, rh, rp) || rh.type !== "RES") return;
      const desc = "response exceeds maxFrameBytes";
      reply(path, { ...rh, type: "FAIL", code: OutcomeCodes.SERVER_APPLICATION_ERROR, desc, origin: "exchange" });
    });
  }

  onReply(h: FrameHeader, payload: Buffer | undefined): void {
    const id = str(h, "id");
    const p = this.pending.get(id);
    if (!p) {
      const ours = id.startsWith(this.ctx.conversationPrefix);
      const detail = `${h.type} for ${ours ? "settled" : "unknown"} conversation ${id}`;
      this.ctx.anomaly(ours ? "LATE_REPLY" : "ORPHAN_REPLY", { detail });
      return;
    }
    const from = optStr(h, "from") ?? p.toAgent ?? "";
    if (h.type === "RES")
      this.finish(p, { kind: "RESPONSE", conversationId: id, from, result: decodePayload(payload, h.bin) });
    else if (h.type === "FAIL")
      this.finish(p, {
        kind: "FAILURE",
        conversationId: id,
        from,
        code: num(h, "code"),
        description: optStr(h, "desc") ?? "",
        origin: optStr(h, "origin") ?? "service",
        details: decodePayload(payload, h.bin),
      });
    else
      this.finish(p, {
        kind: "SERVICE_UNAVAILABLE",
        conversationId: id,
        code: 46,
        origin: "exchange",
        description: optStr(h, "desc") ?? "no route to the target",
      });
  }

  /** Settles everything still pending as CANCELLED (node close). */
  cancelAll(description: string): void {
    for (const p of [...this.pending.values()])
      this.finish(p, {
        kind: "CANCELLED",
        conversationId: p.conversationId,
        code: 48,
        origin: "exchange",
        description,
      });
  }

  dump(): PendingDump[] {
    return [...this.pending.values()].map((p) => ({
      conversationId: p.conversationId,
      fromAgent: p.fromAgent,
      toAgent: p.toAgent,
      target: p.target,
      method: p.method,
      deadline: p.deadline,
    }));
  }

  private serve(agentId: string, h: FrameHeader, payload: Buffer | undefined, reply: Reply): void {
    const id = h.id as string;
    const agent = this.ctx.agent(agentId);
    if (!agent || agent.withdrawn)
      return reply({ type: "NACK", id, code: 46, reason: "WITHDRAWN", desc: `agent ${agentId} is gone` });
    const handler = agent.handler;
    if (!handler)
      return reply({
        type: "FAIL",
        id,
        from: agentId,
        code: OutcomeCodes.SERVER_METHOD_UNAVAILABLE,
        desc: `agent ${agentId} serves no requests`,
        origin: "exchange",
      });
    const ctx = {
      conversationId: id,
      fromAgent: String(h.from),
      method: String(h.m),
      deadline: typeof h.dl === "number" ? h.dl : undefined,
    };
    const fail = (err: unknown): void => {
      if (err instanceof ServiceFailure) {
        let details: Buffer | undefined;
        try {
          details = encodePayload(err.details);
        } catch {
          details = undefined;
        }
        reply(
          {
            type: "FAIL",
            id,
            from: agentId,
            code: err.code,
            desc: err.description,
            origin: err.origin,
            ...(details ? payloadFlag(err.details) : {}),
          },
          details,
        );
      } else {
        reply({
          type: "FAIL",
          id,
          from: agentId,
          code: OutcomeCodes.SERVER_APPLICATION_ERROR,
          desc: err instanceof Error ? err.message : String(err),
          origin: "service",
        });
      }
    };
    let args: unknown;
    try {
      args = decodePayload(payload, h.bin);
    } catch {
      return reply({
        type: "FAIL",
        id,
        from: agentId,
        code: CLIENT_BAD_REQUEST,
        desc: "arguments are not valid JSON",
        origin: "exchange",
      });
    }
    Promise.resolve()
      .then(() => handler(ctx.method, args, ctx))
      .then((result) => {
        let out: Buffer | undefined;
        try {
          out = encodePayload(result);
        } catch (err) {
          return fail(
            new ServiceFailure(
              OutcomeCodes.SERVER_APPLICATION_ERROR,
              `result cannot be encoded as JSON: ${(err as Error).message}`,
              undefined,
              "exchange",
            ),
          );
        }
        reply({ type: "RES", id, from: agentId, ...payloadFlag(result) }, out);
      }, fail)
      .catch((err) => this.ctx.logger.error({ err }, "exchange: reply failed"));
  }

  private onWithdrawn(e: Entry, reason: string): void {
    const set = this.byTarget.get(e.b.agentId);
    if (!set) return;
    for (const p of [...set]) {
      this.finish(p, {
        kind: "SERVICE_WITHDRAWN",
        conversationId: p.conversationId,
        code: 57,
        origin: "exchange",
        reason,
        from: e.b.agentId,
        description: `Service was withdrawn before response received (${reason}).`,
      });
    }
  }

  private finish(p: Pending, o: Outcome): void {
    if (p.done) return;
    p.done = true;
    if (this.pending.get(p.conversationId) === p) this.pending.delete(p.conversationId);
    clearTimeout(p.timer);
    p.unabort?.();
    if (p.toAgent) {
      const set = this.byTarget.get(p.toAgent);
      if (set && set.delete(p) && set.size === 0) this.byTarget.delete(p.toAgent);
    }
    this.ctx.emit({
      type: "request",
      outcome: o.kind,
      conversationId: p.conversationId,
      fromAgent: p.fromAgent,
      toAgent: p.toAgent,
      target: p.target,
      method: p.method,
      code: "code" in o ? o.code : undefined,
      description: "description" in o ? o.description : undefined,
    });
    p.resolve(o);
  }
}
