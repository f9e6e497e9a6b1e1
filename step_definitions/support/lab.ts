// The step definitions drive the compiled lab (dist/): the same code the CLI and the machine supervisors run.
// Build first (`npm run build`); `exlab run` does not rebuild.
function load<T>(path: string): T {
  try {
    return require(path) as T;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "MODULE_NOT_FOUND" && e.message.includes("dist")) {
      throw new Error(`the lab is not built (${path} is missing): run \`npm run build\` first`);
    }
    throw err;
  }
}

export const lab = load<typeof import("../../dist/lab")>("../../dist/lab");
export const topology = load<typeof import("../../dist/topology")>("../../dist/topology");
export const evidence = load<typeof import("../../dist/lab/evidence")>("../../dist/lab/evidence");

export type StartedLab = import("../../dist/lab").StartedLab;
export type LabEvent = import("../../dist/lab").LabEvent;
export type Plan = import("../../dist/topology").Plan;
export type Recorder = import("../../dist/lab/evidence").Recorder;
export type TopologySummary = import("../../dist/lab/evidence").TopologySummary;
