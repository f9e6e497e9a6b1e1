/**
 * The container driver's error catalogue. Every error has a stable `code`, a message that says what to do,
 * and the foreign error (dockerode, socket, child process) as `cause`.
 */
export abstract class ContainerDriverError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No Docker engine answers at the endpoint the lab would use. The message says how to start one. */
export class EngineUnavailableError extends ContainerDriverError {
  readonly code = "ENGINE_UNAVAILABLE";
  constructor(
    message: string,
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The engine answers but the address of published ports cannot be found without pulling an image. */
export class EngineHostUnknownError extends ContainerDriverError {
  readonly code = "ENGINE_HOST_UNKNOWN";
}

/** The base image cannot be made or found without a pull nobody asked for. */
export class BaseImageUnavailableError extends ContainerDriverError {
  readonly code = "BASE_IMAGE_UNAVAILABLE";
}

/** The compiled entry point an image runs is missing (usually: `npm run build` has not run). */
export class EntryPointMissingError extends ContainerDriverError {
  readonly code = "ENTRY_POINT_MISSING";
  constructor(readonly entry: string) {
    super(`${entry} does not exist: run \`npm run build\` first (the image runs the compiled dist/)`);
  }
}

/** The engine refused or failed a build or import; `log` holds the last lines of its output. */
export class ImageBuildError extends ContainerDriverError {
  readonly code = "IMAGE_BUILD_FAILED";
  constructor(
    readonly image: string,
    readonly log: string[],
    options?: { cause?: unknown },
  ) {
    super(`building ${image} failed${log.length ? `:\n  ${log.join("\n  ")}` : ""}`, options);
  }
}

/** Some labelled resources could not be removed; `failures` names them, `removed` lists what was removed. */
export class CleanupError extends ContainerDriverError {
  readonly code = "CLEANUP_INCOMPLETE";
  constructor(
    readonly failures: { kind: "container" | "network"; id: string; name: string; error: string }[],
    readonly removed: { containers: { id: string; name: string }[]; networks: { id: string; name: string }[] },
  ) {
    super(
      `could not remove ${failures.map((f) => `${f.kind} ${f.name} (${f.error})`).join(", ")}; \`exlab clean\` retries`,
    );
  }
}

/** EXLAB_KEEP_IMAGES (or the driver's keepImages option) is not a whole number or `all`. */
export class InvalidKeepImagesError extends ContainerDriverError {
  readonly code = "INVALID_KEEP_IMAGES";
  constructor(
    readonly value: string,
    readonly source: string,
  ) {
    super(
      `${source}=${JSON.stringify(value)} is not usable: give how many older image tags to keep per repository (a whole number, e.g. 2; 0 keeps none) or \`all\` to never remove any`,
    );
  }
}

/** A run id that cannot serve as a Docker label value. */
export class InvalidRunIdError extends ContainerDriverError {
  readonly code = "INVALID_RUN_ID";
  constructor(readonly runId: string) {
    super(
      `run id ${JSON.stringify(runId)} is not usable: use 1-128 characters of [A-Za-z0-9_.-], starting with a letter or digit`,
    );
  }
}

/** A file or folder of the user's project cannot be read to put it into the project image (or it is gone). */
export class ProjectUnreadableError extends ContainerDriverError {
  readonly code = "PROJECT_UNREADABLE";
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot read ${path} to copy the project into the machines' image (${reason}): make it readable by this user, or leave it out in the project's .dockerignore`,
      options,
    );
  }
}

/** The files a project image would carry exceed the limit (EXLAB_PROJECT_MAX_MB); `largest` says where they are. */
export class ProjectTooLargeError extends ContainerDriverError {
  readonly code = "PROJECT_TOO_LARGE";
  constructor(
    readonly projectDir: string,
    readonly bytes: number,
    readonly limitBytes: number,
    readonly largest: { path: string; bytes: number }[],
  ) {
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    super(
      `the project ${projectDir} has more than ${mb(limitBytes)} of files to copy into the machines' image (${mb(bytes)} counted so far; largest: ${largest.map((l) => `${l.path} ${mb(l.bytes)}`).join(", ")}): leave out what its programs do not need in its .dockerignore, or raise EXLAB_PROJECT_MAX_MB`,
    );
  }
}

/** A line of the project's .dockerignore is not a pattern Docker accepts. */
export class DockerignoreInvalidError extends ContainerDriverError {
  readonly code = "PROJECT_DOCKERIGNORE_INVALID";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly pattern: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${file}:${line}: ${JSON.stringify(pattern)} is not a .dockerignore pattern (${reason}); fix or remove it`,
      options,
    );
  }
}
