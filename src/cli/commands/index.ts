import type { Command } from "commander";
import { registerClean } from "./clean";
import { registerDoctor } from "./doctor";
import { registerInit } from "./init";
import { registerMergeReports } from "./merge-reports";
import { registerProxy } from "./proxy";
import { registerRun } from "./run";
import { registerShrink } from "./shrink";
import { registerUp } from "./up";
import { registerValidate } from "./validate";

/** A sub-command registers itself on the program; its action sets process.exitCode through `setExit`. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command of `exlab`. Each part adds its own file here and one line below. */
export const commands: RegisterCommand[] = [
  registerValidate,
  registerProxy,
  registerRun,
  registerShrink,
  registerUp,
  registerClean,
  registerDoctor,
  registerInit,
  registerMergeReports,
];
