import { FaultProxyError, asFaultProxyError, missingField, proxyExists, proxyNotFound } from "./errors";
import type { FaultProxyLogger } from "./logger";
import { Mutex } from "./mutex";
import { Proxy } from "./proxy";
import type { StageEnv } from "./stub";

/** One entry of a Toxiproxy config file or /populate body. */
export interface ProxyConfig {
  name: string;
  /** @default "" (every interface, a free port) */
  listen?: string;
  upstream: string;
  /** @default true */
  enabled?: boolean;
}

/** What populate did: the proxies handled, in input order, and the error that stopped it, if any. */
export interface PopulateOutcome {
  proxies: Proxy[];
  error?: FaultProxyError;
}

/** Every proxy of a server, by name. Adds and removals are serialised. */
export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>();
  private readonly mutex = new Mutex();

  constructor(
    private readonly env: StageEnv,
    private readonly logger: FaultProxyLogger,
  ) {}

  newProxy(name: string, listen: string, upstream: string): Proxy {
    return new Proxy(name, listen, upstream, this.env, this.logger);
  }

  /** Adds a new proxy, started first when `start`; 409 if the name is taken, and nothing is added on failure. */
  add(proxy: Proxy, start: boolean): Promise<void> {
    return this.mutex.run(async () => {
      if (this.proxies.has(proxy.name)) throw proxyExists();
      if (start) await proxy.start();
      this.proxies.set(proxy.name, proxy);
    });
  }

  /**
   * Keeps an existing proxy of that name when its listen (resolved) and upstream are the same, whatever
   * `enabled` says; otherwise stops it and puts `proxy` in its place (the old one stays, stopped, if the new one
   * fails to start).
   */
  addOrReplace(proxy: Proxy, start: boolean): Promise<Proxy> {
    return this.mutex.run(async () => {
      const existing = this.proxies.get(proxy.name);
      if (existing) {
        if (!(await existing.differs(proxy))) return existing;
        await existing.stop();
      }
      if (start) await proxy.start();
      this.proxies.set(proxy.name, proxy);
      return proxy;
    });
  }

  /** Validates every entry first (nothing changes on a missing field), then applies them in order. */
  async populate(entries: readonly ProxyConfig[]): Promise<PopulateOutcome> {
    for (const [i, entry] of entries.entries()) {
      if (!entry.name) return { proxies: [], error: missingField(`name at proxy ${i + 1}`) };
      if (!entry.upstream) return { proxies: [], error: missingField(`upstream at proxy ${i + 1}`) };
    }
    const proxies: Proxy[] = [];
    for (const entry of entries) {
      try {
        const proxy = this.newProxy(entry.name, entry.listen ?? "", entry.upstream);
        proxies.push(await this.addOrReplace(proxy, entry.enabled ?? true));
      } catch (err) {
        return { proxies, error: asFaultProxyError(err) };
      }
    }
    return { proxies };
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  /** Every proxy, sorted by name. */
  all(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  remove(name: string): Promise<void> {
    return this.mutex.run(async () => {
      const proxy = this.get(name);
      await proxy.stop();
      this.proxies.delete(name);
    });
  }

  /** Stops and forgets every proxy. */
  clear(): Promise<void> {
    return this.mutex.run(async () => {
      await Promise.all([...this.proxies.values()].map((proxy) => proxy.stop()));
      this.proxies.clear();
    });
  }
}
