import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { encodeHead, FrameDecoder, type Frame } from "./codec";
import { FrameError } from "./errors";
import type { CloseReason, LinkEvent, LinkState, PeerIdentity } from "./events";
import type { ExchangeRef, LinkContext } from "./link-context";
import type { Identity } from "./protocol";
import type { LinkDump } from "./types";

export const monotonic = (): number => performance.now();

export interface CloseOptions {
  detail?: string;
  rejectSent?: boolean;
  /** Flush queued frames and end the socket instead of destroying it. */
  graceful?: boolean;
}

/**
 * A frame whose bytes are made when the link flushes. While it is the last frame queued (see
 * {@link Link.openFrame}), its owner may still extend it and then calls {@link Link.grew}.
 */
export interface DeferredFrame {
  /** The frame's bytes (a header and the tails that follow it). */
  encode(): Buffer[];
}

/**
 * One TCP connection of an exchange (S-8..S-15): framing, batched writes, handshake deadline,
 * heartbeats, idle timeout and write-stall cut-off. Frames go to the owning exchange.
 */
export class Link {
  state: LinkState = "DIALING";
  peer?: PeerIdentity;
  peerHeartbeatMs = 0;
  /** The peer's advertised server address (gossip, S-16). */
  peerUrl?: string;
  /** Dialler side: who answered the TCP connection (from IDENT). */
  identPeer?: Identity;
  helloSent = false;
  /** Acceptor side: a HELLO is being decided (waiting for a liveness probe). */
  deciding = false;
  remote?: string;
  local?: string;
  closeReason?: CloseReason;
  lastRecv = monotonic();
  lastSent = monotonic();
  private socket?: Socket;
  private connecting = false;
  private socketError?: Error;
  private readonly decoder: FrameDecoder;
  private out: (Buffer | DeferredFrame)[] = [];
  private outBytes = 0;
  private open?: DeferredFrame;
  private flushQueued = false;
  private stallSince?: number;
  private tickTimer?: NodeJS.Timeout;
  private handshakeTimer?: NodeJS.Timeout;
  private probes: { since: number; done: (alive: boolean) => void }[] = [];

  /** The exchange this link belongs to. */
  readonly exchange: ExchangeRef;

  constructor(
    private readonly ctx: LinkContext<Link>,
    readonly id: string,
    readonly dialer: boolean,
    readonly dialerId?: string,
  ) {
    this.exchange = ctx.exchange;
    this.decoder = new FrameDecoder(ctx.timing.maxFrameBytes);
  }

  get isActive(): boolean {
    return this.state === "ACTIVE" || this.state === "SYNCED";
  }

  get closed(): boolean {
    return this.state === "CLOSED";
  }

  /** The frame limit of this link's node. */
  get maxFrameBytes(): number {
    return this.ctx.timing.maxFrameBytes;
  }

  /** The deferred frame queued last, while nothing has been queued after it and it has not been flushed. */
  get openFrame(): DeferredFrame | undefined {
    return this.open;
  }

