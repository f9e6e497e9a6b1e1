/**
 * Quick exchange benchmark (DESIGN.md §8), all nodes in this one OS process on loopback:
 *   1. convergence time of a 5-server full mesh with 2 clients per server and 10 services per client;
 *   2. request/reply round trip client → server → server → service (sequential: p50/p99);
 *   3. pipelined request throughput over the same path (a window of outstanding requests);
 *   4. report fan-out: one publisher, 4 subscribers behind another server.
 * Run: node -r ts-node/register/transpile-only bench/exchange-quick.ts [--json]
 */
import { ExchangeNode, type ServiceAgent } from "../src/exchange";

const timing = { heartbeatMs: 1000, retryDelayMs: 200 };

async function until(cond: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (ns: bigint) => Number(ns) / 1e6;

async function convergence(round: number): Promise<{ ms: number; bindings: number }> {
  const nodes: ExchangeNode[] = [];
  const t0 = process.hrtime.bigint();
  const servers = Array.from({ length: 5 }, (_, i) => {
    const n = new ExchangeNode({ name: `r${round}-s${i}`, timing });
    nodes.push(n);
    return { n, ex: n.exchange({ role: "server" }) };
  });
  const ports = await Promise.all(servers.map((s) => s.ex.listen(0)));
  for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) servers[i].ex.connect("127.0.0.1", ports[j]);
  servers.forEach((s, i) => {
    for (let k = 0; k < 2; k++) {
      const c = new ExchangeNode({ name: `r${round}-c${i}${k}`, timing });
      nodes.push(c);
      c.exchange({ role: "client" }).connect("127.0.0.1", ports[i]);
      for (let a = 0; a < 10; a++) c.agent({ name: `svc-${i}-${k}-${a}` });
    }
  });
  const total = 100;
  await until(() => nodes.every((n) => n.registry.size === total), "mesh convergence");
  const t = ms(process.hrtime.bigint() - t0);
  await Promise.all(nodes.map((n) => n.close()));
  return { ms: t, bindings: total };
}

async function requestPath(): Promise<{
  nodes: ExchangeNode[];
  caller: ServiceAgent;
  publisher: ServiceAgent;
  subscribers: ServiceAgent[];
}> {
  const s1 = new ExchangeNode({ name: "b-s1", timing });
  const s2 = new ExchangeNode({ name: "b-s2", timing });
  const e1 = s1.exchange({ role: "server" });
  const e2 = s2.exchange({ role: "server" });
  const p1 = await e1.listen(0);
  const p2 = await e2.listen(0);
  e1.connect("127.0.0.1", p2);
  const cNode = new ExchangeNode({ name: "b-caller", timing });
  cNode.exchange({ role: "client" }).connect("127.0.0.1", p1);
  const sNode = new ExchangeNode({ name: "b-service", timing });
  sNode.exchange({ role: "client" }).connect("127.0.0.1", p2);
  sNode.agent({ name: "echo" }).onRequest((_m, a) => a);
  const publisher = sNode.agent({ name: "feed" });
  const caller = cNode.agent({ name: "" });
  const subscribers = [0, 1, 2, 3].map((i) => cNode.agent({ name: `sub${i}` }));
  await until(
    () => cNode.registry.lookupByName("echo").length === 1 && sNode.registry.lookupByName("sub3").length === 1,
    "request path up",
  );
  return { nodes: [s1, s2, cNode, sNode], caller, publisher, subscribers };
}

async function main(): Promise<void> {
  const conv: number[] = [];
  for (let r = 0; r < 5; r++) conv.push((await convergence(r)).ms);
  conv.sort((a, b) => a - b);

  const { nodes, caller, publisher, subscribers } = await requestPath();
  for (let i = 0; i < 2000; i++) await caller.call("echo", "x", i);
  const lat: number[] = [];
  for (let i = 0; i < 10000; i++) {
    const t = process.hrtime.bigint();
    await caller.call("echo", "x", { i, s: "payload" });
    lat.push(ms(process.hrtime.bigint() - t));
  }
  lat.sort((a, b) => a - b);

  const total = 100000;
  const window = 1000;
  let sent = 0;
  let done = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < total && sent - done < window) {
        sent++;
        caller.request("echo", "x", sent).then((o) => {
          if (o.kind !== "RESPONSE") return reject(new Error(o.kind));
          if (++done === total) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const pipelinedSeconds = ms(process.hrtime.bigint() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMicrosPerRequest = (cpu.user + cpu.system) / total;

  let received = 0;
  for (const s of subscribers) {
    s.onReport(() => received++);
    s.subscribeReports("feed", "ticks.*");
  }
  await until(() => publisher.node.dump().edges.filter((e) => e.side === "publisher").length === 4, "4 edges");
  const reports = 50000;
  const r0 = process.hrtime.bigint();
  for (let i = 0; i < reports; i++) {
    publisher.publishReport(`ticks.${i % 10}`, { i });
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  await until(() => received === reports * 4, "all reports delivered", 60000);
  const fanoutSeconds = ms(process.hrtime.bigint() - r0) / 1000;
  await Promise.all(nodes.map((n) => n.close()));

  const result = {
    meshConvergence5Servers: {
      runs: conv.length,
      bindings: 100,
      processes: 15,
      medianMs: +conv[2].toFixed(1),
      minMs: +conv[0].toFixed(1),
      maxMs: +conv[4].toFixed(1),
    },
    requestReply3Hops: {
      requests: lat.length,
      p50Ms: +pct(lat, 50).toFixed(3),
      p99Ms: +pct(lat, 99).toFixed(3),
      meanMs: +(lat.reduce((a, b) => a + b, 0) / lat.length).toFixed(3),
    },
    pipelined: {
      requests: total,
      window,
      seconds: +pipelinedSeconds.toFixed(2),
      perSecond: Math.round(total / pipelinedSeconds),
      cpuMicrosPerRequest: +cpuMicrosPerRequest.toFixed(1),
    },
    reportFanout: {
      publications: reports,
      subscribers: 4,
      deliveries: reports * 4,
      seconds: +fanoutSeconds.toFixed(2),
      deliveriesPerSecond: Math.round((reports * 4) / fanoutSeconds),
    },
    note: "all 4-15 nodes share one OS process (one core) on loopback; node " + process.version,
  };
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(
      `5-server mesh (15 processes, 100 bindings) converges in ${result.meshConvergence5Servers.medianMs} ms (median of 5; ${result.meshConvergence5Servers.minMs}..${result.meshConvergence5Servers.maxMs})`,
    );
    console.log(
      `request/reply client → server → server → service: p50 ${result.requestReply3Hops.p50Ms} ms, p99 ${result.requestReply3Hops.p99Ms} ms (${lat.length} sequential)`,
    );
    console.log(
      `pipelined (window ${window}): ${result.pipelined.perSecond} req/s over ${total} requests; ${result.pipelined.cpuMicrosPerRequest} µs CPU per request (all 4 nodes, 6 link hops)`,
    );
    console.log(`report fan-out to 4 subscribers: ${result.reportFanout.deliveriesPerSecond} deliveries/s`);
    console.log(result.note);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
