// Measurement primitives of bench/faultproxy.ts: a sink/echo server (in this process, or in a child process with
// `--serve`), a bulk sender and a ping-pong client.
//
// Wire contract: a connection's first byte says what it is. "E" (0x45): echo every byte back. "S" (0x53) then a
// 64-bit big-endian byte count N: swallow N more bytes, then answer one byte "K", so the sender knows when the
// last byte arrived wherever the server runs.
import { spawn } from "node:child_process";
import { connect, createServer, type Server, type Socket } from "node:net";

export interface BenchServer {
  port: number;
  /** "this process", or "child process" when the server runs apart from the clients. */
  where: string;
  close(): Promise<void>;
}

const ECHO = 0x45;
const SINK = 0x53;
const SINK_HEADER = 9;

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on("error", () => undefined);
  let header = Buffer.alloc(0);
  let mode: "echo" | "sink" | null = null;
  let left = 0n;
  socket.on("data", (data: Buffer) => {
    if (mode === null) {
      if (header.length === 0 && data[0] === ECHO) mode = "echo";
      else {
        header = Buffer.concat([header, data]);
        if (header.length < SINK_HEADER) return;
        mode = "sink";
        left = header.readBigUInt64BE(1);
        data = header.subarray(SINK_HEADER);
      }
    }
    if (mode === "echo") socket.write(data);
    else {
      left -= BigInt(data.length);
      if (left <= 0n && data.length > 0) socket.write("K");
    }
  });
}

async function listen(): Promise<{ server: Server; sockets: Set<Socket>; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, sockets, port: (server.address() as { port: number }).port };
}

/** The server in this process: both ends of every connection share one event loop. */
export async function startBenchServer(): Promise<BenchServer> {
  const { server, sockets, port } = await listen();
  return {
    port,
    where: "this process",
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The server in a child process, as the two ends of a lab link are (two machines, two processes). */
export async function startChildBenchServer(): Promise<BenchServer> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--serve"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    port,
    where: "child process",
    close: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill("SIGTERM"))),
  };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1", noDelay: true }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Sends `bytes` bytes in 64 KiB writes (respecting back-pressure) and returns MiB/s until the server has them all. */
export async function throughput(port: number, bytes: number): Promise<number> {
  const socket = await open(port);
  const block = Buffer.alloc(64 * 1024, SINK);
  const header = Buffer.alloc(SINK_HEADER);
  header[0] = SINK;
  header.writeBigUInt64BE(BigInt(bytes), 1);
  const done = new Promise<void>((resolve, reject) => {
    socket.once("data", () => resolve());
    socket.once("close", () => reject(new Error("connection closed before the sink acknowledged")));
  });
  const start = process.hrtime.bigint();
  socket.write(header);
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
  const message = Buffer.alloc(size, ECHO);
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
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

if (require.main === module && process.argv.includes("--serve")) {
  void listen().then(({ port }) => {
    process.stdout.write(`port ${port}\n`);
    process.on("SIGTERM", () => process.exit(0));
  });
}
