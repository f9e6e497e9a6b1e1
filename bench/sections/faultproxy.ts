import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, spawnNode } from "../lib/children";
import { figure, notMeasured, type Result } from "../lib/stats";

export interface FaultProxyRow {
  /** Where the two ends of the connection run: "two processes" (as in the lab) or "one process". */
  setup: string;
  target: string;
  throughput: Result;
  /** Throughput / direct throughput, paired per run. */
  ratio: Result;
  rttP50: Result;
  rttP99: Result;
  /** Median RTT minus the same setup's direct connection's, paired per run. */
  addedP50: Result;
}

export interface FaultProxyResult {
  setup: Record<string, unknown>;
  rows: FaultProxyRow[];
}

interface Measured {
  summary: {
    setup: string;
    target: string;
    runs: { throughputMiBs: number[]; rttMedianUs: number[]; rttP99Us: number[] };
  }[];
}

/** Runs bench/faultproxy.ts in a child process and reshapes its result. */
export async function faultProxySection(
  o: { mib: number; runs: number; pings: number },
  log: (s: string) => void,
): Promise<FaultProxyResult> {
  const setup = {
    script:
      "bench/faultproxy.ts: a proxy with no toxic vs a direct TCP connection, with the server in a child process (two processes, as the ends of a lab link) and in the client's process (one process); the proxy in a child process (as in the lab) or embedded",
    mibPerRun: o.mib,
    runs: o.runs,
    pingsPerRun: o.pings,
    pingBytes: 64,
  };
  const dir = mkdtempSync(join(tmpdir(), "exlab-bench-"));
  try {
    const out = join(dir, "faultproxy.json");
    const child = spawnNode("bench/faultproxy.ts", join(ROOT, "bench", "faultproxy.ts"), [
      out,
      "--mib",
      String(o.mib),
      "--runs",
      String(o.runs),
      "--pings",
      String(o.pings),
    ]);
    const exit = await child.exited;
    if (exit.code !== 0)
      throw new Error(
        `bench/faultproxy.ts exited ${exit.code ?? exit.signal}: ${child.output().split("\n").slice(-3).join(" ")}`,
      );
    log(`fault proxy:\n${child.output()}`);
    const m = JSON.parse(readFileSync(out, "utf8")) as Measured;
    const rows = m.summary.map((s) => {
      const direct = m.summary.find((d) => d.setup === s.setup && d.target === "direct")!.runs;
      return {
        setup: s.setup,
        target: s.target,
        throughput: figure(s.runs.throughputMiBs, "MiB/s"),
        ratio: figure(
          s.runs.throughputMiBs.map((v, i) => v / direct.throughputMiBs[i]),
          "×",
        ),
        rttP50: figure(s.runs.rttMedianUs, "µs"),
        rttP99: figure(s.runs.rttP99Us, "µs"),
        addedP50: figure(
          s.runs.rttMedianUs.map((v, i) => v - direct.rttMedianUs[i]),
          "µs",
        ),
      };
    });
    return { setup, rows };
  } catch (err) {
    const why = `failed: ${(err as Error).message}`;
    log(`fault proxy: ${why}`);
    const nm = notMeasured(why);
    return {
      setup,
      rows: [
        {
          setup: "two processes",
          target: "proxy (child process)",
          throughput: nm,
          ratio: nm,
          rttP50: nm,
          rttP99: nm,
          addedP50: nm,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
