import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lib/children";
import { figure, type Figure } from "../lib/stats";

/** The bundled suite on processes, serial against `--parallel N`: the wall time CI users feel. */
export interface SuiteResult {
  workers: number;
  serialS: Figure;
  parallelS: Figure;
  /** Parallel wall time over serial, paired per run (target ≤ 0.65 with 2 workers on 2 cores). */
  ratio: Figure;
  /** Every run's "passed/failed" on each side: the same results either way. */
  results: { serial: string[]; parallel: string[] };
  sameResults: boolean;
}

/** One `exlab run` of the bundled features: wall seconds and its "N passed, M failed". */
function runSuite(args: string[]): Promise<{ seconds: number; result: string }> {
  const report = mkdtempSync(join(tmpdir(), "exlab-bench-suite-"));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "exlab.js"), "run", "--report", report, ...args], {
      cwd: ROOT,
      env: { ...process.env, EXLAB_COUNTS_DIR: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.on("error", reject);
    child.on("exit", () => {
      rmSync(report, { recursive: true, force: true });
      const m = /exlab run \(processes\): (\d+) passed, (\d+) failed/.exec(out);
      if (!m) return reject(new Error(`exlab run printed no result:\n${out.slice(-2000)}`));
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, result: `${m[1]}/${m[2]}` });
    });
  });
}

export async function suiteSection(
  o: { runs: number; workers: number },
  log: (s: string) => void,
): Promise<SuiteResult> {
  const serial: number[] = [];
  const parallel: number[] = [];
  const results = { serial: [] as string[], parallel: [] as string[] };
  for (let i = 0; i < o.runs; i++) {
    const s = await runSuite(["--driver", "processes"]);
    const p = await runSuite(["--driver", "processes", "--parallel", String(o.workers)]);
    serial.push(s.seconds);
    parallel.push(p.seconds);
    results.serial.push(s.result);
    results.parallel.push(p.result);
    log(
      `suite run ${i + 1}: serial ${s.seconds.toFixed(1)} s (${s.result}), --parallel ${o.workers} ${p.seconds.toFixed(1)} s (${p.result})`,
    );
  }
  return {
    workers: o.workers,
    serialS: figure(serial, "s"),
    parallelS: figure(parallel, "s"),
    ratio: figure(
      parallel.map((p, i) => p / serial[i]),
      "×",
    ),
    results,
    sameResults: [...results.serial, ...results.parallel].every((r) => r === results.serial[0]),
  };
}
