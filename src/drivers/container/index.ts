// The container driver (DESIGN §4) and its foundations: engine check, images, networks, labels and cleanup. The
// registry loads it as a DriverModule (createDriver, sweep) on first use: it pulls in the Docker client.
import type { DriverOptions, MachineDriver } from "../driver";
import { ContainerDriver } from "./container-driver";

export function createDriver(options: DriverOptions): MachineDriver {
  return new ContainerDriver(options);
}
export { sweep } from "./sweep";
export { ContainerDriver } from "./container-driver";
export type { ContainerDriverOptions } from "./container-driver";
export { ContainerMachine } from "./container-machine";
export { exitInfoOf } from "./machine-state";
export { chooseFaultProxyImage, faultProxyAlias, TOXIPROXY_REPOSITORY, PROXY_API_PORT } from "./faultproxy-container";
export type { FaultProxyImageChoice } from "./faultproxy-container";
export { LabContainer, PUBLISH_HOST } from "./lab-container";
export { LogTail, dockerSince } from "./log-tail";
export { startRunReaper } from "./reaper";
export type { RunReaper, RunReaperOptions } from "./reaper";
export { checkEngine, getEngine, engineAdvice } from "./engine";
export type { CheckEngineOptions, Docker, Engine, EngineInfo } from "./engine";
export { resolveEndpoint, parseDockerHost } from "./endpoint";
export { decideHost, LOCAL_HOST } from "./host";
export type { DockerEndpoint } from "./endpoint";
export { ensureBaseImage, imageId, publicBaseImage, BASE_REPOSITORY, PROJECT_ROOT } from "./base-image";
export type { BaseImage, BaseImageOptions } from "./base-image";
export { ensureMachineImage, ensureFaultProxyImage, ensureAppImage } from "./images";
export type { AppImage, AppImageOptions } from "./images";
export { MACHINE_IMAGE, FAULTPROXY_IMAGE, PROJECT_DIR_IN_IMAGE, PROJECT_REPOSITORY } from "./context";
export { ensureProjectImage } from "./project-image";
export type { ProjectImage, ProjectImageOptions } from "./project-image";
export { planProjectContext, DEFAULT_PROJECT_MAX_BYTES } from "./project-context";
export type { ProjectPlan, ProjectPlanOptions } from "./project-context";
export { DEFAULT_IGNORES } from "./project-ignore";
export type { AppImageSpec } from "./context";
export { createRunNetwork } from "./network";
export type { RunNetwork, RunNetworkOptions } from "./network";
export { removeRun, sweepAll } from "./cleanup";
export { pruneImages, holdImages, labImages, formatBytes, IMAGE_REPOSITORIES, withoutProject } from "./image-prune";
export type { ImagePruneReport, PruneImagesOptions, RemovedImage } from "./image-prune";
export { selectImagesToRemove, keepImagesSetting, DEFAULT_KEEP_IMAGES } from "./image-selection";
export type { ImageDecision, ImageRepositories, ImageTag, KeepReason, PrunePolicy } from "./image-selection";
export { leaseImages, leasedImages } from "./image-leases";
export type { CleanupOptions, CleanupReport, RemovedResource, SweepOptions } from "./cleanup";
export {
  LABEL_BASE,
  LABEL_HASH,
  LABEL_KIND,
  LABEL_MACHINE,
  LABEL_MANAGED,
  LABEL_RUN,
  labelFilter,
  runLabels,
  assertRunId,
} from "./labels";
export type { ResourceKind } from "./labels";
export {
  BaseImageUnavailableError,
  CleanupError,
  ContainerDriverError,
  DockerignoreInvalidError,
  EngineHostUnknownError,
  EngineUnavailableError,
  EntryPointMissingError,
  ImageBuildError,
  InvalidKeepImagesError,
  InvalidRunIdError,
  ProjectTooLargeError,
  ProjectUnreadableError,
} from "./errors";
