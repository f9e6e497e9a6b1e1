import type { MachineDriver } from "../drivers";
import type { Logger } from "../runs";
import type { Plan } from "../topology";

/** A lab's resolved configuration (every default applied): what starting and running a lab read. */
export interface LabConfig {
  readonly plan: Plan;
  readonly driver: MachineDriver;
  readonly runId: string;
  readonly runDir: string;
  /** True when runDir is the lab's own (not given in the options): discardLogs() may remove it. */
  readonly ownsRunDir: boolean;
  readonly stateDir: string;
  readonly now: () => number;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** The user's project (absolute): what programs of the topology run from (DriverRunOptions.projectDir). */
  readonly projectDir: string;
  readonly readyTimeoutMs: number;
  readonly pollMs: number;
  readonly handleSignals: boolean;
}
