// Shared fixtures of the fault proxy's tests: real TCP peers on 127.0.0.1, a started server, polling helpers.
import { connect, createServer, type Server, type Socket } from "node:net";
import { Toxiproxy } from "toxiproxy-node-client";
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from "./server";

/** Resolves once `condition` holds, polling every few ms; rejects after `ms` with `what`. */
export async function waitUntil(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** One end of a TCP connection that records everything it sees. */
export class Peer {
  received = Buffer.alloc(0);
  dataEvents = 0;
  ended = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;
  readonly firstByteAt: number[] = [];

  constructor(readonly socket: Socket) {
    socket.on("data", (data: Buffer) => {
      this.received = Buffer.concat([this.received, data]);
      this.dataEvents++;
      this.firstByteAt.push(performance.now());
    });
    socket.on("end", () => (this.ended = true));
    socket.on("error", (err) => (this.error = err));
    socket.on("close", () => (this.closed = true));
  }

  static connect(port: number, host = "127.0.0.1"): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      const peer = new Peer(socket);
      socket.once("connect", () => resolve(peer));
      socket.once("error", reject);
    });
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (err) => (err ? reject(err) : resolve())));
  }

  async waitForBytes(n: number, ms = 5000): Promise<Buffer> {
    await waitUntil(() => this.received.length >= n, `${n} bytes (have ${this.received.length})`, ms);
    return this.received;
  }

  waitForClose(ms = 5000): Promise<void> {
    return waitUntil(() => this.closed, "the connection to close", ms);
  }
}

/**
 * A TCP server on 127.0.0.1 that keeps a Peer per accepted connection; `echo` sends everything back, `greeting`
 * is sent on connect, `halfOpen` keeps its side open after the peer's FIN.
 */
export class TestServer {
  readonly peers: Peer[] = [];

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(
    options: { echo?: boolean; greeting?: string | Buffer; halfOpen?: boolean } = {},
  ): Promise<TestServer> {
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const result = new TestServer(server, (server.address() as { port: number }).port);
    server.on("connection", (socket) => {
      socket.setNoDelay(true);
      result.peers.push(new Peer(socket));
      if (options.greeting !== undefined) socket.write(options.greeting);
      if (options.echo) socket.on("data", (data) => socket.write(data));
      if (!options.halfOpen) socket.on("end", () => socket.end());
    });
    return result;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async nextPeer(index = this.peers.length, ms = 5000): Promise<Peer> {
    await waitUntil(() => this.peers.length > index, `connection #${index + 1} at the server`, ms);
    return this.peers[index];
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A started fault proxy (port 0, fixed seed) and a toxiproxy-node-client on it; closed by `cleanup`. */
export interface Fixture {
  fp: FaultProxy;
  toxiproxy: Toxiproxy;
  url: string;
  api(method: string, path: string, body?: string | object, headers?: Record<string, string>): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  text: string;
  headers: Headers;
  /** Parsed body; `any` because tests read arbitrary JSON shapes. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON shapes
  json(): any;
}

export async function startFixture(options: FaultProxyOptions = {}): Promise<Fixture> {
  const fp = await startFaultProxy({ port: 0, seed: 1, ...options });
  const api = async (method: string, path: string, body?: string | object, headers: Record<string, string> = {}) => {
    const res = await fetch(`${fp.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) };
  };
  return { fp, toxiproxy: new Toxiproxy(fp.url), url: fp.url, api };
}

/** The port of a "host:port" listen address. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(":") + 1));
}

/** A free port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
