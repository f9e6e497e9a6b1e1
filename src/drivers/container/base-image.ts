import fs from "node:fs";
import path from "node:path";
import { ImageName } from "testcontainers";
import { withFileLock } from "testcontainers/build/common/file-lock";
import { Engine, getEngine } from "./engine";
import { BaseImageUnavailableError, ImageBuildError } from "./errors";
import { LABEL_HASH, LABEL_KIND } from "./labels";
import { readProgress } from "./progress";
import { lddLibraries, rootfsEntries, rootfsHash, RootfsRecipe } from "./rootfs";
import { tarStream } from "./tar";

/** The repository of locally built base images; the tag is the recipe's hash. */
export const BASE_REPOSITORY = "exlab-base";

/** The project's root (holds docker/ and dist/), seen from the compiled dist/drivers/container/. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

export interface BaseImageOptions {
  /** Holds docker/base/rootfs. @default the project this module was compiled in */
  projectRoot?: string;
  /** Reads LAB_BASE_IMAGE. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Linux builds the base locally; elsewhere the public node image is used. @default process.platform */
  platform?: NodeJS.Platform;
  /** The node binary put into the image. @default process.execPath */
  nodePath?: string;
  /** Repository of the built image (tests use their own). @default "exlab-base" */
  repository?: string;
  /** @default getEngine() */
  engine?: Engine;
}

export interface BaseImage {
  /** What to put in FROM, e.g. `exlab-base:0123456789abcdef`. */
  ref: string;
  /** The engine's image id (sha256:…). */
  id: string;
  /** `built`: imported just now; `local`: was already there; `pulled`: LAB_BASE_IMAGE, pulled as asked. */
  source: "built" | "local" | "pulled";
  /** Milliseconds spent hashing, archiving and importing (0 when nothing was built). */
  buildMs: number;
}

/** The public image used as the base where the host's node binary cannot run in a Linux container. */
export function publicBaseImage(nodeVersion: string = process.versions.node): string {
  return `node:${nodeVersion.split(".")[0]}-slim`;
}

/**
 * The base image machine and fault-proxy images build FROM. LAB_BASE_IMAGE wins (pulled only if absent,
 * since the user asked for it); on Linux the host's node and its libraries are imported as
 * `exlab-base:<hash>` unless already there; elsewhere `node:<major>-slim` must already be local.
 */
export async function ensureBaseImage(options: BaseImageOptions = {}): Promise<BaseImage> {
  const env = options.env ?? process.env;
  const engine = options.engine ?? (await getEngine());
  const requested = env.LAB_BASE_IMAGE?.trim();
  if (requested) return localOrPulled(engine, requested);
  if ((options.platform ?? process.platform) !== "linux") {
    const ref = publicBaseImage();
    const id = await imageId(engine, ref);
    if (id) return { ref, id, source: "local", buildMs: 0 };
    throw new BaseImageUnavailableError(
      `the base image ${ref} is not present locally, and the lab pulls no image nobody asked for: run \`docker pull ${ref}\`, or set LAB_BASE_IMAGE=${ref} to let the lab pull it`,
    );
  }
  const started = Date.now();
  const nodePath = fs.realpathSync(options.nodePath ?? process.execPath);
  const recipe: RootfsRecipe = {
    node: nodePath,
    libs: await lddLibraries(nodePath),
    overlay: path.join(options.projectRoot ?? PROJECT_ROOT, "docker", "base", "rootfs"),
  };
  const hash = rootfsHash(recipe);
  const repository = options.repository ?? BASE_REPOSITORY;
  const ref = `${repository}:${hash}`;
  const existing = await imageId(engine, ref);
  if (existing) return { ref, id: existing, source: "local", buildMs: 0 };
  return withFileLock(BUILD_LOCK("base"), async () => {
    const raced = await imageId(engine, ref);
    if (raced) return { ref, id: raced, source: "local" as const, buildMs: 0 };
    return importBase(engine, recipe, repository, hash, started);
  });
}

/** One build of a kind at a time among this host's processes (a lock file in the temp dir). */
export const BUILD_LOCK = (kind: string) => `exlab-image-build-${kind}.lock`;

async function importBase(
  engine: Engine,
  recipe: RootfsRecipe,
  repository: string,
  hash: string,
  started: number,
): Promise<BaseImage> {
  const ref = `${repository}:${hash}`;
  const stream = await engine.docker.importImage(tarStream(rootfsEntries(recipe)), {
    repo: repository,
    tag: hash,
    changes: [
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      `LABEL ${LABEL_KIND}=base ${LABEL_HASH}=${hash}`,
      'CMD ["node"]',
    ],
  });
  const progress = await readProgress(stream);
  const id = await imageId(engine, ref);
  if (progress.error || !id)
    throw new ImageBuildError(ref, progress.lines.slice(-20).concat(progress.error ?? "the engine reported no image"));
  return { ref, id, source: "built", buildMs: Date.now() - started };
}

/** The local image's id, or undefined when the engine has no such image. Never pulls. */
export async function imageId(engine: Engine, ref: string): Promise<string | undefined> {
  try {
    return (await engine.docker.getImage(ref).inspect()).Id;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

async function localOrPulled(engine: Engine, ref: string): Promise<BaseImage> {
  const id = await imageId(engine, ref);
  if (id) return { ref, id, source: "local", buildMs: 0 };
  const started = Date.now();
  try {
    await engine.client.image.pull(ImageName.fromString(ref));
  } catch (err) {
    throw new BaseImageUnavailableError(
      `LAB_BASE_IMAGE=${ref} is not present locally and pulling it failed; pull or build it yourself, or unset LAB_BASE_IMAGE`,
      { cause: err },
    );
  }
  const pulled = await imageId(engine, ref);
  if (!pulled) throw new BaseImageUnavailableError(`LAB_BASE_IMAGE=${ref} is still absent after a pull`);
  return { ref, id: pulled, source: "pulled", buildMs: Date.now() - started };
}
