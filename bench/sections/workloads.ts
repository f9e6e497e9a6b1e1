import { cpuMicros } from "../lib/proc";
import { percentile } from "../lib/stats";
import type { FanoutTarget, Side } from "./messaging-sides";

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Sequential request/reply: p50 and p99 in ms over `count` requests. */
export async function latency(side: Side, payload: unknown, count: number): Promise<{ p50: number; p99: number }> {
  const lat: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    await side.request(payload);
    lat.push(now() - t);
  }
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

/** Pipelined requests with `window` outstanding for about `durationMs`: requests per second and how many. */
export async function pipelined(
  side: Side,
  payload: unknown,
  window: number,
  durationMs: number,
): Promise<{ perSecond: number; requests: number }> {
  const t0 = now();
  let done = 0;
  let stop = false;
  const lane = async () => {
    while (!stop) {
      await side.request(payload);
      done++;
      if (now() - t0 >= durationMs) stop = true;
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return { perSecond: (done / (now() - t0)) * 1000, requests: done };
}

/** How many publications may be unacknowledged by the slowest subscriber: ~4 MiB, 64..1024 messages. */
export function fanoutWindow(size: number): { window: number; ackEvery: number } {
  const window = Math.max(64, Math.min(1024, Math.floor((4 * 1024 * 1024) / size)));
  return { window, ackEvery: window / 4 };
}

/**
 * Publishes for about `durationMs` to every subscriber of `target`, at most `window` publications ahead of the
 * slowest one (each subscriber process acknowledges every `ackEvery` deliveries to each of its subscribers over
 * IPC), and waits until all are delivered. Returns deliveries (publications × subscribers) per second.
 */
export async function fanout(
  target: FanoutTarget,
  payload: unknown,
  size: number,
  durationMs: number,
): Promise<number> {
  const { window, ackEvery } = fanoutWindow(size);
  const subs = target.children;
  await Promise.all(subs.map((s) => s.call("reset", { ackEvery })));
  const acked = subs.map(() => 0);
  let wake: (() => void) | null = null;
  const offs = subs.map((s, i) =>
    s.on("progress", (m) => {
      acked[i] = Number(m.count);
      const w = wake;
      wake = null;
      w?.();
    }),
  );
  const slowest = () => Math.min(...acked);
  const waitAck = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${target.system} fan-out stalled: acknowledged ${acked.join("/")} of ${published}`)),
        30000,
      );
      wake = () => (clearTimeout(timer), resolve());
    });
  let published = 0;
  const t0 = now();
  try {
    while (now() - t0 < durationMs || published % ackEvery !== 0) {
      while (published - slowest() >= window) await waitAck();
      target.publish(payload);
      published++;
      if (published % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    while (slowest() < published) await waitAck();
  } finally {
    offs.forEach((off) => off());
  }
  return ((published * subs.length * target.perChild) / (now() - t0)) * 1000;
}

export interface CpuSplit {
  client: number;
  servers: number;
  service: number;
}

/** Runs `work` and returns the CPU µs spent by the client (this process), the servers and the service. */
export async function cpuDuring<T>(side: Side, work: () => Promise<T>): Promise<{ value: T; cpu: CpuSplit }> {
  const c0 = process.cpuUsage();
  const s0 = cpuMicros(side.pids.servers);
  const v0 = cpuMicros(side.pids.service);
  const value = await work();
  const c = process.cpuUsage(c0);
  return {
    value,
    cpu: {
      client: c.user + c.system,
      servers: cpuMicros(side.pids.servers) - s0,
      service: cpuMicros(side.pids.service) - v0,
    },
  };
}
