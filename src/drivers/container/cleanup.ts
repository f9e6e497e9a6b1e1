import { messageOf } from "../../common";
import { Engine, getEngine } from "./engine";
import { CleanupError } from "./errors";
import { LABEL_MANAGED, LABEL_RUN, labelFilter, assertRunId } from "./labels";

/** A container or network that was removed. */
export interface RemovedResource {
  id: string;
  name: string;
  /** The run that created it (its org.exchange-lab.run label). */
  runId?: string;
}

export interface CleanupReport {
  containers: RemovedResource[];
  networks: RemovedResource[];
}

export interface CleanupOptions {
  /** @default getEngine() */
  engine?: Engine;
}

export interface SweepOptions extends CleanupOptions {
  /** Only resources that also carry these labels (e.g. one test's own label). @default none */
  alsoLabelled?: Record<string, string>;
  /** Leave the resources of these runs alone (runs whose runner still lives). @default none */
  keepRuns?: readonly string[];
}

/** Removes a run's containers (forced, with anonymous volumes) and then its networks. */
export async function removeRun(runId: string, options: CleanupOptions = {}): Promise<CleanupReport> {
  assertRunId(runId);
  return removeLabelled({ [LABEL_MANAGED]: "true", [LABEL_RUN]: runId }, options.engine);
}

/**
 * Removes everything any run of the lab left (label org.exchange-lab.managed=true), except the runs in
 * `keepRuns`: what `exlab clean` does.
 */
export async function sweepAll(options: SweepOptions = {}): Promise<CleanupReport> {
  return removeLabelled(
    { ...options.alsoLabelled, [LABEL_MANAGED]: "true" },
    options.engine,
    new Set(options.keepRuns ?? []),
  );
}

type Failure = CleanupError["failures"][number];

async function removeLabelled(
  labels: Record<string, string>,
  given?: Engine,
  keep: ReadonlySet<string> = new Set(),
): Promise<CleanupReport> {
  const { docker } = given ?? (await getEngine());
  const report: CleanupReport = { containers: [], networks: [] };
  const failures: Failure[] = [];
  const kept = (l: Record<string, string> | undefined) => keep.has(l?.[LABEL_RUN] ?? "");
  const containers = (await docker.listContainers({ all: true, filters: labelFilter(labels) })).filter(
    (c) => !kept(c.Labels),
  );
  await Promise.all(
    containers.map(async (c) => {
      const item = { id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ""), runId: c.Labels[LABEL_RUN] };
      try {
        await docker.getContainer(c.Id).remove({ force: true, v: true });
        report.containers.push(item);
      } catch (err) {
        if (!isGone(err)) failures.push({ kind: "container", id: c.Id, name: item.name, error: messageOf(err) });
      }
    }),
  );
  const networks = (await docker.listNetworks({ filters: labelFilter(labels) })).filter((n) => !kept(n.Labels));
  for (const n of networks) {
    const item = { id: n.Id, name: n.Name, runId: n.Labels?.[LABEL_RUN] };
    try {
      await removeNetwork(docker, n.Id);
      report.networks.push(item);
    } catch (err) {
      if (!isGone(err)) failures.push({ kind: "network", id: n.Id, name: n.Name, error: messageOf(err) });
    }
  }
  const byName = (a: RemovedResource, b: RemovedResource) => a.name.localeCompare(b.name);
  report.containers.sort(byName);
  report.networks.sort(byName);
  if (failures.length) throw new CleanupError(failures, report);
  return report;
}

/** Removes a network, first disconnecting whatever is still attached to it (e.g. a container of no run). */
async function removeNetwork(docker: Engine["docker"], id: string): Promise<void> {
  const network = docker.getNetwork(id);
  try {
    await network.remove();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 403 && (err as { statusCode?: number }).statusCode !== 409)
      throw err;
    const info = (await network.inspect()) as { Containers?: Record<string, unknown> };
    for (const container of Object.keys(info.Containers ?? {}))
      await network.disconnect({ Container: container, Force: true });
    await network.remove();
  }
}

/** Gone already, or going: another remover (the machine's own stop, the reaper) is removing it right now. */
function isGone(err: unknown): boolean {
  const e = err as { statusCode?: number; message?: string };
  return e.statusCode === 404 || (e.statusCode === 409 && /already in progress/.test(e.message ?? ""));
}
