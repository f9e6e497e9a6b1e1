import * as net from "node:net";
import type { Frame } from "./codec";
import type { ExchangeContext, ExchangeSide } from "./context";
import { DialerImpl } from "./dialer";
import { ExchangeError, FrameError } from "./errors";
import type { CloseReason, Role } from "./events";
import { onHello, onIdent, onWelcome, ourIdentity } from "./handshake";
import { announcePeers, onPeers } from "./gossip";
import { Link } from "./link";
import type { LinkContext } from "./link-context";
import { helloOf, identityOf, rejectOf, welcomeOf } from "./protocol";
import type { ConnectOptions, Dialer, ExchangeOptions } from "./types";

/**
 * One exchange endpoint of a process: a server or a client in one exchange group (S-6, S-7).
 * Create it with `node.exchange({ role, group })`; a second one for the same group throws ExchangeError
 * DUPLICATE_EXCHANGE. `exchange.node` is the node that made it (declared in node.ts).
 */
export class Exchange {
  readonly role: Role;
  readonly group: string;
  readonly authorise?: (remoteHost: string) => boolean;
  readonly gossip: boolean;
  private readonly advertise?: string;
  /** Every link of this exchange that is not CLOSED. */
  readonly links = new Set<Link>();
  private readonly dialers = new Map<string, DialerImpl>();
  private server?: net.Server;
  private address?: { host: string; port: number };
  private shut = false;
  /** What its links see of it. */
  private readonly linkContext: LinkContext<Link>;
  /** What its handshake, diallers and gossip see of it. */
  private readonly side: ExchangeSide;

  /** @internal Made by `node.exchange()`, which registers it with the node. */
  constructor(
    private readonly ctx: ExchangeContext,
    opts: ExchangeOptions,
  ) {
    Object.assign(this, { node: ctx.node });
    if (opts.role !== "server" && opts.role !== "client")
      throw new ExchangeError("INVALID_ARGUMENT", `role must be "server" or "client", got ${String(opts.role)}`);
    if (opts.group !== undefined && typeof opts.group !== "string")
      throw new ExchangeError("INVALID_ARGUMENT", "group must be a string");
    this.role = opts.role;
    this.group = opts.group ?? "";
    this.authorise = opts.authorise;
    this.gossip = opts.gossip ?? false;
    this.advertise = opts.advertise;
    this.linkContext = {
      exchange: this,
      timing: ctx.timing,
      logger: ctx.logger,
      emit: ctx.emit,
      frame: (link, f) => this.onFrame(link, f),
      closed: (link, reason) => this.linkClosed(link, reason),
    };
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- a live getter over private state
    const ex = this;
    this.side = {
      role: this.role,
      group: this.group,
      gossip: this.gossip,
      authorise: this.authorise,
      get advertisedUrl() {
        return ex.advertisedUrl;
      },
      nodeName: ctx.nodeName,
      incarnation: ctx.incarnation,
      timing: ctx.timing,
      random: ctx.random,
      emit: ctx.emit,
      activeLinks: () => this.activeLinks(),
      linkToPeer: (nodeName, except) => this.linkToPeer(nodeName, except),
      handshakingDialTo: (nodeName) => this.handshakingDialTo(nodeName),
      dialsTo: (url) => this.dialsTo(url),
      connect: (host, port, o) => this.connect(host, port, o),
      becameActive: (link) => this.becameActive(link),
      newLink: (dialer, dialerId, linkId) => this.newLink(dialer, dialerId, linkId),
      nextLinkId: () => ctx.nextId("L"),
      dialerDone: (id) => void this.dialers.delete(id),
    };
  }

  /** Where it listens, once listen() resolved. */
  get listening(): { host: string; port: number } | undefined {
    return this.address;
  }

  /** The address announced to gossiping peers (S-16). */
  get advertisedUrl(): string | undefined {
    if (!this.gossip || this.role !== "server") return undefined;
    return this.advertise ?? (this.address ? `${this.address.host}:${this.address.port}` : undefined);
  }

  get isShutDown(): boolean {
    return this.shut;
  }

