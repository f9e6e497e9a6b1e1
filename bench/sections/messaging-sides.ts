import { connect as natsConnect, type NatsConnection } from "nats";
import { ExchangeNode, type ServiceAgent } from "../../src/exchange";
import { spawnWorker, type BenchChild } from "../lib/children";
import { sleep, until } from "../lib/stats";
import { startNatsCluster } from "./nats-server";

/** The subscribers of one fan-out case: processes holding `perChild` subscribers each, and how to publish to them. */
export interface FanoutTarget {
  system: Side["system"];
  children: BenchChild[];
  perChild: number;
  publish(payload: unknown): void;
}

/** Subscribers per server in the wide fan-out case (3 servers: 30 subscribers). */
export const WIDE_PER_SERVER = 10;

/**
 * One system under test, deployed as 3 servers in a full mesh (child processes), an echo service on server B
 * (child process), 3 counting subscribers on servers A, B and C (one child process each), 30 more (one child
 * process per server holding 10, each with its own connection) on another feed, and the client in this
 * process on server A: requests go client → A → B → service and back; it publishes both feeds.
 */
export interface Side {
  system: "exchange" | "NATS";
  /** A message body of exactly `size` bytes on the wire. */
  payload(size: number): unknown;
  /** One request to the echo service; rejects on anything but a reply. */
  request(payload: unknown): Promise<void>;
  /** Fan-out to 3 subscribers, one per server. */
  fanout3: FanoutTarget;
  /** Fan-out to 30 subscribers, 10 per server. */
  fanout30: FanoutTarget;
  /** OS processes of the deployment whose CPU time is accounted, by role. */
  pids: { servers: number[]; service: number[] };
  close(): Promise<void>;
}

async function started(children: BenchChild[]): Promise<void> {
  await Promise.all(children.map((c) => c.next("ready", 30000)));
}

/** Publishes probes until every subscriber has received one (subscriptions have propagated). */
async function probeSubscribers(subscribers: BenchChild[], probe: () => void, system: string): Promise<void> {
  const seen = new Set<BenchChild>();
  const offs = subscribers.map((s) => s.on("probe", () => seen.add(s)));
  try {
    await until(
      () => (probe(), seen.size === subscribers.length),
      `${system}: every subscriber receives a probe`,
      20000,
      20,
    );
    await sleep(100);
  } finally {
    offs.forEach((off) => off());
  }
}

export async function startExchangeSide(): Promise<Side> {
  const children: BenchChild[] = [];
  const close = async () => void (await Promise.all(children.map((c) => c.stop())));
  let node: ExchangeNode | undefined;
  try {
    const servers = ["a", "b", "c"].map((n) => spawnWorker(`exchange server ${n}`, "xserver", { name: `bench-x${n}` }));
    children.push(...servers);
    const ports = await Promise.all(servers.map(async (s) => Number((await s.next("ready", 30000)).port)));
    await servers[0].call("connect", { ports: [ports[1], ports[2]] });
    await servers[1].call("connect", { ports: [ports[2]] });
    await until(
      async () => (await Promise.all(servers.map((s) => s.call("stats")))).every((st) => st.serverLinks === 2),
      "exchange mesh: 2 server links each",
      20000,
      20,
    );
    const service = spawnWorker("exchange echo service", "xservice", { port: ports[1] });
    const subscribers = ports.map((port, i) =>
      spawnWorker(`exchange subscriber ${i}`, "xsubscriber", { port, name: `bench-sub${i}` }),
    );
    const wide = ports.map((port, i) =>
      spawnWorker(`exchange subscribers ${i}x`, "xsubscriber", {
        port,
        name: `bench-wide${i}`,
        count: WIDE_PER_SERVER,
        feed: "wide",
      }),
    );
    children.push(service, ...subscribers, ...wide);
    await started([service, ...subscribers, ...wide]);
    node = new ExchangeNode({ name: "bench-client", timing: { heartbeatMs: 2000, retryDelayMs: 200 } });
    node.exchange({ role: "client" }).connect("127.0.0.1", ports[0], { delayMs: 200 });
    const caller: ServiceAgent = node.agent({ name: "" });
    const feed: ServiceAgent = node.agent({ name: "feed" });
    const wideFeed: ServiceAgent = node.agent({ name: "wide" });
    const n = node;
    await until(() => n.registry.lookupByName("echo").length === 1, "exchange: echo visible to the client", 20000);
    await probeSubscribers(subscribers, () => feed.publishReport("probe", 0), "exchange");
    await probeSubscribers(wide, () => wideFeed.publishReport("probe", 0), "exchange");
    return {
      system: "exchange",
      payload: (size) => Buffer.alloc(size, 0x78), // bytes, as NATS carries them: `size` bytes on the wire
      request: async (p) => {
        const o = await caller.request("echo", "echo", p);
        if (o.kind !== "RESPONSE") throw new Error(`exchange request: ${o.kind}`);
      },
      fanout3: {
        system: "exchange",
        children: subscribers,
        perChild: 1,
        publish: (p) => feed.publishReport("tick", p),
      },
      fanout30: {
        system: "exchange",
        children: wide,
        perChild: WIDE_PER_SERVER,
        publish: (p) => wideFeed.publishReport("tick", p),
      },
      pids: { servers: servers.map((x) => x.pid), service: [service.pid] },
      close: async () => {
        await n.close();
        await close();
      },
    };
  } catch (err) {
    await node?.close();
    await close();
    throw err;
  }
}

export async function startNatsSide(bin: string): Promise<Side> {
  const cluster = await startNatsCluster(bin);
  const children: BenchChild[] = [];
  let nc: NatsConnection | undefined;
  const close = async () => {
    await nc?.close();
    await Promise.all(children.map((c) => c.stop()));
    await cluster.stop();
  };
  try {
    const service = spawnWorker("nats echo service", "nservice", { url: cluster.urls[1] });
    const subscribers = cluster.urls.map((url, i) => spawnWorker(`nats subscriber ${i}`, "nsubscriber", { url }));
    const wide = cluster.urls.map((url, i) =>
      spawnWorker(`nats subscribers ${i}x`, "nsubscriber", { url, count: WIDE_PER_SERVER, feed: "wide" }),
    );
    children.push(service, ...subscribers, ...wide);
    await started([service, ...subscribers, ...wide]);
    const conn = await natsConnect({ servers: cluster.urls[0] });
    nc = conn;
    const probe = new Uint8Array(1);
    await until(
      async () =>
        conn.request("echo", probe, { timeout: 500 }).then(
          () => true,
          () => false,
        ),
      "NATS: echo answers",
      20000,
      50,
    );
    await probeSubscribers(subscribers, () => conn.publish("feed.probe", probe), "NATS");
    await probeSubscribers(wide, () => conn.publish("wide.probe", probe), "NATS");
    return {
      system: "NATS",
      payload: (size) => new Uint8Array(size).fill(0x78),
      request: async (p) => void (await conn.request("echo", p as Uint8Array, { timeout: 30000 })),
      fanout3: {
        system: "NATS",
        children: subscribers,
        perChild: 1,
        publish: (p) => conn.publish("feed.tick", p as Uint8Array),
      },
      fanout30: {
        system: "NATS",
        children: wide,
        perChild: WIDE_PER_SERVER,
        publish: (p) => conn.publish("wide.tick", p as Uint8Array),
      },
      pids: { servers: cluster.serverPids, service: [service.pid] },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
