import { readFile } from "node:fs/promises";
import { decodePopulate } from "./api/decode";
import { FaultProxyError, messageOf } from "./errors";
import type { ProxyConfig } from "./proxy-collection";

/** Reads a Toxiproxy config file: a JSON array of `{name, listen, upstream, enabled?}`. */
export async function loadProxyConfig(path: string): Promise<ProxyConfig[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new FaultProxyError("FP_CONFIG", 400, `cannot read config file ${path}: ${messageOf(err)}`, {
      cause: err,
    });
  }
  try {
    return decodePopulate(text);
  } catch (err) {
    throw new FaultProxyError("FP_CONFIG", 400, `config file ${path}: ${messageOf(err)}`, { cause: err });
  }
}
