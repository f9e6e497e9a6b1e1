import type { MachineClient, WorkloadSpec } from "../machine";
import { LabError } from "./errors";

/** What a step asks for: calls from a process, or publications of a process's service. */
export type WorkloadRequest =
  | {
      kind: "calls";
      /** The calling process. */
      process: string;
      service: string;
      method?: string;
      args?: unknown;
      /** Open loop: one call per period. */
      everyMs?: number;
      /** Closed loop: that many calls outstanding. */
      inFlight?: number;
      timeoutMs?: number;
    }
  | { kind: "publish"; process: string; service: string; subject: string; everyMs: number; lifetime?: number };

/** A workload as the lab's events, the history and the reports describe it. */
export interface LabWorkload {
  /** "w1", "w2"… in the order the lab started them. */
  id: string;
  process: string;
  kind: "calls" | "publish";
  service: string;
  method?: string;
  subject?: string;
  everyMs?: number;
  inFlight?: number;
  /** Publications: their cache lifetime (S-40). */
  lifetime?: number;
  /** Calls: their timeout (the topology's request timeout when absent). */
  timeoutMs?: number;
}

/** What the workloads need of a started lab. */
export interface WorkloadHost {
  target(address: string): { client: MachineClient; name: string; address: string };
  /** Extra time a stop waits for the calls in flight: the topology's request timeout. */
  requestTimeoutMs: number;
  emit(action: "started" | "stopped", workload: LabWorkload): void;
}

/**
 * The workloads of a lab: started inside their processes (machine/workload.ts), stopped by a step or when the lab
 * stops. A workload ends with its process: one whose process crashed or stopped runs no more (start a new one).
 */
export class LabWorkloads {
  private readonly running = new Map<string, LabWorkload>();
  private count = 0;

  constructor(private readonly host: WorkloadHost) {}

  list(): LabWorkload[] {
    return [...this.running.values()];
  }

  async start(request: WorkloadRequest): Promise<LabWorkload> {
    const t = this.host.target(request.process);
    if (request.kind === "calls" && request.everyMs === undefined && request.inFlight === undefined)
      throw new LabError("LAB_STATE", "a call workload needs a period (every N ms) or a number of calls in flight");
    const id = `w${++this.count}`;
    const { process: _, ...rest } = request;
    const spec = { id, ...rest } as WorkloadSpec;
    await t.client.startWorkload(t.name, spec);
    const workload: LabWorkload = {
      id,
      process: t.address,
      kind: request.kind,
      service: request.service,
      ...(request.kind === "calls" && request.method !== undefined ? { method: request.method } : {}),
      ...(request.kind === "publish" ? { subject: request.subject } : {}),
      ...(request.everyMs !== undefined ? { everyMs: request.everyMs } : {}),
      ...(request.kind === "calls" && request.inFlight !== undefined ? { inFlight: request.inFlight } : {}),
      ...(request.kind === "publish" ? { lifetime: request.lifetime ?? 0 } : {}),
      ...(request.kind === "calls" ? { timeoutMs: request.timeoutMs ?? this.host.requestTimeoutMs } : {}),
    };
    this.running.set(id, workload);
    this.host.emit("started", workload);
    return workload;
  }

  /**
   * Stops every running workload (or the one named), waiting for their calls in flight up to the request timeout;
   * a workload whose process is gone counts as stopped.
   */
  async stop(id?: string): Promise<void> {
    const which = id === undefined ? this.list() : [this.running.get(id)].filter((w) => w !== undefined);
    if (id !== undefined && which.length === 0)
      throw new LabError(
        "LAB_STATE",
        `no workload "${id}" runs; running: ${this.list()
          .map((w) => w.id)
          .join(", ")}`,
      );
    await Promise.all(
      which.map(async (w) => {
        const t = this.host.target(w.process);
        await t.client
          .stopWorkloads(t.name, { id: w.id, graceMs: this.host.requestTimeoutMs + 1000 })
          .catch(() => undefined);
        this.running.delete(w.id);
        this.host.emit("stopped", w);
      }),
    );
  }
}
