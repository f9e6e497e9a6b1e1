import { withFileLock } from "testcontainers/build/common/file-lock";
import { BUILD_LOCK, imageId, PROJECT_ROOT } from "./base-image";
import { PROJECT_REPOSITORY } from "./context";
import { type Engine, getEngine } from "./engine";
import { ImageBuildError } from "./errors";
import { formatBytes } from "./image-prune";
import { LABEL_BASE, LABEL_HASH, LABEL_KIND } from "./labels";
import { buildOffline } from "./offline-build";
import { planProjectContext, type ProjectPlan } from "./project-context";

export interface ProjectImageOptions {
  /** The user's project on this host (absolute). */
  projectDir: string;
  /** The machine image to build FROM (`exlab-machine:<hash>`), already local. */
  machineImage: string;
  /** Where file digests are kept between runs (see FileDigests); undefined reads every file each time. */
  stateDir?: string;
  /** Absolute paths never copied (the run's own folders, when they lie inside the project). */
  exclude?: readonly string[];
  /** @default DEFAULT_PROJECT_MAX_BYTES */
  maxBytes?: number;
  /** Repository of the built image (tests use their own). @default "exlab-project" */
  repository?: string;
  /** Holds docker/project/Dockerfile. @default this package */
  packageRoot?: string;
  /** Sees what is going on, one line at a time (planned, building, each build step, built). */
  onProgress?: (line: string, level: "info" | "debug") => void;
  /** @default getEngine() */
  engine?: Engine;
}

export interface ProjectImage {
  /** `exlab-project:<hash>`, what the machines that run programs start from. */
  ref: string;
  id: string;
  /** `built`: just now; `local`: an image of the same content was already there. */
  source: "built" | "local";
  /** Milliseconds spent walking and hashing the project, and in all (planning and building). */
  planMs: number;
  totalMs: number;
  plan: Omit<ProjectPlan, "entries">;
}

/**
 * The project image of `projectDir` on `machineImage`: its tag is the hash of what it carries, so it is built (FROM
 * the local machine image, offline, one build of it at a time on this host) only when the project's kept files,
 * the machine image or the Dockerfile changed, and found again otherwise.
 */
export async function ensureProjectImage(options: ProjectImageOptions): Promise<ProjectImage> {
  const started = Date.now();
  const engine = options.engine ?? (await getEngine());
  const say = options.onProgress ?? (() => {});
  const machineId = await imageId(engine, options.machineImage);
  if (!machineId)
    throw new ImageBuildError(`${options.repository ?? PROJECT_REPOSITORY}:?`, [
      `the machine image ${options.machineImage} is not present locally; not building, to avoid a pull`,
    ]);
  const plan = planProjectContext(options.projectDir, machineId, {
    packageRoot: options.packageRoot ?? PROJECT_ROOT,
    stateDir: options.stateDir,
    exclude: options.exclude,
    maxBytes: options.maxBytes,
  });
  const planMs = Date.now() - started;
  const { entries, ...summary } = plan;
  const ref = `${options.repository ?? PROJECT_REPOSITORY}:${plan.hash}`;
  const what = `${plan.files} files, ${formatBytes(plan.bytes)} of ${options.projectDir}`;
  const read = plan.read ? `${plan.read} read, ${formatBytes(plan.readBytes)}` : "none read again";
  for (const w of plan.warnings) say(`Project image: ${w}`, "info");
  const result = (id: string, source: "built" | "local") => ({
    ref,
    id,
    source,
    planMs,
    totalMs: Date.now() - started,
    plan: summary,
  });
  const existing = await imageId(engine, ref);
  if (existing) {
    say(`Using project image ${ref} (${what}; hashed in ${secs(planMs)}, ${read})`, "info");
    return result(existing, "local");
  }
  return withFileLock(BUILD_LOCK("project"), async () => {
    const raced = await imageId(engine, ref);
    if (raced) return result(raced, "local");
    say(`Building project image ${ref} (${what}; hashed in ${secs(planMs)}, ${read})…`, "info");
    const id = await buildOffline(engine, {
      ref,
      entries,
      from: { ref: options.machineImage, id: machineId },
      labels: { [LABEL_KIND]: "project", [LABEL_HASH]: plan.hash, [LABEL_BASE]: options.machineImage },
      onLine: (line) => say(`  ${line}`, "debug"),
    });
    const done = result(id, "built");
    say(`Built project image ${ref} in ${secs(done.totalMs - planMs)}`, "info");
    return done;
  });
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
