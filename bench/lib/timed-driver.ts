import type { DriverRun, MachineDriver, StartedMachine, StoppedMachine } from "../../src/drivers";

/**
 * Wraps a machine driver to note the instant each machine is crashed (just before the SIGKILL / docker kill):
 * the lab's own "crashed" event comes after the machine is gone, too late to time detection from.
 */
export class TimedDriver implements MachineDriver {
  readonly crashedAt = new Map<string, number>();
  readonly name: string;

  constructor(
    private readonly inner: MachineDriver,
    private readonly now: () => number = Date.now,
  ) {
    this.name = inner.name;
  }

  async open(options: Parameters<MachineDriver["open"]>[0]): Promise<DriverRun> {
    const run = await this.inner.open(options);
    const wrapStopped = (s: StoppedMachine): StoppedMachine => ({
      machine: s.machine,
      exit: s.exit,
      logs: (n) => s.logs(n),
      start: async (spec) => wrapStarted(await s.start(spec)),
    });
    const wrapStarted = (m: StartedMachine): StartedMachine => ({
      machine: m.machine,
      controlUrl: m.controlUrl,
      id: m.id,
      get frozen() {
        return m.frozen;
      },
      exited: m.exited,
      freeze: () => m.freeze(),
      thaw: () => m.thaw(),
      crash: async () => {
        this.crashedAt.set(m.machine, this.now());
        return wrapStopped(await m.crash());
      },
      shutdown: async () => wrapStopped(await m.shutdown()),
      logs: (n) => m.logs(n),
    });
    return {
      driver: run.driver,
      proxyServer: run.proxyServer,
      placement: (machine) => run.placement(machine),
      start: async (spec) => wrapStarted(await run.start(spec)),
      close: () => run.close(),
    };
  }
}
