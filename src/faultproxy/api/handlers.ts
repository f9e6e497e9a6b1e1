import {
  asFaultProxyError,
  FaultProxyError,
  invalidStream,
  invalidToxicType,
  missingField,
  toxicExists,
  toxicNotFound,
} from "../errors";
import type { ProxyCollection } from "../proxy-collection";
import { parseDirection } from "../stream";
import { ToxicWrapper } from "../toxic-wrapper";
import { toxicDefinition } from "../toxics/registry";
import {
  decodeAttributes,
  decodePopulate,
  decodeProxy,
  decodeToxicEnvelope,
  decodeToxicUpdate,
  zeroAttributes,
} from "./decode";
import { goStringify, goStringifyEntries, jsonReply, noContent, rawJsonReply, type Reply } from "./http-io";
import { proxyJson } from "./serialize";

/** What a handler gets: the route's path variables and the request body (read on demand). */
export interface ApiCall {
  params: Record<string, string>;
  body(): Promise<string>;
}

export type Handler = (call: ApiCall) => Promise<Reply>;

/** The Toxiproxy 2.12 endpoints over a proxy collection. */
export function handlers(proxies: ProxyCollection, version: string) {
  return {
    async listProxies(): Promise<Reply> {
      return rawJsonReply(200, goStringifyEntries(proxies.all().map((p) => [p.name, proxyJson(p)])));
    },

    async createProxy({ body }: ApiCall): Promise<Reply> {
      const input = decodeProxy(await body());
      if (!input.name) throw missingField("name");
      if (!input.upstream) throw missingField("upstream");
      const proxy = proxies.newProxy(input.name, input.listen ?? "", input.upstream);
      await proxies.add(proxy, input.enabled ?? true);
      return jsonReply(201, proxyJson(proxy));
    },

    async populate({ body }: ApiCall): Promise<Reply> {
      let entries;
      try {
        entries = decodePopulate(await body());
      } catch (err) {
        const error = asFaultProxyError(err);
        return jsonReply(error.status, { error: error.message, status: error.status, proxies: null });
      }
      const outcome = await proxies.populate(entries);
      const handled = outcome.proxies.length > 0 ? outcome.proxies.map(proxyJson) : null;
      if (!outcome.error) return jsonReply(201, { proxies: handled });
      return jsonReply(outcome.error.status, {
        error: outcome.error.message,
        status: outcome.error.status,
        proxies: handled,
      });
    },

    async showProxy({ params }: ApiCall): Promise<Reply> {
      return jsonReply(200, proxyJson(proxies.get(params.proxy)));
    },

    async updateProxy({ params, body }: ApiCall): Promise<Reply> {
      const proxy = proxies.get(params.proxy);
      const input = decodeProxy(await body());
      await proxy.update({
        listen: input.listen ?? proxy.listen,
        upstream: input.upstream ?? proxy.upstream,
        enabled: input.enabled ?? proxy.enabled,
      });
      return jsonReply(200, proxyJson(proxy));
    },

    async deleteProxy({ params }: ApiCall): Promise<Reply> {
      await proxies.remove(params.proxy);
      return noContent();
    },

    async reset(): Promise<Reply> {
      for (const proxy of proxies.all()) {
        try {
          await proxy.start();
        } catch (err) {
          if (!(err instanceof FaultProxyError && err.code === "FP_ALREADY_STARTED")) throw err;
        }
        await proxy.toxics.reset();
      }
      return noContent();
    },

    async listToxics({ params }: ApiCall): Promise<Reply> {
      return jsonReply(200, proxies.get(params.proxy).toxics.list());
    },

    async createToxic({ params, body }: ApiCall): Promise<Reply> {
      const proxy = proxies.get(params.proxy);
      const envelope = decodeToxicEnvelope(await body());
      const stream = envelope.stream ?? "downstream";
      const direction = parseDirection(stream);
      if (!direction) throw invalidStream();
      const type = envelope.type ?? "";
      const name = envelope.name || `${type}_${stream}`;
      const definition = toxicDefinition(type);
      if (!definition) throw invalidToxicType();
      const toxic = await proxy.toxics.locked(async () => {
        if (proxy.toxics.find(name)) throw toxicExists();
        const zero = zeroAttributes(definition);
        const attributes = { ...zero, ...decodeAttributes(envelope.attributes, definition, zero) };
        const created = new ToxicWrapper(name, definition, stream, direction, envelope.toxicity ?? 1, attributes);
        await proxy.toxics.add(created);
        return created;
      });
      return jsonReply(200, toxic);
    },

    async showToxic({ params }: ApiCall): Promise<Reply> {
      const toxic = proxies.get(params.proxy).toxics.find(params.toxic);
      if (!toxic) throw toxicNotFound();
      return jsonReply(200, toxic);
    },

    async updateToxic({ params, body }: ApiCall): Promise<Reply> {
      const proxy = proxies.get(params.proxy);
      const text = await body();
      const toxic = await proxy.toxics.locked(async () => {
        const found = proxy.toxics.find(params.toxic);
        if (!found) throw toxicNotFound();
        const input = decodeToxicUpdate(text);
        const changes = decodeAttributes(input.attributes, found.definition, found.attributes);
        await proxy.toxics.update(found, changes, input.toxicity ?? found.toxicity);
        return found;
      });
      return jsonReply(200, toxic);
    },

    async deleteToxic({ params }: ApiCall): Promise<Reply> {
      const proxy = proxies.get(params.proxy);
      await proxy.toxics.locked(async () => {
        const found = proxy.toxics.find(params.toxic);
        if (!found) throw toxicNotFound();
        await proxy.toxics.remove(found);
      });
      return noContent();
    },

    async version(): Promise<Reply> {
      return {
        status: 200,
        headers: { "Content-Type": "application/json;charset=utf-8" },
        body: `{"version": ${goStringify(version)}}\n`,
      };
    },
  };
}
