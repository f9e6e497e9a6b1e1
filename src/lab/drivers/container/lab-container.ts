import { GenericContainer } from "testcontainers";

/** Where published ports are bound on the engine's host: loopback only (DESIGN §9). */
export const PUBLISH_HOST = "127.0.0.1";

/**
 * A testcontainers GenericContainer with the lab's defaults, applied just before the container is created:
 * - every published port is bound to 127.0.0.1 (testcontainers binds 0.0.0.0 and has no option for the host IP);
 * - the embedded DNS forwards names it does not know to the container's own loopback (where nothing answers),
 *   so a lookup of a stopped machine's alias fails at once instead of leaving for the host's resolvers.
 */
export class LabContainer extends GenericContainer {
  private dnsServers: string[] = ["127.0.0.1"];
  private initProcess = false;

  /** Forwarders of the embedded DNS for names outside the network. @default ["127.0.0.1"] (none) */
  withDnsServers(servers: string[]): this {
    this.dnsServers = servers;
    return this;
  }

  /** Runs the engine's init (tini) as PID 1, which forwards signals and reaps orphans. @default off */
  withInit(init = true): this {
    this.initProcess = init;
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as { HostIp?: string; HostPort?: string }[][]) {
      for (const b of bindings) b.HostIp = PUBLISH_HOST;
    }
    this.hostConfig.Dns = this.dnsServers;
    if (this.initProcess) this.hostConfig.Init = true;
  }
}
