import { join } from "node:path";
import type { MachineSpec } from "../../machine";
import { UnknownNameError } from "../../common";
import {
  PROCESS_GROUP,
  type DriverRun,
  type DriverRunOptions,
  type MachineDriver,
  type MachinePlacement,
  type ProxyServerInfo,
  type StartedMachine,
} from "../driver";
import { defaultStateDir } from "../../runs";
import { removeRun } from "./cleanup";
import { ContainerMachine } from "./container-machine";
import { PROJECT_DIR_IN_IMAGE } from "./context";
import { type Engine, getEngine } from "./engine";
import { faultProxyAlias, startFaultProxyContainer, type FaultProxyContainer } from "./faultproxy-container";
import { IMAGE_REPOSITORIES } from "./image-prune";
import { keepImagesSetting, type ImageRepositories } from "./image-selection";
import type { LogTail } from "./log-tail";
import { createRunNetwork, type RunNetwork } from "./network";
import { startRunReaper, type RunReaper } from "./reaper";
import { RunImages } from "./run-images";

export interface ContainerDriverOptions {
  /** Where the run registry lives (the reaper removes a killed run's record). @default defaultStateDir(env) */
  stateDir?: string;
  /** Port of the control API inside every machine, published on 127.0.0.1. @default 7700 */
  controlPort?: number;
  /** Deadline for a machine's EXLAB_READY line (and the fault proxy's API). @default 30000 */
  readyTimeoutMs?: number;
  /** `docker stop` grace before SIGKILL. @default 5000 */
  stopGraceMs?: number;
  /**
   * Bind-mount each machine's process-log directory from the host. @default true when the engine is reached over
   * a unix socket (it shares this filesystem)
   */
  mountRunDir?: boolean;
  /**
   * Start a watchdog process that removes the run's containers and network if the runner dies without closing
   * the run (SIGKILL, crash). @default true, unless EXLAB_CONTAINER_REAPER=0
   */
  reaper?: boolean;
  /** The engine. @default getEngine() (checks it answers; EngineUnavailableError says how to start one) */
  engine?: () => Promise<Engine>;
  /** Image of the machines. @default ensureMachineImage() */
  machineImage?: (engine: Engine) => Promise<string>;
  /**
   * Image of our fault proxy (used unless Toxiproxy's is local or TOXIPROXY_IMAGE is set). @default
   * ensureFaultProxyImage()
   */
  faultProxyImage?: (engine: Engine) => Promise<string>;
  /**
   * Image of the machines that run programs of the user's project (ProcessSpec.program). @default
   * ensureProjectImage() of DriverRunOptions.projectDir FROM the machine image
   */
  projectImage?: (engine: Engine, machineImage: string) => Promise<string>;
  /**
   * Once the run's images are there, older tags of the lab's repositories are removed, except those in use by this
   * run, leased by another live lab process, used by any container, or the base of one that stays; of the rest,
   * this many per repository stay (the most recently built). A whole number, or `all` to remove nothing.
   * @default EXLAB_KEEP_IMAGES, else 2
   */
  keepImages?: number | "all";
  /**
   * The repositories pruned. @default IMAGE_REPOSITORIES (exlab-base, exlab-machine, exlab-faultproxy, exlab-project;
   * tests use their own)
   */
  imageRepositories?: ImageRepositories;
}

/**
 * The container driver (DESIGN §4): machine N of a run is a container of the machine image on a network created
 * for the run, network alias = machine name, control API 7700 published on 127.0.0.1; the run's fault proxy is a
 * container on the same network (alias "faultproxy"), its API 8474 published on 127.0.0.1. Proxies listen on
 * 0.0.0.0:0 inside that container and forward to `<machine>:<port>`. Everything carries the run's labels and is
 * removed by `close()`, by the run's reaper if the runner dies, and by `exlab clean` (sweep.ts).
 */
export class ContainerDriver implements MachineDriver {
  readonly name = "containers";
  constructor(private readonly options: ContainerDriverOptions = {}) {}