  attach(socket: Socket, connecting: boolean): void {
    this.socket = socket;
    this.connecting = connecting;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err) => (this.socketError ??= err));
    socket.on("close", () => this.onSocketClose());
    if (connecting) socket.once("connect", () => this.onConnected());
    else this.noteAddresses();
    const t = this.ctx.timing;
    this.handshakeTimer = setTimeout(
      () =>
        this.close(this.connecting ? "CONNECT_FAILED" : "HANDSHAKE_TIMEOUT", {
          detail: `no handshake within ${t.handshakeTimeoutMs}ms`,
        }),
      t.handshakeTimeoutMs,
    );
    this.handshakeTimer.unref();
    this.tickTimer = setInterval(() => this.tick(), Math.max(5, Math.floor(t.heartbeatMs / 2)));
    this.tickTimer.unref();
  }

  setState(state: LinkState, extra: Partial<LinkEvent> = {}): void {
    this.state = state;
    if (state === "ACTIVE" && this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.emit(state, extra);
  }

  emit(state: LinkState, extra: Partial<LinkEvent> = {}): void {
    this.ctx.emit({
      type: "link",
      state,
      linkId: this.id,
      group: this.exchange.group,
      role: this.exchange.role,
      dialer: this.dialer,
      dialerId: this.dialerId,
      peer: this.peer,
      remote: this.remote,
      local: this.local,
      ...extra,
    } as LinkEvent);
  }

  /** Queues one frame; false when the link is closed or the frame exceeds maxFrameBytes. */
  send(header: object, payload?: Buffer): boolean {
    const head = encodeHead(header, payload?.length ?? 0);
    if (head.length + (payload?.length ?? 0) > this.ctx.timing.maxFrameBytes) return false;
    return this.sendRaw(head, payload);
  }

  /** Queues bytes that make whole frames (`tail`, when given, goes right after `buf`, not copied). */
  sendRaw(buf: Buffer, tail?: Buffer): boolean {
    if (this.state === "CLOSED" || !this.socket) return false;
    this.open = undefined;
    this.out.push(buf);
    this.outBytes += buf.length;
    if (tail && tail.length > 0) {
      this.out.push(tail);
      this.outBytes += tail.length;
    }
    this.scheduleFlush();
    return true;
  }

  /** Queues a frame encoded at flush time; it is the open frame until anything else is queued. */
  sendDeferred(f: DeferredFrame, bytes: number): boolean {
    if (this.state === "CLOSED" || !this.socket) return false;
    this.out.push(f);
    this.open = f;
    this.outBytes += bytes;
    this.scheduleFlush();
    return true;
  }

  /** The open frame grew by about `bytes` (counted against the write-stall limit). */
  grew(bytes: number): void {
    this.outBytes += bytes;
  }

  private scheduleFlush(): void {
    if (!this.flushQueued) {
      this.flushQueued = true;
      process.nextTick(() => this.flush());
    }
  }

  /** Sends PING; resolves true if anything arrives within timeoutMs (S-10 liveness probe). */
  probe(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const p = {
        since: monotonic(),
        done: (alive: boolean) => {
          clearTimeout(timer);
          resolve(alive);
        },
      };
      const timer = setTimeout(() => {
        this.probes = this.probes.filter((x) => x !== p);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.probes.push(p);
      this.send({ type: "PING" });
    });
  }

  close(reason: CloseReason, opts: CloseOptions = {}): void {
    if (this.state === "CLOSED") return;
    this.state = "CLOSED";
    this.closeReason = reason;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.tickTimer);
    this.decoder.stop();
    for (const p of this.probes.splice(0)) p.done(false);
    const socket = this.socket;
    if (socket) {
      if (opts.graceful && !socket.destroyed) {
        this.flush(true);
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      } else {
        socket.destroy();
      }
    }
    this.out = [];
    this.outBytes = 0;
    this.open = undefined;
    this.emit("CLOSED", { reason, detail: opts.detail, rejectSent: opts.rejectSent });
    this.ctx.closed(this, reason);
  }

  dump(): LinkDump {
    return {
      linkId: this.id,
      group: this.exchange.group,
      role: this.exchange.role,
      state: this.state,
      dialer: this.dialer,
      dialerId: this.dialerId,
      peer: this.peer,
      remote: this.remote,
      local: this.local,
    };
  }

  private flush(closing = false): void {
    this.flushQueued = false;
    const socket = this.socket;
    if ((this.state === "CLOSED" && !closing) || !socket || socket.destroyed || this.out.length === 0) return;
    const out = this.out;
    this.out = [];
    this.outBytes = 0;
    this.open = undefined;
    const first = out[0];
    if (out.length === 1 && Buffer.isBuffer(first)) socket.write(first);
    else {
      socket.cork();
      for (const item of out) {
        if (Buffer.isBuffer(item)) socket.write(item);
        else for (const buf of (item as DeferredFrame).encode()) socket.write(buf);
      }
      socket.uncork();
    }
    this.lastSent = monotonic();
  }

  private onConnected(): void {
    this.connecting = false;
    this.noteAddresses();
    this.setState("HANDSHAKING");
  }

  private noteAddresses(): void {
    const s = this.socket;
    if (!s) return;
    if (s.remoteAddress) this.remote = `${s.remoteAddress}:${s.remotePort}`;
    if (s.localAddress) this.local = `${s.localAddress}:${s.localPort}`;
  }

  private onData(chunk: Buffer): void {
    if (this.state === "CLOSED") return;
    this.lastRecv = monotonic();
    if (this.probes.length) for (const p of this.probes.splice(0)) p.done(true);
    try {
      this.decoder.push(chunk, (f) => this.onFrame(f));
    } catch (err) {
      if (err instanceof FrameError) {
        this.close(err.code, { detail: err.message });
      } else {
        this.ctx.logger.error({ err, linkId: this.id }, "exchange: frame handler failed");
        this.close("PROTOCOL_ERROR", { detail: `internal: ${(err as Error).message}` });
      }
    }
  }

  private onFrame(f: Frame): void {
    if (this.state === "CLOSED") return;
    const type = f.h.type;
    if (type === "PING") {
      this.send({ type: "PONG" });
      return;
    }
    if (type === "PONG") return;
    this.ctx.frame(this, f);
  }

  private onSocketClose(): void {
    if (this.state === "CLOSED") return;
    const err = this.socketError as NodeJS.ErrnoException | undefined;
    if (this.connecting) this.close("CONNECT_FAILED", { detail: err?.code ?? err?.message });
    else if (err && err.code !== "ECONNRESET" && err.code !== "EPIPE")
      this.close("SOCKET_ERROR", { detail: err.code ?? err.message });
    else this.close("PEER_CLOSED", { detail: err?.code });
  }

  private tick(): void {
    if (!this.isActive || !this.socket) return;
    const now = monotonic();
    const t = this.ctx.timing;
    const idle = t.missedBeats * (this.peerHeartbeatMs || t.heartbeatMs);
    if (now - this.lastRecv > idle) {
      this.close("IDLE_TIMEOUT", {
        detail: `nothing received for ${Math.round(now - this.lastRecv)}ms (limit ${idle}ms)`,
      });
      return;
    }
    if (now - this.lastSent >= t.heartbeatMs && !this.flushQueued) this.send({ type: "PING" });
    const queued = this.socket.writableLength + this.outBytes;
    if (queued <= t.highWaterBytes) this.stallSince = undefined;
    else if (this.stallSince === undefined) this.stallSince = now;
    else if (now - this.stallSince > t.writeStallMs)
      this.close("SLOW_CONSUMER", { detail: `${queued} bytes queued for ${Math.round(now - this.stallSince)}ms` });
  }
}
