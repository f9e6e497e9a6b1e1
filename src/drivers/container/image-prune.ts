import { withFileLock } from "testcontainers/build/common/file-lock";
import { defaultStateDir } from "../../runs";
import { BASE_REPOSITORY, imageId } from "./base-image";
import { FAULTPROXY_IMAGE, MACHINE_IMAGE, PROJECT_REPOSITORY } from "./context";
import { type Engine, getEngine } from "./engine";
import { leaseImages, leasedImages } from "./image-leases";
import { type ImageRepositories, type ImageTag, type KeepReason, selectImagesToRemove } from "./image-selection";
import { LABEL_KIND } from "./labels";
import { messageOf } from "../../common";

/** The repositories of the images the lab builds: exlab-base, exlab-machine, exlab-faultproxy, exlab-project. */
export const IMAGE_REPOSITORIES: ImageRepositories = {
  base: BASE_REPOSITORY,
  machine: `exlab-${MACHINE_IMAGE.kind}`,
  faultproxy: `exlab-${FAULTPROXY_IMAGE.kind}`,
  project: PROJECT_REPOSITORY,
};

/** `repositories` without the project one: what a run prunes before it knows whether it needs a project image. */
export function withoutProject(repositories: ImageRepositories): ImageRepositories {
  return { base: repositories.base, machine: repositories.machine, faultproxy: repositories.faultproxy };
}

/** Serialises pruning against leasing among the processes of this host (a lock file in the temp dir). */
const PRUNE_LOCK = "exlab-image-prune.lock";

export interface PruneImagesOptions {
  /** @default getEngine() */
  engine?: Engine;
  /** Older tags kept per repository besides the protected ones (0: none; Infinity: all). */
  keep: number;
  /** Refs the caller uses right now; they stay. @default none */
  inUse?: readonly string[];
  /** @default IMAGE_REPOSITORIES (tests use their own) */
  repositories?: ImageRepositories;
  /** Where the image leases of live lab processes are. @default defaultStateDir() */
  stateDir?: string;
  /** Leave images leased by live lab processes alone. @default true */
  honourLeases?: boolean;
}

export interface RemovedImage {
  ref: string;
  id: string;
  /** The image itself went (that was its last tag); false when only the tag went. */
  deleted: boolean;
}

export interface ImagePruneReport {
  removed: RemovedImage[];
  /** The lab's tags that stay, and why. */
  kept: { ref: string; reason: KeepReason }[];
  /** Tags the engine refused to remove; `inUse` when a container was created from it meanwhile. */
  failed: { ref: string; error: string; inUse: boolean }[];
  /** Bytes of image layers freed, from the engine's disk usage before and after; absent when it cannot tell. */
  freedBytes?: number;
}

/**
 * Removes the lab's image tags that `selectImagesToRemove` picks: never one in use, leased, used by any container
 * (running or stopped) or not built by the lab. Removal is an untag without force, so the engine itself refuses
 * what a container created meanwhile uses. A failed removal is reported, not thrown.
 */
export async function pruneImages(options: PruneImagesOptions): Promise<ImagePruneReport> {
  const engine = options.engine ?? (await getEngine());
  const repositories = options.repositories ?? IMAGE_REPOSITORIES;
  const stateDir = options.stateDir ?? defaultStateDir();
  return withFileLock(PRUNE_LOCK, async () => {
    const leased = options.honourLeases === false ? new Set<string>() : leasedImages(stateDir);
    const [images, containers] = await Promise.all([
      labImages(engine, repositories),
      engine.docker.listContainers({ all: true }),
    ]);
    const decisions = selectImagesToRemove(images, {
      repositories,
      keep: options.keep,
      inUse: new Set(options.inUse ?? []),
      leased,
      containerImages: new Set(containers.map((c) => c.ImageID)),
    });
    const report: ImagePruneReport = { removed: [], kept: [], failed: [] };
    const doomed = decisions.filter((d) => d.remove).map((d) => d.image);
    for (const d of decisions)
      if (!d.remove && d.reason !== "not built by the lab") report.kept.push({ ref: d.image.ref, reason: d.reason });
    if (doomed.length === 0) return report;
    const before = await layersSize(engine);
    for (const image of doomed) {
      try {
        const answer = (await engine.docker.getImage(image.ref).remove()) as { Deleted?: string }[];
        report.removed.push({ ref: image.ref, id: image.id, deleted: answer.some((a) => a.Deleted === image.id) });
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 404)
          report.failed.push({
            ref: image.ref,
            error: messageOf(err),
            inUse: status === 409,
          });
      }
    }
    const after = report.removed.some((r) => r.deleted) ? await layersSize(engine) : before;
    if (before !== undefined && after !== undefined && after <= before) report.freedBytes = before - after;
    return report;
  });
}

/**
 * Leases `refs` for this process (see image-leases.ts), then returns those that are no longer local: a prune in
 * another process may have removed one between its build and the lease. Done under the prune lock, so a prune
 * either sees the lease or has finished before the check.
 */
export async function holdImages(engine: Engine, stateDir: string, refs: readonly string[]): Promise<string[]> {
  return withFileLock(PRUNE_LOCK, async () => {
    leaseImages(stateDir, refs);
    const missing: string[] = [];
    for (const ref of refs) if ((await imageId(engine, ref)) === undefined) missing.push(ref);
    return missing;
  });
}

/** Every tag in `repositories` of a local image that carries org.exchange-lab.kind, with its creation time in ns. */
export async function labImages(engine: Engine, repositories: ImageRepositories): Promise<ImageTag[]> {
  const repos = new Set(Object.values(repositories).filter((r) => r !== undefined));
  const listed = (await engine.docker.listImages({ filters: { label: [LABEL_KIND] } })) as {
    Id: string;
    RepoTags?: string[] | null;
  }[];
  const tags: ImageTag[] = [];
  for (const image of listed) {
    const ours = (image.RepoTags ?? []).map(splitRef).filter((t) => repos.has(t.repository));
    if (ours.length === 0) continue;
    let info: { Created: string; Config?: { Labels?: Record<string, string> | null } };
    try {
      info = await engine.docker.getImage(image.Id).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) continue;
      throw err;
    }
    for (const t of ours) tags.push({ ...t, id: image.Id, created: info.Created, labels: info.Config?.Labels ?? {} });
  }
  return tags;
}

function splitRef(ref: string): { ref: string; repository: string; tag: string } {
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/")
    ? { ref, repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { ref, repository: ref, tag: "latest" };
}

async function layersSize(engine: Engine): Promise<number | undefined> {
  try {
    const df = (await engine.docker.df()) as { LayersSize?: number };
    return typeof df.LayersSize === "number" ? df.LayersSize : undefined;
  } catch {
    return undefined;
  }
}

/** `12.3 MB`, `512 kB`, `0 B` (decimal units, as `docker images` prints them). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