  /** Accepts links on host:port (0 = ephemeral); resolves with the bound port. */
  listen(port: number, host = "127.0.0.1"): Promise<number> {
    this.assertOpen();
    if (this.server)
      return Promise.reject(
        new ExchangeError(
          "LISTEN_FAILED",
          `exchange "${this.group}" already listens on ${this.address?.host}:${this.address?.port}`,
        ),
      );
    const server = net.createServer((socket) => this.onAccept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", (err) => {
        this.server = undefined;
        reject(new ExchangeError("LISTEN_FAILED", `cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
      });
      server.listen(port, host, () => {
        const a = server.address() as net.AddressInfo;
        this.address = { host, port: a.port };
        server.on("error", (err) => this.ctx.logger.error({ err, group: this.group }, "exchange: listener error"));
        resolve(a.port);
      });
    });
  }

  /** Starts a persistent dialler to host:port (S-12). */
  connect(host: string, port: number, opts: ConnectOptions = {}): Dialer {
    this.assertOpen();
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new ExchangeError("INVALID_ARGUMENT", `port must be 1..65535, got ${port}`);
    const t = this.ctx.timing;
    const delayMs = opts.delayMs ?? t.retryDelayMs;
    const d = new DialerImpl(this.side, this.ctx.nextId("D"), host, port, {
      delayMs,
      jitter: opts.jitter ?? t.jitter,
      maxDelayMs: opts.maxDelayMs ?? delayMs,
      maxAttempts: opts.maxAttempts ?? Infinity,
    });
    this.dialers.set(d.id, d);
    d.start();
    return d;
  }

  /** Closes the listener and every link (SHUTDOWN) and cancels the diallers. */
  async shutdown(): Promise<void> {
    if (this.shut) return;
    this.shut = true;
    for (const d of this.dialers.values()) d.stop();
    this.dialers.clear();
    for (const l of [...this.links]) l.close("SHUTDOWN", { graceful: true });
    this.ctx.exchangeGone(this);
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Abrupt stop: destroys every socket without flushing (tests use it to simulate a crash). */
  destroy(): void {
    this.shut = true;
    for (const d of this.dialers.values()) d.stop(true);
    this.dialers.clear();
    for (const l of [...this.links]) l.close("SHUTDOWN");
    this.ctx.exchangeGone(this);
    this.server?.close();
    this.server = undefined;
  }

  activeLinks(): Link[] {
    const out: Link[] = [];
    for (const l of this.links) if (l.isActive) out.push(l);
    return out;
  }

  /** An ACTIVE (or being-decided) link to nodeName, other than `except`. */
  linkToPeer(nodeName: string, except?: Link): Link | undefined {
    for (const l of this.links)
      if (l !== except && (l.isActive || l.deciding) && l.peer?.nodeName === nodeName) return l;
    return undefined;
  }

  /** Our own dial to nodeName that has sent HELLO and awaits the verdict (S-10.3). */
  handshakingDialTo(nodeName: string): Link | undefined {
    for (const l of this.links)
      if (l.dialer && l.state === "HANDSHAKING" && l.helloSent && l.identPeer?.nodeName === nodeName) return l;
    return undefined;
  }

  /** Is one of our diallers aimed at host:port? */
  dialsTo(url: string): boolean {
    for (const d of this.dialers.values()) if (`${d.host}:${d.port}` === url) return true;
    return false;
  }

  standbyDialers(): DialerImpl[] {
    return [...this.dialers.values()].filter((d) => d.state === "STANDBY");
  }

  private newLink(dialer: boolean, dialerId?: string, linkId?: string): Link {
    const link = new Link(this.linkContext, linkId ?? this.ctx.nextId("L"), dialer, dialerId);
    this.links.add(link);
    this.ctx.linkCreated(link);
    return link;
  }

  private becameActive(link: Link): void {
    link.setState("ACTIVE");
    if (link.dialer) for (const d of this.dialers.values()) if (d.id === link.dialerId) d.activated();
    this.ctx.linkActive(link);
    announcePeers(this.side, link);
  }

  private onFrame(link: Link, f: Frame): void {
    if (link.isActive) return f.h.type === "PEERS" ? onPeers(this.side, f.h) : this.ctx.linkFrame(link, f);
    const type = f.h.type;
    if (link.dialer && link.state === "HANDSHAKING") {
      if (type === "IDENT" && !link.identPeer) return onIdent(this.side, link, identityOf(f.h));
      if (type === "WELCOME" && link.helloSent) return onWelcome(this.side, link, welcomeOf(f.h));
      if (type === "REJECT") {
        const r = rejectOf(f.h);
        link.peer = { nodeName: r.nodeName, incarnation: r.incarnation, role: link.identPeer?.role ?? "server" };
        return link.close(r.reason, { rejectSent: false, detail: r.detail });
      }
    } else if (!link.dialer && link.state === "HANDSHAKING" && !link.deciding && !link.peer && type === "HELLO") {
      return onHello(this.side, link, helloOf(f.h));
    }
    throw new FrameError(
      "PROTOCOL_ERROR",
      `unexpected ${type} in state ${link.state}${link.dialer ? " (dialler)" : " (acceptor)"}`,
    );
  }

  private linkClosed(link: Link, reason: CloseReason): void {
    this.links.delete(link);
    this.ctx.linkClosed(link, reason);
    for (const d of this.dialers.values()) d.linkClosed(link, reason);
  }

  private onAccept(socket: net.Socket): void {
    if (this.shut) {
      socket.destroy();
      return;
    }
    const link = this.newLink(false);
    link.attach(socket, false);
    link.setState("HANDSHAKING");
    link.send({ type: "IDENT", ...ourIdentity(this.side) });
  }

  private assertOpen(): void {
    if (this.shut) {
      throw new ExchangeError("EXCHANGE_SHUT_DOWN", `exchange "${this.group}" of ${this.ctx.nodeName} is shut down`);
    }
  }
}
