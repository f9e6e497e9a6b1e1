import { readFileSync } from "node:fs";
import { ExchangeNode } from "../../src/exchange";
import { spawnWorker } from "../lib/children";
import { figure, notMeasured, until, type Result } from "../lib/stats";

export interface MemoryResult {
  bindings: number;
  /** VmHWM of the server process once it carries every binding. */
  peakRssMiB: Result;
  /** VmHWM of the idle server before the client connects. */
  baselineRssMiB: Result;
  /** (peak − baseline) / bindings. */
  bytesPerBinding: Result;
  /** From the first agent offered to the server holding all of them. */
  propagationMs: Result;
  /** V8 heap still used after a full GC, per binding (what the bindings keep, without transient garbage). */
  retainedHeapPerBinding?: Result;
}

function vmKiB(pid: number, key: "VmHWM" | "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
}

/** Peak RSS of an exchange server (child process, dist/) carrying `bindings` bindings offered by one client. */
async function once(bindings: number): Promise<{ peak: number; base: number; ms: number; retained: number }> {
  const server = spawnWorker("memory: exchange server", "xserver", { name: "bench-mem-server" }, ["--expose-gc"]);
  const client = new ExchangeNode({ name: "bench-mem-client", timing: { heartbeatMs: 2000, retryDelayMs: 200 } });
  try {
    const port = Number((await server.next("ready", 30000)).port);
    const base = vmKiB(server.pid, "VmHWM");
    const heap0 = Number((await server.call("gc")).heapUsed);
    client.exchange({ role: "client" }).connect("127.0.0.1", port, { delayMs: 200 });
    await until(
      () => client.dump().links.some((l) => l.state === "SYNCED" || l.state === "ACTIVE"),
      "memory: client link up",
    );
    const t0 = Date.now();
    for (let i = 0; i < bindings; i++) client.agent({ name: `svc-${i}`, groups: i % 10 === 0 ? ["g"] : [] });
    await until(
      async () => Number((await server.call("stats")).bindings) >= bindings,
      `memory: server holds ${bindings} bindings`,
      120000,
      50,
    );
    const ms = Date.now() - t0;
    const peak = vmKiB(server.pid, "VmHWM");
    const heap1 = Number((await server.call("gc")).heapUsed);
    return { peak, base, ms, retained: (heap1 - heap0) / bindings };
  } finally {
    client.destroy();
    await server.stop();
  }
}

export async function memorySection(
  o: { bindings: number; runs: number },
  log: (s: string) => void,
): Promise<MemoryResult> {
  if (process.platform !== "linux") {
    const nm = notMeasured("needs /proc (Linux)");
    return { bindings: o.bindings, peakRssMiB: nm, baselineRssMiB: nm, bytesPerBinding: nm, propagationMs: nm };
  }
  const peak: number[] = [];
  const base: number[] = [];
  const per: number[] = [];
  const ms: number[] = [];
  const retained: number[] = [];
  try {
    for (let r = 0; r < o.runs; r++) {
      const m = await once(o.bindings);
      peak.push(m.peak / 1024);
      base.push(m.base / 1024);
      per.push(((m.peak - m.base) * 1024) / o.bindings);
      ms.push(m.ms);
      retained.push(m.retained);
      log(
        `memory: server with ${o.bindings} bindings: peak RSS ${(m.peak / 1024).toFixed(1)} MiB (idle ${(m.base / 1024).toFixed(1)} MiB), propagated in ${m.ms} ms; ${Math.round(m.retained)} B of heap per binding after GC`,
      );
    }
    return {
      bindings: o.bindings,
      peakRssMiB: figure(peak, "MiB"),
      baselineRssMiB: figure(base, "MiB"),
      bytesPerBinding: figure(per, "B"),
      propagationMs: figure(ms, "ms"),
      retainedHeapPerBinding: figure(retained, "B"),
    };
  } catch (err) {
    const nm = notMeasured(`failed: ${(err as Error).message.split("\n")[0]}`);
    return { bindings: o.bindings, peakRssMiB: nm, baselineRssMiB: nm, bytesPerBinding: nm, propagationMs: nm };
  }
}
