import { InvalidRunIdError } from "./errors";

/** Labels on everything the lab creates in Docker, so that a run (or a crashed one) can be found and removed. */
export const LABEL_MANAGED = "org.exchange-lab.managed";
export const LABEL_RUN = "org.exchange-lab.run";
export const LABEL_KIND = "org.exchange-lab.kind";
export const LABEL_MACHINE = "org.exchange-lab.machine";
export const LABEL_HASH = "org.exchange-lab.hash";
export const LABEL_BASE = "org.exchange-lab.base";

/** What an image or container is: the base image, a machine, the fault proxy, or a project (image only). */
export type ResourceKind = "base" | "machine" | "faultproxy" | "project";

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function assertRunId(runId: string): void {
  if (typeof runId !== "string" || !RUN_ID.test(runId)) throw new InvalidRunIdError(String(runId));
}

/**
 * The labels every container and network of a run carries: managed=true and the run id, plus `extra`
 * (e.g. `{ [LABEL_KIND]: "machine", [LABEL_MACHINE]: "alpha" }`). Extra keys cannot override the two.
 */
export function runLabels(runId: string, extra: Record<string, string> = {}): Record<string, string> {
  assertRunId(runId);
  return { ...extra, [LABEL_MANAGED]: "true", [LABEL_RUN]: runId };
}

/** The Docker list filter (`{ label: ["k=v"] }`) matching every given label. */
export function labelFilter(labels: Record<string, string>): { label: string[] } {
  return { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
}
