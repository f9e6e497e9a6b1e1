import { imageId } from "./base-image";
import type { Engine } from "./engine";
import { ImageBuildError } from "./errors";
import { readProgress } from "./progress";
import { tarStream, type TarEntry } from "./tar";
import { messageOf } from "../../common";

export interface OfflineBuild {
  /** The tag to build, `repository:hash`. */
  ref: string;
  /** The build context: a Dockerfile at its root, `ARG BASE_IMAGE` / `FROM ${BASE_IMAGE}`. */
  entries: Iterable<TarEntry>;
  /** The image to build FROM, and the id it must still have (checked just before, so nothing is pulled). */
  from: { ref: string; id: string };
  labels: Record<string, string>;
  /** Sees each line of the engine's build output as it comes. */
  onLine?: (line: string) => void;
}

/**
 * Builds an image FROM a local image with the classic builder, never pulling: the image built FROM must be local
 * with the expected id (it is checked just before), no `pull` is requested, and BuildKit (which resolves FROM
 * remotely) is not used. Resolves with the new image's id; ImageBuildError with the engine's last lines otherwise.
 */
export async function buildOffline(engine: Engine, build: OfflineBuild): Promise<string> {
  const { ref, from } = build;
  if ((await imageId(engine, from.ref)) !== from.id) {
    throw new ImageBuildError(ref, [
      `the image ${from.ref} (${from.id.slice(7, 19)}) it is built FROM is no longer present locally; not building, to avoid a pull`,
    ]);
  }
  let progress;
  try {
    const stream = await engine.docker.buildImage(tarStream(build.entries), {
      t: ref,
      buildargs: { BASE_IMAGE: from.ref },
      labels: build.labels,
      version: "1",
      rm: true,
      forcerm: true,
    });
    progress = await readProgress(stream, build.onLine);
  } catch (err) {
    throw new ImageBuildError(ref, [messageOf(err)], { cause: err });
  }
  const id = await imageId(engine, ref);
  if (progress.error || !id)
    throw new ImageBuildError(ref, progress.lines.slice(-20).concat(progress.error ?? "the engine reported no image"));
  return id;
}
