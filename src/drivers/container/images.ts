import { withFileLock } from "testcontainers/build/common/file-lock";
import { BaseImage, BUILD_LOCK, ensureBaseImage, imageId, PROJECT_ROOT } from "./base-image";
import { AppImageSpec, FAULTPROXY_IMAGE, MACHINE_IMAGE, planContext } from "./context";
import { Engine, getEngine } from "./engine";
import { LABEL_BASE, LABEL_HASH, LABEL_KIND } from "./labels";
import { buildOffline } from "./offline-build";

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

/** Builds `spec`'s image FROM the local base, offline (see buildOffline), unless one of the same content is there. */
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
    const id = await buildOffline(engine, {
      ref,
      entries: plan.entries,
      from: base,
      labels: { [LABEL_KIND]: spec.kind, [LABEL_HASH]: plan.hash, [LABEL_BASE]: base.ref },
    });
    return { ...result, id, source: "built" as const, buildMs: Date.now() - started, contextBytes: plan.bytes };
  });
}
