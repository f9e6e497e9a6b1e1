/**
 * Topologies: YAML → validated, defaulted `Topology` → `Plan` (what runs where, which dials and proxies
 * exist). The format is DESIGN §3; `topologySchema` is its reference. Nothing here starts anything.
 *
 * ```ts
 * const result = await loadTopologyFile("topologies/three-machine-mesh.yaml");
 * if (!result.ok) console.error(formatDiagnostics(result.errors));
 * else for (const proxy of result.plan.proxies) …
 * ```
 */
export type {
  ConnectRef,
  EndpointRole,
  ExpectedLink,
  MeshMode,
  Plan,
  PlanDial,
  PlanEndpoint,
  PlanMachine,
  PlanProcess,
  PlanProgram,
  PlanProxy,
  PlanService,
  Timing,
  Topology,
  TopologyEndpoint,
  TopologyMachine,
  TopologyProcess,
  TopologyProgram,
  TopologyService,
  YamlPath,
} from "./types";
export type { Diagnostic, DiagnosticCode, Severity } from "./diagnostics";
export { DIAGNOSTIC_CODES, TopologyError, formatDiagnostics, pathToString, sortDiagnostics } from "./diagnostics";
export type { LoadResult, LoadedTopology } from "./load";
export {
  loadTopology,
  loadTopologyFile,
  loadTopologyOrThrow,
  loadTopologyText,
  loadTopologyTextOrThrow,
  resolveTopologyRef,
} from "./load";
export { DurationError, formatDuration, isDuration, parseDuration } from "./duration";
export { didYouMean } from "./suggest";
export { DEFAULT_TIMING, defaultServerName } from "./defaults";
export { NAME_PATTERN, RESERVED_PORTS } from "./check-names";
export { planTopology } from "./plan";
export { DEFAULT_READY_TIMEOUT_MS, formatCommandLine } from "./program";
export { allAddresses, expectedLinks, findProcess, linksBetween, serverOf } from "./queries";
export { topologySchema } from "./schema";
