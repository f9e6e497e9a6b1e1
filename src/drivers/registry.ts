import { messageOf } from "../common";
import { delimiter } from "node:path";
import type { DriverModule, DriverOptions, MachineDriver, SweepOptions, SweepReport } from "./driver";
import { DriverLoadError, DriverPluginError, DriverRegistrationError, UnknownDriverError } from "./errors";

/** A driver's name: what `--driver`, `LAB_DRIVER` and the `@<name>` tag of a scenario say. */
export type DriverName = string;

/** One line of the registry: a name, a line for help texts, and the driver's module, loaded on first use. */
export interface DriverRegistration {
  /** Lower case letters, digits and dashes, starting with a letter (it is also a cucumber tag). */
  name: DriverName;
  /** What the driver makes of a machine, in a few words (help texts, README). */
  description: string;
  /** Loads the driver's module (its folder's index.ts): `() => require("./kubernetes")`. */
  load(): DriverModule;
}

/** What a module named in EXLAB_DRIVERS exports (or exports as `default`): a driver module and its line. */
export type DriverPlugin = DriverModule & Pick<DriverRegistration, "name" | "description">;

const NAME = /^[a-z][a-z0-9-]*$/;
const registry = new Map<DriverName, DriverRegistration>();
const names: DriverName[] = [];

/** The names registered so far, kept up to date (`driverNames()` also registers the drivers of EXLAB_DRIVERS). */
export const DRIVER_NAMES: readonly DriverName[] = names;

/** Adds a driver to the registry; returns what removes it again (tests). */
export function registerDriver(driver: DriverRegistration): () => void {
  if (!NAME.test(driver.name))
    throw new DriverRegistrationError(
      `driver name "${driver.name}" is not lower case letters, digits and dashes starting with a letter`,
    );
  if (registry.has(driver.name)) throw new DriverRegistrationError(`a driver named "${driver.name}" is registered`);
  registry.set(driver.name, driver);
  names.push(driver.name);
  return () => {
    if (registry.get(driver.name) !== driver) return;
    registry.delete(driver.name);
    names.splice(names.indexOf(driver.name), 1);
  };
}

// ── the built-in drivers: one line each ──────────────────────────────────────────────────────────────────────
registerDriver({
  name: "processes",
  description: "one supervisor process per machine, on a loopback address 127.X.0.N",
  load: () => require("./process") as DriverModule,
});
registerDriver({
  name: "containers",
  description: "one Docker container per machine, on a network of its run",
  load: () => require("./container") as DriverModule,
});

/** Each module EXLAB_DRIVERS has named: its driver, or why it was refused; `remove` while it is registered. */
const plugins = new Map<string, { plugin?: DriverPlugin; refused?: DriverPluginError; remove?: () => void }>();

/**
 * Keeps the registry in step with EXLAB_DRIVERS: the drivers of the modules it lists (separated by the platform's
 * path delimiter, ":" or ";"; paths resolve from the working directory, bare names as packages) are registered,
 * those of modules it no longer lists are not. Each module is loaded once per process.
 */
function plugIn(env: NodeJS.ProcessEnv = process.env): void {
  const named = new Set((env.EXLAB_DRIVERS ?? "").split(delimiter).map((s) => s.trim()));
  named.delete("");
  for (const [spec, p] of plugins) {
    if (!p.remove || named.has(spec)) continue;
    p.remove();
    p.remove = undefined;
  }
  for (const spec of named) {
    if (!plugins.has(spec)) plugins.set(spec, loadPlugin(spec));
    const p = plugins.get(spec)!;
    if (p.refused) throw p.refused;
    if (p.remove || !p.plugin) continue;
    const { name, description } = p.plugin;
    const module = p.plugin;
    try {
      p.remove = registerDriver({ name, description, load: () => module });
    } catch (err) {
      throw new DriverPluginError(spec, messageOf(err), { cause: err });
    }
  }
}

function loadPlugin(spec: string): { plugin?: DriverPlugin; refused?: DriverPluginError } {
  let plugin: Partial<DriverPlugin>;
  try {
    const mod = require(require.resolve(spec, { paths: [process.cwd()] })) as { default?: DriverPlugin };
    plugin = mod.default ?? (mod as DriverPlugin);
  } catch (err) {
    return {
      refused: new DriverPluginError(spec, `it could not be loaded: ${messageOf(err)}`, { cause: err }),
    };
  }
  const missing = (["name", "description", "createDriver", "sweep"] as const).filter((k) => !plugin[k]);
  if (missing.length) return { refused: new DriverPluginError(spec, `it does not export ${missing.join(", ")}`) };
  return { plugin: plugin as DriverPlugin };
}

/** The registered drivers, built-ins first, then those of EXLAB_DRIVERS. */
function registeredDrivers(): DriverRegistration[] {
  plugIn();
  return [...registry.values()];
}

/** The registered drivers' names. */
export function driverNames(): DriverName[] {
  plugIn();
  return [...names];
}

function entry(name: DriverName): DriverRegistration {
  const found = registeredDrivers().find((d) => d.name === name);
  if (!found) throw new UnknownDriverError(name, driverNames());
  return found;
}

function load(name: DriverName): DriverModule {
  const driver = entry(name);
  try {
    return driver.load();
  } catch (err) {
    throw new DriverLoadError(name, messageOf(err), { cause: err });
  }
}

/** The driver named by `--driver` / `LAB_DRIVER`, checked against the registry. @default processes */
export function driverNameFrom(value: string | undefined): DriverName {
  const v = (value ?? "processes").trim() || "processes";
  return entry(v).name;
}

/** A driver by name, its module loaded now (the container driver pulls in the Docker client). */
export function createDriver(name: DriverName, options: DriverOptions = {}): MachineDriver {
  return load(name).createDriver(options);
}

/** Runs one registered driver's sweep (`exlab clean`). */
export function sweepDriver(name: DriverName, options: SweepOptions): Promise<SweepReport> {
  return load(name).sweep(options);
}

/** The `--driver` option's help: the registered names, and where the default comes from. */
export function driverOptionHelp(): string {
  return `${driverNames().join(" | ")} (default: $LAB_DRIVER or processes)`;
}

/** The registered drivers, one line each with what they make of a machine (after a command's help). */
export function driversHelp(): string {
  const drivers = registeredDrivers();
  const width = Math.max(...drivers.map((d) => d.name.length));
  return `\nDrivers (--driver, $LAB_DRIVER; EXLAB_DRIVERS adds modules):\n${drivers
    .map((d) => `  ${d.name.padEnd(width)}  ${d.description}`)
    .join("\n")}\n`;
}
