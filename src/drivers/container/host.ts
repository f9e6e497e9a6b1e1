/** What GET /networks/bridge says that matters here. */
export interface BridgeInfo {
  IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] | null };
  Options?: Record<string, string> | null;
}

export type HostDecision = { override?: string; reason: string } | { error: string };

/** The address published ports are reached on when the engine shares this network namespace. */
export const LOCAL_HOST = "127.0.0.1";

/**
 * Decides testcontainers' host (TESTCONTAINERS_HOST_OVERRIDE) before it looks for one itself. Inside what
 * looks like a container (/.dockerenv) with a unix socket, testcontainers takes the bridge network's gateway
 * or else starts an `alpine:3.14` container to read the default route: a pull of an image nobody asked for.
 * When the engine's bridge interface is in this network namespace, the engine is local: 127.0.0.1.
 */
export function decideHost(input: {
  env: NodeJS.ProcessEnv;
  inContainer: boolean;
  endpointKind: string;
  bridge?: BridgeInfo;
  interfaceExists: (name: string) => boolean;
}): HostDecision {
  if (input.env.TESTCONTAINERS_HOST_OVERRIDE !== undefined) return { reason: "TESTCONTAINERS_HOST_OVERRIDE is set" };
  if (!input.inContainer || input.endpointKind !== "unix")
    return { reason: "testcontainers resolves the host without a container" };
  const bridgeName = input.bridge?.Options?.["com.docker.network.bridge.name"] ?? "docker0";
  if (input.interfaceExists(bridgeName)) {
    return { override: LOCAL_HOST, reason: `the engine's bridge ${bridgeName} is in this network namespace` };
  }
  if (input.bridge?.IPAM?.Config?.some((c) => c.Gateway !== undefined && c.Gateway !== "")) {
    return { reason: "testcontainers uses the bridge gateway" };
  }
  return {
    error:
      "this looks like a container (/.dockerenv) whose engine's bridge network has no gateway, so testcontainers would start an alpine:3.14 container (a pull) to find the address of published ports: set TESTCONTAINERS_HOST_OVERRIDE to that address (e.g. the engine host's IP)",
  };
}
