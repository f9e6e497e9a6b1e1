import { Toxiproxy, type Proxy, type ToxicType } from "toxiproxy-node-client";
import { messageOf } from "../../common";
import { FaultError } from "../errors";
import type { Fault, FaultPlan, LinkSet, ProxyOp } from "./plan";
import { planFault } from "./registry";

/** One proxy to create: its plan name, where it listens (host:0) and what it forwards to. */
export interface ProxyToCreate {
  name: string;
  listen: string;
  upstream: string;
}

/** A created proxy: its plan name, full name on the server and the resolved listen address. */
export interface CreatedProxy {
  name: string;
  serverName: string;
  listenHost: string;
  listenPort: number;
  upstream: string;
}

/**
 * Applies faults to a run's proxies through `toxiproxy-node-client`, so the same code drives our fault proxy and a
 * real Toxiproxy. Proxy names on the server are `<prefix><plan name>`: several runs can share one server.
 */
export class FaultInjector {
  private readonly client: Toxiproxy;
  private readonly proxies = new Map<string, Proxy>();

  constructor(
    readonly url: string,
    readonly prefix: string,
    private readonly links: LinkSet,
  ) {
    this.client = new Toxiproxy(url);
  }

  /**
   * Creates every proxy in one `POST /populate` (Toxiproxy's bulk call, which replaces a leftover proxy of the same
   * name): one request instead of one per proxy, so a 12-machine mesh's 66 proxies cost the runner and the proxy
   * server one HTTP exchange.
   */
  async createProxies(wanted: ProxyToCreate[]): Promise<CreatedProxy[]> {
    if (wanted.length === 0) return [];
    const body = wanted.map((w) => ({
      name: this.prefix + w.name,
      listen: w.listen,
      upstream: w.upstream,
      enabled: true,
    }));
    let made: Record<string, Proxy>;
    try {
      made = await this.client.populate(body);
    } catch (err) {
      throw new FaultError(
        `could not create the run's ${wanted.length} proxies (POST ${this.url}/populate): ${messageOf(err)}`,
        { cause: err },
      );
    }
    return wanted.map((w) => {
      const serverName = this.prefix + w.name;
      const proxy = made[serverName];
      if (!proxy) throw new FaultError(`POST ${this.url}/populate did not return proxy ${serverName}`);
      this.proxies.set(w.name, proxy);
      const at = proxy.listen.lastIndexOf(":");
      return {
        name: w.name,
        serverName,
        listenHost: proxy.listen.slice(0, at).replace(/^\[|\]$/g, ""),
        listenPort: Number(proxy.listen.slice(at + 1)),
        upstream: w.upstream,
      };
    });
  }

  /** Plans and applies a fault; resolves with what was done. */
  async apply(fault: Fault): Promise<FaultPlan> {
    let plan: FaultPlan;
    try {
      plan = planFault(this.links, fault);
    } catch (err) {
      throw new FaultError(messageOf(err), { cause: err });
    }
    const byProxy = new Map<string, ProxyOp[]>();
    for (const op of plan.ops) byProxy.set(op.proxy, [...(byProxy.get(op.proxy) ?? []), op]);
    await Promise.all(
      [...byProxy.values()].map(async (ops) => {
        for (const op of ops) await this.run(op);
      }),
    );
    return plan;
  }

  private proxy(name: string): Proxy {
    const p = this.proxies.get(name);
    if (!p)
      throw new FaultError(`proxy ${name} was not created by this run (known: ${[...this.proxies.keys()].join(", ")})`);
    return p;
  }

  private async run(op: ProxyOp): Promise<void> {
    const proxy = this.proxy(op.proxy);
    try {
      switch (op.op) {
        case "disable":
        case "enable":
          await proxy.update({ enabled: op.op === "enable", listen: proxy.listen, upstream: proxy.upstream });
          return;
        case "addToxic":
          await this.addToxic(proxy, op.toxic);
          return;
        case "clearToxics": {
          const { data } = await proxy.api.get<{ name: string }[]>(`${proxy.getPath()}/toxics`);
          await Promise.all(
            (data ?? []).map((t) =>
              proxy.api.delete(`${proxy.getPath()}/toxics/${encodeURIComponent(t.name)}`).catch(() => {}),
            ),
          );
          return;
        }
      }
    } catch (err) {
      if (err instanceof FaultError) throw err;
      throw new FaultError(`${op.op} on proxy ${proxy.name} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  private async addToxic(proxy: Proxy, toxic: Extract<ProxyOp, { op: "addToxic" }>["toxic"]): Promise<void> {
    // The type goes to the server as is: ours also knows the toxic types registered with `registerToxic`.
    const body = { ...toxic, type: toxic.type as ToxicType, toxicity: 1 };
    try {
      await proxy.addToxic(body);
    } catch (err) {
      if (!/409/.test(messageOf(err))) throw err;
      await proxy.api.delete(`${proxy.getPath()}/toxics/${encodeURIComponent(toxic.name)}`);
      await proxy.addToxic(body);
    }
  }

  /** Deletes every proxy of this run from the server (best effort; used at stop). */
  async removeAll(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.remove().catch(() => {})));
    this.proxies.clear();
  }
}
