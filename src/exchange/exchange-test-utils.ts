/** Helpers for the exchange's own tests (not part of the door). */
import * as net from "node:net";
import { encodeFrame, FrameDecoder, type Frame } from "./codec";
import type { ExchangeEvent, LinkEvent } from "./events";
import type { Exchange } from "./exchange";
import { ExchangeNode } from "./node";
import type { ExchangeNodeOptions, Timing } from "./types";

/** Small timings so the suite runs in seconds. */
export const fastTiming: Partial<Timing> = {
  heartbeatMs: 100,
  missedBeats: 4,
  handshakeTimeoutMs: 1000,
  retryDelayMs: 100,
  jitter: 0.2,
  requestTimeoutMs: 5000,
};

/** Polls `cond` every few ms until it is truthy; fails with `what` and the last value after the deadline. */
export async function waitFor<T>(cond: () => T, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Creates nodes with fast timing and closes them all at the end. */
export class Fleet {
  readonly nodes: ExchangeNode[] = [];
  readonly events = new Map<string, ExchangeEvent[]>();

  node(name: string, opts: ExchangeNodeOptions = {}): ExchangeNode {
    const n = new ExchangeNode({ name, ...opts, timing: { ...fastTiming, ...opts.timing } });
    const log: ExchangeEvent[] = [];
    this.events.set(name, log);
    n.on("event", (e) => log.push(e));
    this.nodes.push(n);
    return n;
  }

  /** A node with a listening server exchange. */
  async server(
    name: string,
    group = "",
    opts: ExchangeNodeOptions = {},
  ): Promise<{ node: ExchangeNode; ex: Exchange; port: number }> {
    const node = this.node(name, opts);
    const ex = node.exchange({ role: "server", group });
    const port = await ex.listen(0);
    return { node, ex, port };
  }

  linkEvents(name: string): LinkEvent[] {
    return (this.events.get(name) ?? []).filter((e): e is LinkEvent => e.type === "link");
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.close()));
  }
}

/** Names of the services a node sees (sorted, de-duplicated). */
export function seen(node: ExchangeNode): string[] {
  return [...new Set(node.registry.all().map((b) => b.serviceName))].sort();
}

/** Number of ACTIVE/SYNCED links between node a and peer name b. */
export function activeLinksTo(node: ExchangeNode, peer: string): number {
  return node.dump().links.filter((l) => (l.state === "ACTIVE" || l.state === "SYNCED") && l.peer?.nodeName === peer)
    .length;
}

/**
 * A TCP relay in front of a target port. `blackhole()` stops forwarding in both directions while keeping
 * the sockets open (no FIN, no RST): a half-open link as a frozen peer or a dead network would make.
 */
export class TcpRelay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private holed = false;
  port = 0;

  /** `tap` sees every chunk relayed (`fromDialer`: from the side that connected to the relay). */
  constructor(
    private readonly targetPort: number,
    private readonly tap?: (fromDialer: boolean, chunk: Buffer) => void,
  ) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("error", () => undefined);
        s.on("close", () => this.sockets.delete(s));
      }
      client.on("data", (d: Buffer) => this.holed || (this.tap?.(true, d), upstream.write(d)));
      upstream.on("data", (d: Buffer) => this.holed || (this.tap?.(false, d), client.write(d)));
      client.on("close", () => this.holed || upstream.destroy());
      upstream.on("close", () => this.holed || client.destroy());
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  blackhole(): void {
    this.holed = true;
  }

  /** Resets every relayed connection (both sides see a close); new connections are relayed again. */
  cut(): void {
    this.holed = false;
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** A hand-driven peer speaking the wire protocol, for tests that need to misbehave. */
export class RawPeer {
  readonly frames: Frame[] = [];
  socket!: net.Socket;
  closed = false;
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);

  async connect(port: number): Promise<this> {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.on("data", (d) => {
      try {
        this.decoder.push(d, (f) => this.frames.push(f));
      } catch {
        this.socket.destroy();
      }
    });
    this.socket.on("error", () => undefined);
    this.socket.on("close", () => (this.closed = true));
    await new Promise<void>((resolve, reject) => {
      this.socket.once("connect", resolve);
      this.socket.once("error", reject);
    });
    return this;
  }

  send(header: object, payload?: Buffer): void {
    this.socket.write(encodeFrame(header, payload));
  }

  /** Completes HELLO/WELCOME as `nodeName` and sends an empty snapshot. */
  async handshake(
    nodeName: string,
    opts: { role?: "client" | "server"; group?: string; heartbeatMs?: number; incarnation?: string } = {},
  ): Promise<void> {
    await waitFor(() => this.frames.some((f) => f.h.type === "IDENT"), "IDENT");
    this.send({
      type: "HELLO",
      proto: "osex",
      versions: [2, 2],
      role: opts.role ?? "client",
      group: opts.group ?? "",
      nodeName,
      incarnation: opts.incarnation ?? "0123456789abcdef",
      heartbeatMs: opts.heartbeatMs ?? 60000,
      features: [],
    });
    await waitFor(() => this.frames.some((f) => f.h.type === "WELCOME"), "WELCOME");
    this.send({ type: "SNAPSHOT_END", count: 0 });
  }

  find(type: string): Frame | undefined {
    return this.frames.find((f) => f.h.type === type);
  }

  destroy(): void {
    this.socket?.destroy();
  }
}
