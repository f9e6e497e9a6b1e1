import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Wait } from "testcontainers";
import type { MachineSpec } from "../../machine";
import { messageOf } from "../../common";
import { MachineStartError } from "../errors";
import type { ExitInfo, StartedMachine, StoppedMachine } from "../driver";
import type { Engine } from "./engine";
import { LABEL_KIND, LABEL_MACHINE, runLabels } from "./labels";
import { LabContainer, PUBLISH_HOST } from "./lab-container";
import { LogTail } from "./log-tail";
import {
  exitInfoOf,
  ignoreNotRunning,
  mappedPort,
  networkAddress,
  waitForHealth,
  type InspectInfo,
} from "./machine-state";
import type { RunNetwork } from "./network";

/** Everything one machine container needs to (re)start. */
export interface ContainerMachineOptions {
  engine: Engine;
  /**
   * The image of a machine of this spec, already local: `exlab-machine:<hash>`, or `exlab-project:<hash>` when it
   * runs programs of the user's project (asked at each container creation: a new spec may need the other one).
   */
  image(spec: MachineSpec): Promise<string>;
  network: RunNetwork;
  runId: string;
  /** The machine's log is `<runDir>/<machine>.log`; its processes' logs `<runDir>/<machine>/` when mounted. */
  runDir: string;
  /** Bind-mount `spec.runDir` from the host (only when the engine shares this filesystem). */
  mountRunDir: boolean;
  /** Readiness deadline (EXLAB_READY line). */
  readyTimeoutMs: number;
  /** `docker stop` grace before SIGKILL. */
  stopGraceMs: number;
  /** Called with each machine's log follower, so that the run can close them all. */
  onLog(tail: LogTail): void;
}

/**
 * One machine as one container on the run's network, alias = machine name: crash = docker kill, shutdown = docker
 * stop, freeze/thaw = docker pause/unpause; starting again restarts the same container (same alias, new mapped
 * port), or replaces it when the spec changed (processes added at run time travel in EXLAB_MACHINE_SPEC).
 */
export class ContainerMachine implements StartedMachine {
  readonly machine: string;
  readonly controlUrl: string;
  readonly id: string;
  readonly exited: Promise<ExitInfo>;
  frozen = false;

  private constructor(
    private readonly options: ContainerMachineOptions,
    readonly spec: MachineSpec,
    readonly containerId: string,
    mappedControlPort: number,
    private readonly tail: LogTail,
    exited: Promise<ExitInfo>,
    /** The container's IP on the run's network (each start may give another). */
    readonly address: string | undefined,
  ) {
    this.machine = spec.machine;
    this.id = containerId.slice(0, 12);
    this.controlUrl = `http://${PUBLISH_HOST}:${mappedControlPort}`;
    this.exited = exited;
  }

  private handle() {
    return this.options.engine.docker.getContainer(this.containerId);
  }

  /** Resolves when the container's current run ends (never rejects). */
  private static waitExit(options: ContainerMachineOptions, id: string): Promise<ExitInfo> {
    return options.engine.docker
      .getContainer(id)
      .wait()
      .then(
        (r: { StatusCode?: number }) => exitInfoOf(r.StatusCode),
        () => exitInfoOf(null),
      );
  }

  static containerName(runId: string, machine: string): string {
    return `exlab-${runId}-${machine}`;
  }

  /** Creates and starts the machine's container; resolves once its control API answers GET /health. */
  static async start(options: ContainerMachineOptions, spec: MachineSpec, tail?: LogTail): Promise<ContainerMachine> {
    const logFile = join(options.runDir, `${spec.machine}.log`);
    const log = tail ?? new LogTail(options.engine.docker, { logFile });
    if (!tail) options.onLog(log);
    let id: string | undefined;
    let image: string;
    try {
      image = await options.image(spec);
    } catch (err) {
      if (!tail) log.close();
      throw err;
    }
    const container = new (class extends LabContainer {
      protected override async containerCreated(containerId: string): Promise<void> {
        id = containerId;
      }
      protected override async containerStarting(): Promise<void> {
        await log.follow(options.engine.docker.getContainer(id!));
      }
    })(image)
      .withName(ContainerMachine.containerName(options.runId, spec.machine))
      .withNetworkMode(options.network.name)
      .withNetworkAliases(spec.machine)
      .withLabels(runLabels(options.runId, { [LABEL_KIND]: "machine", [LABEL_MACHINE]: spec.machine }))
      // EXLAB_RUN_ID / EXLAB_RUNNER_PID (the runner's host pid): `exlab clean` leaves these processes alone while the
      // runner lives.
      .withEnvironment({
        EXLAB_MACHINE_SPEC: JSON.stringify(spec),
        EXLAB_RUN_ID: options.runId,
        EXLAB_RUNNER_PID: String(process.pid),
        EXLAB_MACHINE: spec.machine,
        // The checkers' proof hook (README "Evidence"): a deliberately broken exchange on containers too.
        ...(process.env.EXLAB_BROKEN_EXCHANGE ? { EXLAB_BROKEN_EXCHANGE: process.env.EXLAB_BROKEN_EXCHANGE } : {}),
      })
      .withExposedPorts(spec.controlPort)
      .withWaitStrategy(
        Wait.forHttp("/health", spec.controlPort, { abortOnContainerExit: true })
          .forStatusCode(200)
          .withReadTimeout(250),
      )
      .withStartupTimeout(options.readyTimeoutMs);
    if (options.mountRunDir) {
      mkdirSync(spec.runDir, { recursive: true });
      chmodSync(spec.runDir, 0o777);
      container.withBindMounts([{ source: spec.runDir, target: spec.runDir, mode: "rw" }]);
    }
    try {
      const started = await container.start();
      const exited = ContainerMachine.waitExit(options, started.getId());
      const port = started.getMappedPort(spec.controlPort);
      const address = started.getIpAddress(options.network.name) || undefined;
      return new ContainerMachine(options, spec, started.getId(), port, log, exited, address);
    } catch (err) {
      throw await ContainerMachine.failed(options, spec, log, logFile, id, err);
    }
  }

