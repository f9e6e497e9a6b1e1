import { withFileLock } from "testcontainers/build/common/file-lock";
import { BaseImage, BUILD_LOCK, ensureBaseImage, imageId, PROJECT_ROOT } from "./base-image";
import { AppImageSpec, ContextPlan, FAULTPROXY_IMAGE, MACHINE_IMAGE, planContext } from "./context";
import { Engine, getEngine } from "./engine";
import { ImageBuildError } from "./errors";
import { LABEL_BASE, LABEL_HASH, LABEL_KIND } from "./labels";
import { readProgress } from "./progress";
import { tarStream } from "./tar";
import { messageOf } from "../../common";

export interface AppImageOptions {
  /** Holds docker/, dist/ and package.json; packages are found from it as node finds them. @default this package */
  projectRoot?: string;
  /** The image to build FROM. @default ensureBaseImage() */
  base?: BaseImage;
  /** Repository of the built image (tests use their own). @default "exlab-<kind>" */
  repository?: string;
  /** @default getEngine() */
  engine?: Engine;
}

export interface AppImage {
  kind: AppImageSpec["kind"];
  /** `exlab-<kind>:<content hash>`: what a container is started from. */
  ref: string;
  id: string;
  /** `built`: just now; `local`: an image of the same content was already there. */
  source: "built" | "local";
  /** Milliseconds spent planning and building (planning only when reused). */
  buildMs: number;
  base: BaseImage;
  /** Bytes of file content sent as build context (0 when reused), and the node_modules locations shipped. */
  contextBytes: number;
  packages: string[];
}

/** The machine image: runs `node /app/dist/machine/main.js`, control API on 7700. Built only when absent. */
export function ensureMachineImage(options: AppImageOptions = {}): Promise<AppImage> {
  return ensureAppImage(MACHINE_IMAGE, options);
}

/** The fault-proxy image: runs `node /app/dist/faultproxy/main.js --host 0.0.0.0 --port 8474`. */
export function ensureFaultProxyImage(options: AppImageOptions = {}): Promise<AppImage> {
  return ensureAppImage(FAULTPROXY_IMAGE, options);
}

/**
 * Builds `spec`'s image FROM the local base with the classic builder, never pulling: the base must be local
 * (it is checked just before), no `pull` is requested, and BuildKit (which resolves FROM remotely) is not used.
 */
export async function ensureAppImage(spec: AppImageSpec, options: AppImageOptions = {}): Promise<AppImage> {
  const started = Date.now();
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const engine = options.engine ?? (await getEngine());
  const base = options.base ?? (await ensureBaseImage({ projectRoot, engine }));
  const plan = planContext(spec, projectRoot, base.id);
  const repository = options.repository ?? `exlab-${spec.kind}`;
  const ref = `${repository}:${plan.hash}`;
  const result = { kind: spec.kind, ref, base, packages: plan.packages };
  const existing = await imageId(engine, ref);
  if (existing) return { ...result, id: existing, source: "local", buildMs: Date.now() - started, contextBytes: 0 };
  return withFileLock(BUILD_LOCK(spec.kind), async () => {
    const raced = await imageId(engine, ref);
    if (raced)
      return { ...result, id: raced, source: "local" as const, buildMs: Date.now() - started, contextBytes: 0 };
    const id = await build(engine, spec, plan, ref, base);
    return { ...result, id, source: "built" as const, buildMs: Date.now() - started, contextBytes: plan.bytes };
  });
}

async function build(
  engine: Engine,
  spec: AppImageSpec,
  plan: ContextPlan,
  ref: string,
  base: BaseImage,
): Promise<string> {
  if ((await imageId(engine, base.ref)) !== base.id) {
    throw new ImageBuildError(ref, [
      `the base image ${base.ref} (${base.id.slice(7, 19)}) is no longer present locally; not building, to avoid a pull`,
    ]);
  }
  let progress;
  try {
    const stream = await engine.docker.buildImage(tarStream(plan.entries), {
      t: ref,
      buildargs: { BASE_IMAGE: base.ref },
      labels: { [LABEL_KIND]: spec.kind, [LABEL_HASH]: plan.hash, [LABEL_BASE]: base.ref },
      version: "1",
      rm: true,
      forcerm: true,
    });
    progress = await readProgress(stream);
  } catch (err) {
    throw new ImageBuildError(ref, [messageOf(err)], { cause: err });
  }
  const id = await imageId(engine, ref);
  if (progress.error || !id)
    throw new ImageBuildError(ref, progress.lines.slice(-20).concat(progress.error ?? "the engine reported no image"));
  return id;
}