  async open(run: DriverRunOptions): Promise<DriverRun> {
    const o = this.options;
    const keep = keepImagesSetting(o.keepImages, run.env);
    const engine = await (o.engine ?? getEngine)();
    const images = new RunImages({
      engine,
      run,
      stateDir: this.options.stateDir ?? defaultStateDir(run.env),
      keep,
      repositories: o.imageRepositories ?? IMAGE_REPOSITORIES,
      makers: { machineImage: o.machineImage, faultProxyImage: o.faultProxyImage, projectImage: o.projectImage },
    });
    const { proxyImage } = await images.open();
    const reaper =
      (o.reaper ?? run.env.EXLAB_CONTAINER_REAPER !== "0")
        ? startRunReaper({
            runId: run.runId,
            stateDir: o.stateDir,
            env: run.env,
            logFile: join(run.runDir, "reaper.log"),
          })
        : undefined;
    if (reaper) run.track(PROCESS_GROUP, `container-reaper#${reaper.pid}`, reaper.pid);
    let network: RunNetwork | undefined;
    try {
      network = await createRunNetwork(run.runId, { engine });
      const alias = faultProxyAlias(run.machines.map((m) => m.name));
      const proxy = await startFaultProxyContainer({
        engine,
        image: proxyImage,
        network,
        runId: run.runId,
        alias,
        logFile: join(run.runDir, "faultproxy.log"),
        readyTimeoutMs: o.readyTimeoutMs ?? 30000,
      });
      run.logger.info(
        `Started the fault proxy (${proxyImage.reason}) at ${proxy.url}, "${alias}" on network ${network.name}`,
      );
      return new ContainerDriverRun(run, engine, images, network, proxy, reaper, o);
    } catch (err) {
      await removeRun(run.runId, { engine }).catch(() => {});
      reaper?.stop();
      throw err;
    }
  }
}

class ContainerDriverRun implements DriverRun {
  readonly driver = "containers";
  private readonly tails = new Set<LogTail>();
  private readonly names: Set<string>;
  private closed = false;
  private closing?: Promise<void>;

  constructor(
    private readonly run: DriverRunOptions,
    private readonly engine: Engine,
    private readonly images: RunImages,
    private readonly network: RunNetwork,
    private readonly proxy: FaultProxyContainer,
    private readonly reaper: RunReaper | undefined,
    private readonly options: ContainerDriverOptions,
  ) {
    this.names = new Set(run.machines.map((m) => m.name));
  }

  get proxyServer(): ProxyServerInfo {
    return { url: this.proxy.url, kind: this.proxy.image.kind === "toxiproxy" ? "toxiproxy-container" : "container" };
  }

  placement(machine: string): MachinePlacement {
    if (!this.names.has(machine)) throw new UnknownNameError("machine", machine, [...this.names]);
    const alias = this.proxy.alias;
    return {
      bindHost: "0.0.0.0",
      localHost: "127.0.0.1",
      upstreamHost: machine,
      proxyListenHost: "0.0.0.0",
      proxyDialHost: () => alias,
      controlPort: this.options.controlPort ?? 7700,
      projectDir: PROJECT_DIR_IN_IMAGE,
    };
  }

  async start(spec: MachineSpec): Promise<StartedMachine> {
    const machine = await ContainerMachine.start(
      {
        engine: this.engine,
        image: (s) => this.imageFor(s),
        network: this.network,
        runId: this.run.runId,
        runDir: this.run.runDir,
        mountRunDir: this.options.mountRunDir ?? this.engine.info.endpoint.startsWith("unix://"),
        readyTimeoutMs: this.options.readyTimeoutMs ?? 30000,
        stopGraceMs: this.options.stopGraceMs ?? 5000,
        onLog: (tail) => this.tails.add(tail),
      },
      spec,
    );
    if (this.closed) {
      for (const t of this.tails) t.close();
      await this.engine.docker
        .getContainer(machine.containerId)
        .remove({ force: true })
        .catch(() => {});
    }
    return machine;
  }

  /** The machine image, or the project image when one of the machine's processes runs a program of the project. */
  private imageFor(spec: MachineSpec): Promise<string> {
    return spec.processes.some((p) => p.program) ? this.images.project() : Promise.resolve(this.images.machineImage);
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      for (const t of this.tails) t.close();
      this.proxy.closeLog();
      try {
        await removeRun(this.run.runId, { engine: this.engine });
      } finally {
        this.reaper?.stop();
      }
    })();
    return this.closing;
  }
}
