import { messageOf } from "../../common";
import type { DriverRunOptions } from "../driver";
import type { Engine } from "./engine";
import { chooseFaultProxyImage, type FaultProxyImageChoice } from "./faultproxy-container";
import { formatBytes, holdImages, pruneImages, withoutProject, type ImagePruneReport } from "./image-prune";
import { holdsLease } from "./image-leases";
import type { ImageRepositories } from "./image-selection";
import { ensureFaultProxyImage, ensureMachineImage } from "./images";
import { DEFAULT_PROJECT_MAX_BYTES } from "./project-context";
import { ensureProjectImage } from "./project-image";

/** How a run gets each of its images (the driver's options; tests give their own). */
export interface ImageMakers {
  machineImage?: (engine: Engine) => Promise<string>;
  faultProxyImage?: (engine: Engine) => Promise<string>;
  projectImage?: (engine: Engine, machineImage: string) => Promise<string>;
}

export interface RunImagesOptions {
  engine: Engine;
  run: DriverRunOptions;
  /** Where image leases and file digests live. */
  stateDir: string;
  /** Older tags kept per repository; Infinity prunes nothing. */
  keep: number;
  repositories: ImageRepositories;
  makers: ImageMakers;
}

/**
 * The images of one run: made (or found), leased for this process so that no other lab process prunes them while
 * this one may still start containers from them, and older ones pruned. The machine and fault-proxy images come
 * first (`open`); the project image only when a machine runs programs (`project`), once per run however many
 * machines ask.
 */
export class RunImages {
  machineImage = "";
  proxyImage?: FaultProxyImageChoice;
  private projectRef?: Promise<string>;

  constructor(private readonly o: RunImagesOptions) {}

  /** Ensures and leases the machine and fault-proxy images, then prunes the repositories but the project one. */
  async open(): Promise<{ machineImage: string; proxyImage: FaultProxyImageChoice }> {
    const { engine, run, makers } = this.o;
    const ourProxyImage = makers.faultProxyImage ?? ((e) => ensureFaultProxyImage({ engine: e }).then((i) => i.ref));
    const machine = makers.machineImage ?? ((e) => ensureMachineImage({ engine: e }).then((i) => i.ref));
    const chosen = await this.leased(async () => {
      const machineImage = await machine(engine);
      const proxyImage = await chooseFaultProxyImage(engine, run.env, () => ourProxyImage(engine));
      const refs = proxyImage.kind === "exlab" ? [machineImage, proxyImage.ref] : [machineImage];
      return { value: { machineImage, proxyImage }, refs };
    });
    this.machineImage = chosen.machineImage;
    this.proxyImage = chosen.proxyImage;
    await this.prune(withoutProject(this.o.repositories), [chosen.machineImage, chosen.proxyImage.ref]);
    return chosen;
  }

  /** The project image (built FROM the machine image when its content changed), leased; then older ones pruned. */
  project(): Promise<string> {
    this.projectRef ??= (async () => {
      const { engine, makers } = this.o;
      const make = makers.projectImage ?? ((e, m) => this.ensureProject(e, m));
      const ref = await this.leased(async () => {
        const r = await make(engine, this.machineImage);
        return { value: r, refs: [r] };
      });
      await this.prune(this.o.repositories, [this.machineImage, this.proxyImage?.ref ?? "", ref]);
      return ref;
    })();
    return this.projectRef;
  }

  private async ensureProject(engine: Engine, machineImage: string): Promise<string> {
    const { run, stateDir } = this.o;
    const image = await ensureProjectImage({
      engine,
      projectDir: run.projectDir,
      machineImage,
      stateDir,
      exclude: [run.runDir, stateDir],
      maxBytes: projectMaxBytes(run),
      onProgress: (line, level) => run.logger[level](line),
    });
    return image.ref;
  }

  /** Ensures, then leases what was ensured; ensures again if one went away before its lease held (3 tries). */
  private async leased<T>(ensure: () => Promise<{ value: T; refs: string[] }>): Promise<T> {
    const { engine, run, stateDir } = this.o;
    for (let attempt = 1; ; attempt++) {
      const { value, refs } = await ensure();
      if (holdsLease(stateDir, refs)) return value;
      const missing = await holdImages(engine, stateDir, refs).catch((err: unknown) => {
        run.logger.warn(
          `Could not lease the run's images (${messageOf(err)}); another lab's image pruning might remove them`,
        );
        return [];
      });
      if (missing.length === 0 || attempt === 3) return value;
      run.logger.debug(`${missing.join(", ")} went away before its lease held; ensuring it again`);
    }
  }

  /** Removes older lab images (see keepImages), once per process and set of images in use; never fails the run. */
  private prune(repositories: ImageRepositories, inUse: string[]): Promise<void> {
    const { engine, run, keep, stateDir } = this.o;
    if (keep === Infinity) return Promise.resolve();
    const used = inUse.filter((r) => r !== "");
    const key = JSON.stringify([stateDir, keep, repositories, [...used].sort()]);
    let done = pruned.get(key);
    if (!done) {
      done = pruneImages({ engine, keep, inUse: used, repositories, stateDir }).then(
        (report) => logPrune(run, keep, report),
        (err: unknown) => run.logger.warn(`Pruning older exlab images failed (the run goes on): ${messageOf(err)}`),
      );
      pruned.set(key, done);
    }
    return done;
  }
}

/** Prunes done or under way in this process, by stateDir, keep, repositories and images in use. */
const pruned = new Map<string, Promise<void>>();

function logPrune(run: DriverRunOptions, keep: number, report: ImagePruneReport): void {
  const freed = report.freedBytes !== undefined ? `, freed ${formatBytes(report.freedBytes)}` : "";
  if (report.removed.length) {
    run.logger.info(
      `Removed ${report.removed.length} older exlab image(s)${freed}, keeping ${keep} older per repository (EXLAB_KEEP_IMAGES): ${report.removed.map((r) => r.ref).join(", ")}`,
    );
  } else {
    run.logger.debug(
      `No older exlab image to remove (keeping ${keep} older per repository; ${report.kept.length} tag(s) stay)`,
    );
  }
  for (const f of report.failed) {
    const say = f.inUse ? run.logger.debug : run.logger.warn;
    say.call(run.logger, `Could not remove image ${f.ref}${f.inUse ? " (a container uses it now)" : ""}: ${f.error}`);
  }
}

/** EXLAB_PROJECT_MAX_MB (megabytes, 1 MB = 10^6 bytes), else the default; a value that is no number is warned about. */
export function projectMaxBytes(run: Pick<DriverRunOptions, "env" | "logger">): number {
  const raw = run.env.EXLAB_PROJECT_MAX_MB?.trim();
  if (!raw) return DEFAULT_PROJECT_MAX_BYTES;
  if (/^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0) return Number(raw) * 1e6;
  run.logger.warn(
    `EXLAB_PROJECT_MAX_MB=${JSON.stringify(raw)} is not a number of megabytes; using ${DEFAULT_PROJECT_MAX_BYTES / 1e6}`,
  );
  return DEFAULT_PROJECT_MAX_BYTES;
}
