import { badRequestBody, invalidAttribute } from "../errors";
import type { ProxyConfig } from "../proxy-collection";
import type { Attributes, ToxicDefinition } from "../toxics/toxic";
import { decodeStruct, fieldError, goKind, GoTypeError, matchFields, type GoStruct } from "./go-decode";
import { decodeFirstValue, GoJsonSyntaxError, GoObject, type GoValue } from "./go-json";

/** Fields a proxy request may carry (others, `toxics` included, are ignored). */
export interface ProxyFields {
  name?: string;
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

/** The envelope of a toxic create request (attributes are decoded separately, once the type is known). */
export interface ToxicEnvelope {
  name?: string;
  type?: string;
  stream?: string;
  toxicity?: number;
  attributes: GoValue;
}

const PROXY_FIELDS = { name: "string", listen: "string", upstream: "string", enabled: "bool" } as const;
const PROXY: GoStruct = { name: "Proxy", fields: PROXY_FIELDS };
const POPULATE_ENTRY: GoStruct = { name: "", fields: PROXY_FIELDS };
const POPULATE_ENTRY_TYPE = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
const TOXIC: GoStruct = {
  name: "ToxicWrapper",
  fields: { name: "string", type: "string", stream: "string", toxicity: "float32" },
};
const TOXIC_UPDATE: GoStruct = { name: "", fields: { toxicity: "float32" } };

/** Runs a decoding step, turning Go-worded syntax and type errors into 400 "bad request body: …". */
export function asBadBody<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof GoJsonSyntaxError || err instanceof GoTypeError) throw badRequestBody(err.message, err);
    throw err;
  }
}

export function decodeProxy(body: string): ProxyFields {
  return asBadBody(() => (decodeStruct(decodeFirstValue(body), PROXY, "toxiproxy.Proxy") ?? {}) as ProxyFields);
}

/** A /populate body or config file: a JSON array of proxies (null = none). */
export function decodePopulate(body: string): ProxyConfig[] {
  return asBadBody(() => {
    const value = decodeFirstValue(body);
    if (value === null) return [];
    if (!Array.isArray(value)) {
      throw new GoTypeError(`json: cannot unmarshal ${goKind(value)} into Go value of type []${POPULATE_ENTRY_TYPE}`);
    }
    return value.map(
      (entry) => (decodeStruct(entry, POPULATE_ENTRY, POPULATE_ENTRY_TYPE) ?? {}) as unknown as ProxyConfig,
    );
  });
}

export function decodeToxicEnvelope(body: string): ToxicEnvelope {
  return asBadBody(() => {
    const value = decodeFirstValue(body);
    const fields = (decodeStruct(value, TOXIC, "toxics.ToxicWrapper") ?? {}) as Omit<ToxicEnvelope, "attributes">;
    const attributes =
      value instanceof GoObject ? (matchFields(value, ["attributes"]).get("attributes") ?? null) : null;
    if (attributes !== null && !(attributes instanceof GoObject)) {
      throw fieldError(goKind(attributes), TOXIC.name, "attributes", "toxics.NoopToxic");
    }
    return { ...fields, attributes };
  });
}

export function decodeToxicUpdate(body: string): { toxicity?: number; attributes: GoValue } {
  return asBadBody(() => {
    const value = decodeFirstValue(body);
    const fields = (decodeStruct(value, TOXIC_UPDATE, "struct { Attributes interface {}; Toxicity float32 }") ??
      {}) as {
      toxicity?: number;
    };
    const attributes =
      value instanceof GoObject ? (matchFields(value, ["attributes"]).get("attributes") ?? null) : null;
    return { ...fields, attributes };
  });
}

/** Every attribute of the type at 0, in JSON order. */
export function zeroAttributes(definition: ToxicDefinition): Attributes {
  return Object.fromEntries(Object.keys(definition.attributes).map((name) => [name, 0]));
}

/**
 * Decodes `attributes` over `current` (absent or null keys keep their value) and checks the result against the
 * type's guard. Returns only the decoded keys; `current` is not touched.
 */
export function decodeAttributes(value: GoValue, definition: ToxicDefinition, current: Attributes): Attributes {
  const struct: GoStruct = { name: "", fields: definition.attributes };
  const changes = asBadBody(() => {
    if (value !== null && !(value instanceof GoObject)) {
      throw fieldError(goKind(value), "", "attributes", definition.goType);
    }
    return (decodeStruct(value, struct, definition.goType, "attributes.") ?? {}) as Attributes;
  });
  const problem = definition.validate?.({ ...current, ...changes });
  if (problem) throw invalidAttribute(problem);
  return changes;
}
