import type { MachineDriver } from "./driver";
import { ProcessDriver } from "./process";
import { messageOf } from "../common";

export type DriverName = "processes" | "containers";
export const DRIVER_NAMES: readonly DriverName[] = ["processes", "containers"];

/** The driver named by `--driver` / `LAB_DRIVER`. @default processes */
export function driverNameFrom(value: string | undefined): DriverName {
  const v = (value ?? "processes").trim() || "processes";
  if ((DRIVER_NAMES as readonly string[]).includes(v)) return v as DriverName;
  throw new Error(`unknown driver "${v}": use one of ${DRIVER_NAMES.join(", ")}`);
}

/**
 * A driver by name. The container driver is loaded lazily (it pulls in the Docker client); it says clearly when
 * it is not available.
 */
export function createDriver(name: DriverName, options: { stateDir?: string } = {}): MachineDriver {
  if (name === "processes") return new ProcessDriver({ stateDir: options.stateDir });
  let mod: { ContainerDriver?: new (o?: object) => MachineDriver };
  try {
    mod = require("./container");
  } catch (err) {
    throw new Error(`the container driver could not be loaded: ${messageOf(err)}`);
  }
  if (!mod.ContainerDriver)
    throw new Error(
      "the container driver is not implemented yet in this build (src/drivers/container has no ContainerDriver)",
    );
  return new mod.ContainerDriver(options);
}
