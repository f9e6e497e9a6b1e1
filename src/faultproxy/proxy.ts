import { connect, createServer, type Server, type Socket } from "node:net";
import { Connection } from "./connection";
import { alreadyStarted } from "./errors";
import { listenLikeGo, parsePort, resolvedListen, splitHostPort } from "./listen-address";
import type { FaultProxyLogger } from "./logger";
import { Mutex } from "./mutex";
import type { StageEnv } from "./stub";
import { ToxicCollection } from "./toxic-collection";

/** The fields a client may set on a proxy. */
export interface ProxySettings {
  listen: string;
  upstream: string;
  enabled: boolean;
}

/** Something that holds sockets of this proxy and can drop them. */
interface Droppable {
  destroy(): void;
}

/**
 * A TCP proxy: listens on `listen`, dials `upstream` for every client and joins them through a Connection.
 * `listen` holds the address as given until the first start, then the bound address ("127.0.0.1:40123"), so
 * that disable/enable re-binds the same port.
 */
export class Proxy {
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: Server | null = null;
  private readonly connections = new Set<Droppable>();
  private readonly mutex = new Mutex();

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly env: StageEnv,
    private readonly logger: FaultProxyLogger,
  ) {}

  /** Binds the listener; fails with FP_ALREADY_STARTED when enabled, or a 500 listen error. */
  start(): Promise<void> {
    return this.mutex.run(() => this.startNow());
  }

  /** Closes the listener and every connection; a no-op when disabled. */
  stop(): Promise<void> {
    return this.mutex.run(() => this.stopNow());
  }

  /** Applies a listen/upstream change (restarting on the same terms) and then the enabled transition. */
  update(settings: ProxySettings): Promise<void> {
    return this.mutex.run(async () => {
      if (await this.differs(settings)) {
        await this.stopNow();
        this.listen = settings.listen;
        this.upstream = settings.upstream;
      }
      if (settings.enabled !== this.enabled) {
        if (settings.enabled) await this.startNow();
        else await this.stopNow();
      }
    });
  }

  /** Toxiproxy's Differs: the requested listen, resolved without binding, or the upstream string changed. */
  async differs(settings: Pick<ProxySettings, "listen" | "upstream">): Promise<boolean> {
    return this.listen !== (await resolvedListen(settings.listen)) || this.upstream !== settings.upstream;
  }

  private async startNow(): Promise<void> {
    if (this.enabled) throw alreadyStarted();
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => this.accept(client));
    this.listen = await listenLikeGo(server, this.listen);
    this.server = server;
    this.enabled = true;
    this.logger.info({ proxy: this.name, listen: this.listen, upstream: this.upstream }, "Started proxy");
  }

  private async stopNow(): Promise<void> {
    const server = this.server;
    if (!this.enabled || !server) return;
    this.enabled = false;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of [...this.connections]) connection.destroy();
    this.connections.clear();
    await closed;
    this.logger.info({ proxy: this.name }, "Terminated proxy");
  }

  private accept(client: Socket): void {
    client.on("error", () => undefined);
    let host: string;
    let port: number;
    try {
      const parts = splitHostPort(this.upstream);
      host = parts.host;
      port = parsePort(parts.port);
    } catch (err) {
      this.logger.error({ proxy: this.name, upstream: this.upstream, err }, "Unable to open connection to upstream");
      client.destroy();
      return;
    }
    const server = connect({ host: host || "localhost", port, allowHalfOpen: true });
    server.on("error", () => undefined);
    const pending: Droppable = { destroy: () => (client.destroy(), server.destroy()) };
    this.connections.add(pending);
    const dialFailed = (err: Error): void => {
      this.connections.delete(pending);
      this.logger.error({ proxy: this.name, upstream: this.upstream, err }, "Unable to open connection to upstream");
      client.destroy();
    };
    server.once("error", dialFailed);
    server.once("connect", () => {
      server.off("error", dialFailed);
      this.connections.delete(pending);
      if (client.destroyed) return void server.destroy();
      const connection = new Connection(client, server, this.toxics, this.env, (gone) => this.connections.delete(gone));
      this.connections.add(connection);
      connection.start();
    });
  }
}
