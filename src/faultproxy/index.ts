// The fault proxy's door: a Toxiproxy 2.12-compatible server (HTTP API, proxies, toxics) for in-process use,
// the pieces of its command line, and the toxic registry for custom toxic types.
export { startFaultProxy, type FaultProxy, type FaultProxyOptions } from "./server";
export { addServeOptions, serveFaultProxy, shutdownSignal, type ServeOptions } from "./cli";
export { FaultProxyError } from "./errors";
export { registerToxic } from "./toxics/registry";
export { defineToxic, type ToxicDefinition } from "./toxics/toxic";
