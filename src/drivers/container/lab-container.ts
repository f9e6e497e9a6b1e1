import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer } from "testcontainers";

/** Where published ports are bound on the engine's host: loopback only (DESIGN §9). */
export const PUBLISH_HOST = "127.0.0.1";

/**
 * A testcontainers GenericContainer with the lab's defaults, applied just before the container is created:
 * - every published port is bound to 127.0.0.1 (testcontainers binds 0.0.0.0 and has no option for the host IP);
 * - names stay inside the run: with an explicit `ndots:1` and no search domain, Docker's embedded DNS answers a
 *   single-label name it does not know (a stopped machine's alias) with "not found" at once instead of forwarding
 *   it, and anything it would forward goes to the container's own loopback (where nothing answers), never to the
 *   host's resolvers;
 * - `start()` refuses an image that is not local (testcontainers would pull it) unless `withPullAllowed()`.
 */
export class LabContainer extends GenericContainer {
  private dnsServers: string[] = ["127.0.0.1"];
  private initProcess = false;
  private pullAllowed = false;

  /** Lets testcontainers pull the image when it is absent (only for an image the user named). @default refused */
  withPullAllowed(allowed = true): this {
    this.pullAllowed = allowed;
    return this;
  }

  override async start(): Promise<StartedTestContainer> {
    if (!this.pullAllowed) {
      const client = await getContainerRuntimeClient();
      if (!(await client.image.exists(this.imageName))) {
        throw new Error(`the image ${this.imageName.string} is not present locally; not starting it, to avoid a pull`);
      }
    }
    return super.start();
  }

  /** Forwarders of the embedded DNS for names outside the network. @default ["127.0.0.1"] (none: nothing leaves) */
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
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as {
      HostIp?: string;
      HostPort?: string;
    }[][]) {
      for (const b of bindings) b.HostIp = PUBLISH_HOST;
    }
    this.hostConfig.Dns = this.dnsServers;
    this.hostConfig.DnsOptions = ["ndots:1"];
    this.hostConfig.DnsSearch = ["."];
    if (this.initProcess) this.hostConfig.Init = true;
  }
}
