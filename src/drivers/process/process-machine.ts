import { join } from "node:path";
import type { MachineSpec } from "../../machine";
import { messageOf, notYet, ok, pollUntil, WaitTimeoutError } from "../../common";
import { MachineStartError } from "../errors";
import { groupMembers, signalGroup } from "../../runs";
import { distScript } from "../../runs";
import type { ExitInfo, StartedMachine, StoppedMachine } from "../driver";
import { DetachedChild } from "./child";

/** Everything one machine of the process driver needs to (re)start. */
export interface ProcessMachineOptions {
  spec: MachineSpec;
  runId: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  /** Readiness deadline for the EXLAB_READY line. @default 20000 */
  readyTimeoutMs: number;
  /** Grace period after SIGTERM before SIGKILL. @default 5000 */
  stopGraceMs: number;
  track(pgid: number): void;
  /** Called with every started machine, the first start and each start again. */
  onStarted(machine: ProcessMachine): void;
  onGone(machine: ProcessMachine): void;
}

const READY = "EXLAB_READY ";

/** Whether process group `pgid` is empty within `timeoutMs`. */
async function groupEmptied(pgid: number, timeoutMs: number): Promise<boolean> {
  const look = () => {
    const left = groupMembers(pgid).length;
    return left === 0 ? ok(true) : notYet(`${left} process(es) left`);
  };
  const describe = `process group ${pgid} to be empty`;
  return pollUntil(look, { describe, deadlineMs: timeoutMs, intervalMs: 5, maxIntervalMs: 50 }).catch((err) => {
    if (err instanceof WaitTimeoutError) return false;
    throw err;
  });
}

/** A machine as one supervisor process group on the machine's loopback address. */
export class ProcessMachine implements StartedMachine {
  readonly machine: string;
  readonly controlUrl: string;
  readonly id: string;
  frozen = false;

  private constructor(
    private readonly options: ProcessMachineOptions,
    private readonly proc: DetachedChild,
    controlPort: number,
  ) {
    this.machine = options.spec.machine;
    this.controlUrl = `http://${options.spec.bindHost}:${controlPort}`;
    this.id = String(proc.pid);
  }

  static async start(options: ProcessMachineOptions): Promise<ProcessMachine> {
    const { spec } = options;
    const logFile = join(options.logDir, `${spec.machine}.log`);
    const proc = new DetachedChild({
      script: distScript("machine/main.js"),
      env: {
        ...options.env,
        EXLAB_MACHINE_SPEC: JSON.stringify(spec),
        EXLAB_RUN_ID: options.runId,
        EXLAB_RUNNER_PID: String(process.pid),
        EXLAB_MACHINE: spec.machine,
      },
      logFile,
    });
    options.track(proc.pid);
    try {
      const ready = JSON.parse(await proc.waitForLine(READY, options.readyTimeoutMs)) as { controlPort: number };
      const machine = new ProcessMachine(options, proc, ready.controlPort ?? spec.controlPort);
      proc.exited.then(() => options.onGone(machine));
      options.onStarted(machine);
      return machine;
    } catch (err) {
      signalGroup(proc.pid, "SIGKILL");
      await proc.exited;
      throw new MachineStartError(spec.machine, messageOf(err), proc.lines(15), logFile, { cause: err });
    }
  }

  get exited(): Promise<ExitInfo> {
    return this.proc.exited;
  }

  get pid(): number {
    return this.proc.pid;
  }

  async freeze(): Promise<void> {
    signalGroup(this.proc.pid, "SIGSTOP");
    this.frozen = true;
  }

  async thaw(): Promise<void> {
    signalGroup(this.proc.pid, "SIGCONT");
    this.frozen = false;
  }

  async crash(): Promise<StoppedMachine> {
    signalGroup(this.proc.pid, "SIGKILL");
    return this.stopped();
  }

  async shutdown(): Promise<StoppedMachine> {
    signalGroup(this.proc.pid, "SIGTERM");
    if (this.frozen) signalGroup(this.proc.pid, "SIGCONT");
    const timer = setTimeout(() => signalGroup(this.proc.pid, "SIGKILL"), this.options.stopGraceMs);
    try {
      return await this.stopped();
    } finally {
      clearTimeout(timer);
    }
  }

  private async stopped(): Promise<StoppedMachine> {
    const exit = await this.proc.exited;
    this.frozen = false;
    if (!(await groupEmptied(this.proc.pid, this.options.stopGraceMs))) {
      signalGroup(this.proc.pid, "SIGKILL");
      await groupEmptied(this.proc.pid, 2000);
    }
    const options = this.options;
    const proc = this.proc;
    return {
      machine: this.machine,
      exit,
      start: (spec) => ProcessMachine.start(spec ? { ...options, spec } : options),
      logs: (n) => proc.lines(n),
    };
  }

  logs(lines = 20): string[] {
    return this.proc.lines(lines);
  }
}
