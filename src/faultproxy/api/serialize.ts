import type { Proxy } from "../proxy";
import type { ToxicJson } from "../toxic-wrapper";

/** The JSON form of a proxy, keys in Toxiproxy's order (including its empty "Logger" artefact). */
export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  Logger: Record<string, never>;
  toxics: ToxicJson[];
}

export function proxyJson(proxy: Proxy): ProxyJson {
  return {
    name: proxy.name,
    listen: proxy.listen,
    upstream: proxy.upstream,
    enabled: proxy.enabled,
    Logger: {},
    toxics: proxy.toxics.list().map((toxic) => toxic.toJSON()),
  };
}
