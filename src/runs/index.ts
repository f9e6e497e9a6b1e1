// Host bookkeeping below the drivers: run state, process tracking, paths, logs (README of this folder).
export { stopAllLabs, registerLab, claimSignals } from "./active-labs";
export { silentLogger, streamLogger, type Logger } from "./logger";
export { packageRoot, distScript, defaultRunsDir, isTestOnlyFile } from "./paths";
export { isAlive, signalGroup, signalPid, groupMembers, envOf, processesWithEnv } from "./proc";
export { RunState, defaultStateDir, type RunRecord } from "./run-state";
