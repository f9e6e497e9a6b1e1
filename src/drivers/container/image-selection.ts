import { InvalidKeepImagesError } from "./errors";
import { LABEL_BASE, LABEL_HASH, LABEL_KIND, type ResourceKind } from "./labels";
import { stampNanos } from "./log-tail";

/**
 * The repository of each kind of image the lab builds. Project images (FROM a machine image, with a user's project)
 * are pruned only when their repository is named.
 */
export type ImageRepositories = Readonly<Record<Exclude<ResourceKind, "project">, string> & { project?: string }>;

/** How many older tags of each repository the container driver keeps. @default 2 */
export const DEFAULT_KEEP_IMAGES = 2;

/** One tag of a local image, as the engine lists it (an image with two tags is two of these). */
export interface ImageTag {
  /** `repository:tag`, what is removed (an untag; the image goes with its last tag). */
  ref: string;
  repository: string;
  tag: string;
  /** The engine's image id (sha256:…). */
  id: string;
  /** RFC 3339 with nanoseconds, as `docker image inspect` says. */
  created: string;
  labels: Record<string, string>;
}

export interface PrunePolicy {
  repositories: ImageRepositories;
  /** Older tags kept per repository, besides those protected below; Infinity keeps everything. */
  keep: number;
  /** Refs the caller uses right now (its run's images). */
  inUse?: ReadonlySet<string>;
  /** Refs leased by other live lab processes on this host. */
  leased?: ReadonlySet<string>;
  /** Image ids any container (running or not) was created from. */
  containerImages?: ReadonlySet<string>;
}

/** Why a tag stays. */
export type KeepReason =
  | "in use"
  | "leased by a live run"
  | "used by a container"
  | "recent"
  | "base of a kept image"
  | "not built by the lab";

export type ImageDecision = { image: ImageTag; remove: true } | { image: ImageTag; remove: false; reason: KeepReason };

/**
 * Decides which tags of the lab's repositories go. Only a tag whose repository is one of `repositories` and whose
 * labels say the lab built it (`org.exchange-lab.kind` = that repository's kind, and a hash) is a candidate.
 * A candidate stays when it is in use, leased, used by a container, or the base (`org.exchange-lab.base`) of an
 * image that stays; of the others, the `keep` most recently created per repository stay, the rest go.
 * Decisions come in removal order, one layer of images at a time, children before what they are built FROM:
 * project images (FROM a machine image), then app images (newest first), then bases, so that an image's layers
 * can go with it once its children are gone.
 */
export function selectImagesToRemove(images: readonly ImageTag[], policy: PrunePolicy): ImageDecision[] {
  const kindOf = new Map(
    Object.entries(policy.repositories)
      .filter(([, repo]) => repo !== undefined)
      .map(([kind, repo]) => [repo, kind]),
  );
  const ours = (i: ImageTag) =>
    kindOf.get(i.repository) !== undefined &&
    i.labels[LABEL_KIND] === kindOf.get(i.repository) &&
    !!i.labels[LABEL_HASH];
  const foreign: ImageDecision[] = images
    .filter((i) => !ours(i))
    .map((image) => ({ image, remove: false, reason: "not built by the lab" }));
  const candidates = images.filter(ours).sort(newestFirst);
  const layer = (i: ImageTag) => (i.labels[LABEL_KIND] === "project" ? 0 : i.labels[LABEL_KIND] === "base" ? 2 : 1);
  const keptBases = new Set<string>();
  const decided: ImageDecision[] = [];
  for (const n of [0, 1, 2]) {
    const ds = decide(
      candidates.filter((i) => layer(i) === n),
      policy,
      (i) => keptBases.has(i.ref),
    );
    for (const d of ds) if (!d.remove && d.image.labels[LABEL_BASE]) keptBases.add(d.image.labels[LABEL_BASE]);
    decided.push(...ds);
  }
  return [...decided, ...foreign];
}

function decide(images: ImageTag[], policy: PrunePolicy, isKeptBase: (i: ImageTag) => boolean): ImageDecision[] {
  const spare = new Map<string, number>();
  return images.map((image): ImageDecision => {
    const reason = protection(image, policy) ?? (isKeptBase(image) ? "base of a kept image" : undefined);
    if (reason) return { image, remove: false, reason };
    const n = spare.get(image.repository) ?? 0;
    spare.set(image.repository, n + 1);
    return n < policy.keep ? { image, remove: false, reason: "recent" } : { image, remove: true };
  });
}

function protection(image: ImageTag, policy: PrunePolicy): KeepReason | undefined {
  if (policy.inUse?.has(image.ref)) return "in use";
  if (policy.containerImages?.has(image.id)) return "used by a container";
  if (policy.leased?.has(image.ref)) return "leased by a live run";
  return undefined;
}

function newestFirst(a: ImageTag, b: ImageTag): number {
  const d = stampNanos(b.created) - stampNanos(a.created);
  return d > 0n ? 1 : d < 0n ? -1 : a.ref.localeCompare(b.ref);
}

/**
 * How many older tags per repository to keep: the driver option when given, else EXLAB_KEEP_IMAGES, else 2.
 * A whole number ≥ 0, or `all` (never remove anything). Throws InvalidKeepImagesError otherwise.
 */
export function keepImagesSetting(option: number | "all" | undefined, env: NodeJS.ProcessEnv): number {
  if (option !== undefined) return parseKeep(String(option), "the keepImages option");
  const raw = env.EXLAB_KEEP_IMAGES?.trim();
  return raw ? parseKeep(raw, "EXLAB_KEEP_IMAGES") : DEFAULT_KEEP_IMAGES;
}

function parseKeep(value: string, source: string): number {
  if (value.toLowerCase() === "all") return Infinity;
  if (/^\d{1,6}$/.test(value)) return Number(value);
  throw new InvalidKeepImagesError(value, source);
}
