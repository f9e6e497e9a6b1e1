import { Engine, getEngine } from "./engine";
import { runLabels } from "./labels";

/** A user-defined bridge network of one run; containers on it reach each other by alias. */
export interface RunNetwork {
  id: string;
  name: string;
}

export interface RunNetworkOptions {
  /** @default `exlab-<runId>` */
  name?: string;
  /** Extra labels, besides the run's. @default none */
  labels?: Record<string, string>;
  /** @default getEngine() */
  engine?: Engine;
}

/**
 * Creates the run's network, labelled with the run id so removeRun()/sweepAll() find it. Pass its name to
 * testcontainers' `withNetworkMode(name)` together with `withNetworkAliases(machine)`.
 */
export async function createRunNetwork(runId: string, options: RunNetworkOptions = {}): Promise<RunNetwork> {
  const labels = runLabels(runId, options.labels);
  const { docker } = options.engine ?? (await getEngine());
  const name = options.name ?? `exlab-${runId}`;
  const network = await docker.createNetwork({ Name: name, Driver: "bridge", CheckDuplicate: true, Labels: labels });
  return { id: network.id, name };
}
