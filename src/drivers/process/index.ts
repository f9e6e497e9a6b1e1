// The process driver as the registry loads it (a DriverModule), and its class for those who build one by hand.
import type { DriverOptions, MachineDriver } from "../driver";
import { ProcessDriver } from "./process-driver";

export { ProcessDriver, type ProcessDriverOptions } from "./process-driver";
export { sweep } from "./sweep";

export function createDriver(options: DriverOptions): MachineDriver {
  return new ProcessDriver({ stateDir: options.stateDir });
}