  /** Removes what a failed start left and builds the error (with the machine's last lines). */
  private static async failed(
    options: ContainerMachineOptions,
    spec: MachineSpec,
    log: LogTail,
    logFile: string,
    id: string | undefined,
    err: unknown,
  ): Promise<Error> {
    if (id) {
      const c = options.engine.docker.getContainer(id);
      const state = await c.inspect().then(
        (i: { State: { Status: string; ExitCode: number } }) => i.State,
        () => undefined,
      );
      if (state && state.Status !== "running") {
        await log.settled();
        log.note(`container ${id.slice(0, 12)} is ${state.Status} (exit code ${state.ExitCode})`);
      }
      await c.remove({ force: true }).catch(() => {});
    }
    log.close();
    return new MachineStartError(spec.machine, messageOf(err), log.lines(15), logFile, { cause: err });
  }

  async freeze(): Promise<void> {
    await this.handle().pause();
    this.frozen = true;
  }

  async thaw(): Promise<void> {
    await this.handle().unpause();
    this.frozen = false;
  }

  async crash(): Promise<StoppedMachine> {
    await this.handle()
      .kill({ signal: "SIGKILL" })
      .catch((err: { statusCode?: number }) => ignoreNotRunning(err));
    if (this.frozen)
      await this.handle()
        .unpause()
        .catch(() => {});
    this.tail.note("docker kill (machine crashes)");
    return this.stopped();
  }

  async shutdown(): Promise<StoppedMachine> {
    if (this.frozen)
      await this.handle()
        .unpause()
        .catch(() => {});
    this.tail.note("docker stop (machine shuts down)");
    await this.handle()
      .stop({ t: Math.ceil(this.options.stopGraceMs / 1000) })
      .catch((err: { statusCode?: number }) => ignoreNotRunning(err));
    return this.stopped();
  }

  private async stopped(): Promise<StoppedMachine> {
    const exit = await this.exited;
    this.frozen = false;
    return {
      machine: this.machine,
      exit,
      start: (spec) => this.startAgain(spec ?? this.spec),
      logs: (n) => this.tail.lines(n),
    };
  }

  /** Same spec: the same container again (docker start). Another spec: a new container in its place. */
  private async startAgain(spec: MachineSpec): Promise<StartedMachine> {
    if (JSON.stringify(spec) !== JSON.stringify(this.spec)) {
      await this.handle()
        .remove({ force: true })
        .catch(() => {});
      this.tail.note("the spec changed: a new container takes the machine's place");
      return ContainerMachine.start(this.options, spec, this.tail);
    }
    this.tail.note("docker start (machine starts again)");
    const logFile = join(this.options.runDir, `${spec.machine}.log`);
    try {
      await this.handle().start();
      const exited = ContainerMachine.waitExit(this.options, this.containerId);
      const info = (await this.handle().inspect()) as InspectInfo;
      await this.tail.follow(this.handle(), info.State.StartedAt);
      const port = mappedPort(info, spec.controlPort);
      await waitForHealth(`http://${PUBLISH_HOST}:${port}/health`, this.options.readyTimeoutMs, exited);
      const address = networkAddress(info, this.options.network.name);
      return new ContainerMachine(this.options, spec, this.containerId, port, this.tail, exited, address);
    } catch (err) {
      await this.handle()
        .kill()
        .catch(() => {});
      throw new MachineStartError(spec.machine, messageOf(err), this.tail.lines(15), logFile, { cause: err });
    }
  }

  logs(lines = 20): string[] {
    return this.tail.lines(lines);
  }
}
