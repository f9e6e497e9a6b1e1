// Measurement primitives of bench/faultproxy.ts: a sink/echo server, a bulk sender and a ping-pong client.
import { connect, createServer, type Server, type Socket } from "node:net";

/** A server on 127.0.0.1 that answers "echo" connections and counts bytes of "sink" ones (first byte says which). */
export interface BenchServer {
  port: number;
  /** Resolves when the next sink connection has received `bytes` bytes. */
  expectSink(bytes: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  let waiting: { bytes: number; resolve: () => void } | null = null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let mode: "echo" | "sink" | null = null;
    let received = 0;
    socket.on("data", (data: Buffer) => {
      if (mode === null) mode = data[0] === 0x45 ? "echo" : "sink";
      if (mode === "echo") socket.write(data);
      else {
        received += data.length;
        if (waiting && received >= waiting.bytes) {
          const done = waiting.resolve;
          waiting = null;
          done();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    expectSink: (bytes) => new Promise<void>((resolve) => (waiting = { bytes, resolve })),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1", noDelay: true }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Sends `bytes` bytes in 64 KiB writes (respecting back-pressure) and returns MiB/s until the server has them all. */
export async function throughput(server: BenchServer, port: number, bytes: number): Promise<number> {
  const socket = await open(port);
  const block = Buffer.alloc(64 * 1024, 0x53);
  const done = server.expectSink(bytes);
  const start = process.hrtime.bigint();
  let sent = 0;
  while (sent < bytes) {
    const n = Math.min(block.length, bytes - sent);
    sent += n;
    if (!socket.write(n === block.length ? block : block.subarray(0, n))) {
      await new Promise((resolve) => socket.once("drain", resolve));
    }
  }
  await done;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  socket.destroy();
  return bytes / (1024 * 1024) / seconds;
}

/** Round trips of a `size`-byte message through an echo connection: each RTT in µs, after `warmup` untimed ones. */
export async function pingPong(port: number, count: number, warmup: number, size = 64): Promise<number[]> {
  const socket = await open(port);
  const message = Buffer.alloc(size, 0x45);
  const rtts: number[] = [];
  let pending = 0;
  let resolveOne: (() => void) | null = null;
  socket.on("data", (data: Buffer) => {
    pending -= data.length;
    if (pending <= 0 && resolveOne) {
      const r = resolveOne;
      resolveOne = null;
      r();
    }
  });
  for (let i = 0; i < warmup + count; i++) {
    const start = process.hrtime.bigint();
    pending = size;
    await new Promise<void>((resolve) => {
      resolveOne = resolve;
      socket.write(message);
    });
    if (i >= warmup) rtts.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  socket.destroy();
  return rtts;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}
