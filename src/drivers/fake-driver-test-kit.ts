// A throwaway driver for tests, written as a user would write one for EXLAB_DRIVERS: `EXLAB_DRIVERS=<this file>`
// registers "fake". It starts no machine; its sweep says what it was given, in `sweeps` (this process) and, when
// FAKE_DRIVER_LOG names a file, as one JSON line there (a child `exlab clean`).
import { appendFileSync } from "node:fs";
import type { DriverPlugin } from "./registry";
import type { DriverRun, MachineDriver, SweepOptions, SweepReport } from "./driver";

export const sweeps: SweepOptions[] = [];

export const name = "fake";
export const description = "machines that are never started (a test driver)";

export function createDriver(): MachineDriver {
  return {
    name,
    async open(): Promise<DriverRun> {
      throw new Error("the fake driver starts no machine");
    },
  };
}

export async function sweep(options: SweepOptions): Promise<SweepReport> {
  sweeps.push(options);
  const log = process.env.FAKE_DRIVER_LOG;
  if (log) appendFileSync(log, JSON.stringify({ runs: options.runs.map((r) => r.runId), live: options.live }) + "\n");
  const things = options.runs.flatMap((r) => Object.keys(r.resources.thing ?? {}));
  return { cleaned: options.runs.map((r) => r.runId), lines: [`swept ${things.length} thing(s)`] };
}

// The module as a whole is a DriverPlugin: checked here, as a plugin author's compiler would.
const plugin: DriverPlugin = { name, description, createDriver, sweep };
void plugin;
