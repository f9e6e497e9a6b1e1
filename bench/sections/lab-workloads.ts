import { recordLab } from "../../src/evidence";
import { Lab } from "../../src/lab";
import { loadTopologyOrThrow } from "../../src/topology";
import { figure, sleep, type Figure } from "../lib/stats";

/** A workload on a 3-machine process mesh: what it sustains, and what recording its operations costs. */
export interface LabWorkloadsResult {
  inFlight: number;
  seconds: number;
  /** Operations per second the calls workload completed (every one recorded). */
  opsPerSecond: Figure;
  /** The scenario's wall time (start, workload, stop) without a recorder, and with one (history and every checker). */
  plainS: Figure;
  recordedS: Figure;
  /** recorded / plain, paired per run. */
  ratio: Figure;
}

/** One scenario: the three-machine mesh, `gamma/reporter` calling `billing` with N in flight for `ms`. */
async function scenario(o: { inFlight: number; ms: number; record: boolean }): Promise<{ s: number; ops: number }> {
  const started = process.hrtime.bigint();
  const { plan } = await loadTopologyOrThrow("three-machine-mesh");
  const lab = await new Lab({ plan, handleSignals: false, env: { ...process.env, TOXIPROXY_URL: "" } }).start();
  let ops = 0;
  try {
    const recording = o.record ? recordLab(lab) : undefined;
    lab.on((e) => void (e.type === "operation" && ops++));
    await lab.workloads.start({ kind: "calls", process: "gamma/reporter", service: "billing", inFlight: o.inFlight });
    await sleep(o.ms);
    await lab.workloads.stop();
    await lab.drainEvents();
    if (recording) await recording.assertInvariants();
  } finally {
    await lab.discardLogs();
  }
  return { s: Number(process.hrtime.bigint() - started) / 1e9, ops };
}

export async function labWorkloadsSection(
  o: { runs: number; inFlight: number; ms: number },
  log: (s: string) => void,
): Promise<LabWorkloadsResult> {
  const plain: number[] = [];
  const recorded: number[] = [];
  const rates: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const p = await scenario({ ...o, record: false });
    const r = await scenario({ ...o, record: true });
    plain.push(p.s);
    recorded.push(r.s);
    rates.push(p.ops / (o.ms / 1000), r.ops / (o.ms / 1000));
    log(
      `workloads run ${i + 1}: ${p.ops} and ${r.ops} calls in ${o.ms} ms; scenario ${p.s.toFixed(2)} s plain, ${r.s.toFixed(2)} s recorded`,
    );
  }
  return {
    inFlight: o.inFlight,
    seconds: o.ms / 1000,
    opsPerSecond: figure(rates, "ops/s"),
    plainS: figure(plain, "s"),
    recordedS: figure(recorded, "s"),
    ratio: figure(
      recorded.map((r, i) => r / plain[i]),
      "×",
    ),
  };
}
