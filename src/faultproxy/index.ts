// The fault proxy's door: a Toxiproxy 2.12-compatible server (HTTP API, proxies, toxics) for in-process use,
// the pieces of its command line, and the toxic registry for custom toxic types.
export { startFaultProxy, TOXIPROXY_VERSION, type FaultProxy, type FaultProxyOptions } from "./server";
export { addServeOptions, consoleLogger, LISTENING_PATTERN, serveFaultProxy, shutdownSignal, type ServeOptions } from "./cli";
export { loadProxyConfig } from "./config";
export { FaultProxyError, type FaultProxyErrorCode } from "./errors";
export { silentLogger, type FaultProxyLogger } from "./logger";
export type { ProxyConfig } from "./proxy-collection";
export type { ProxyJson } from "./api/serialize";
export type { ToxicJson } from "./toxic-wrapper";
export { mulberry32, seedFrom, type Random } from "./random";
export { registerToxic, toxicDefinition, toxicTypes } from "./toxics/registry";
export { defineToxic, TIMED_OUT, type AttributeType, type Attributes, type ToxicDefinition, type ToxicStub } from "./toxics/toxic";
export { INTERRUPTED, type Chunk, type Direction } from "./stream";
