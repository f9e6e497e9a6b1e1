import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import type { Plan } from "../topology";
import type { MachineDriver } from "../drivers";
import { createDriver, driverNameFrom } from "../drivers";
import type { Logger } from "../runs";
import { silentLogger } from "../runs";
import { defaultRunsDir } from "../runs";
import { defaultStateDir } from "../runs";
import type { LabConfig } from "./config";
import { startLab } from "./start";
import type { StartedLab } from "./started-lab";

/** Everything a lab can be configured with; only `plan` is required. */
export interface LabOptions {
  /** What to run (from the topology loader). */
  plan: Plan;
  /** How machines are run: a driver, or a registered driver's name ("processes", "containers"). @default processes */
  driver?: MachineDriver | string;
  /** Identifies the run in proxy names, the run registry, logs. @default a new id from `ids` */
  runId?: string;
  /** Id generator. @default time + random hex, e.g. "m3k2f1-9c1a" */
  ids?: () => string;
  /** The lab's clock (epoch ms). @default Date.now */
  now?: () => number;
  /** @default silent */
  logger?: Logger;
  /**
   * Logs of this run's machines and fault proxy. @default `<defaultRunsDir(env)>/<runId>`, which the lab owns:
   * `StartedLab.discardLogs()` removes it (a runDir given here is never removed).
   */
  runDir?: string;
  /** Run registry and subnet locks. @default $EXLAB_STATE_DIR or <os tmpdir>/exlab-state */
  stateDir?: string;
  /** Environment for the machines and the proxy-server choice. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The user's project, which programs of the topology run from (made absolute). @default process.cwd() */
  projectDir?: string;
  /** Deadline for every process to be up and every configured link active. @default 30000 */
  readyTimeoutMs?: number;
  /** Polling interval of assertions and of readiness. @default 100 */
  pollMs?: number;
  /** Stop the lab on SIGINT/SIGTERM and kill its machines on exit of the runner. @default true */
  handleSignals?: boolean;
}

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
}

/**
 * A configured lab: nothing runs until `start()`, which resolves with a {@link StartedLab} once every process is
 * up and every configured link is active (or rejects, having stopped everything it started).
 */
export class Lab implements LabConfig {
  readonly plan: Plan;
  readonly driver: MachineDriver;
  readonly runId: string;
  readonly runDir: string;
  readonly ownsRunDir: boolean;
  readonly stateDir: string;
  readonly now: () => number;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly projectDir: string;
  readonly readyTimeoutMs: number;
  readonly pollMs: number;
  readonly handleSignals: boolean;

  constructor(options: LabOptions) {
    this.plan = options.plan;
    this.driver =
      typeof options.driver === "object"
        ? options.driver
        : createDriver(driverNameFrom(options.driver), { stateDir: options.stateDir });
    this.runId = options.runId ?? (options.ids ?? newRunId)();
    this.env = options.env ?? process.env;
    this.projectDir = resolve(options.projectDir ?? process.cwd());
    this.runDir = options.runDir ?? join(defaultRunsDir(this.env), this.runId);
    this.ownsRunDir = options.runDir === undefined;
    this.stateDir = options.stateDir ?? defaultStateDir(this.env);
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 30000;
    this.pollMs = options.pollMs ?? 100;
    this.handleSignals = options.handleSignals ?? true;
  }

  start(): Promise<StartedLab> {
    return startLab(this);
  }
}
