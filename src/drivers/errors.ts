import { CodedError } from "../common";

/** The codes of the drivers' errors below (see README "Errors"). */
export type DriverErrorCode =
  | MachineStartError["code"]
  | ProxyServerError["code"]
  | NoSubnetError["code"]
  | UnknownDriverError["code"]
  | DriverLoadError["code"]
  | DriverRegistrationError["code"]
  | DriverPluginError["code"];

/** A machine did not become ready: the message carries its last log lines. */
export class MachineStartError extends CodedError<"LAB_MACHINE_START_FAILED"> {
  constructor(
    readonly machine: string,
    reason: string,
    readonly lastLines: readonly string[],
    readonly logPath?: string,
    options?: { cause?: unknown },
  ) {
    super(
      "LAB_MACHINE_START_FAILED",
      `machine "${machine}" did not start: ${reason}` +
        (logPath ? ` (log: ${logPath})` : "") +
        (lastLines.length ? `\n  last lines:\n    ${lastLines.join("\n    ")}` : ""),
      options,
    );
  }
}

/** The fault-proxy server (ours, a `toxiproxy-server`, or its container) could not be started or reached. */
export class ProxyServerError extends CodedError<"LAB_PROXY_SERVER_FAILED"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("LAB_PROXY_SERVER_FAILED", message, options);
  }
}

/** No loopback subnet 127.X.0.0/24 could be leased for a run's machines. */
export class NoSubnetError extends CodedError<"LAB_NO_SUBNET"> {
  constructor(message: string) {
    super("LAB_NO_SUBNET", message);
  }
}

/** `--driver`, `LAB_DRIVER` or a call named a driver the registry does not have; the message lists those it has. */
export class UnknownDriverError extends CodedError<"LAB_UNKNOWN_DRIVER"> {
  constructor(
    readonly driver: string,
    readonly known: readonly string[],
  ) {
    super("LAB_UNKNOWN_DRIVER", `unknown driver "${driver}": use one of ${known.join(", ")}`);
  }
}

/** A registered driver's module could not be loaded (not built, a dependency missing…). */
export class DriverLoadError extends CodedError<"LAB_DRIVER_LOAD_FAILED"> {
  constructor(
    readonly driver: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super("LAB_DRIVER_LOAD_FAILED", `the ${driver} driver could not be loaded: ${reason}`, options);
  }
}

/** A driver registration was refused: a name that is not a tag, or one already taken. */
export class DriverRegistrationError extends CodedError<"LAB_DRIVER_REGISTRATION"> {
  constructor(message: string) {
    super("LAB_DRIVER_REGISTRATION", message);
  }
}

/** A module named in EXLAB_DRIVERS could not be loaded or is not a driver module. */
export class DriverPluginError extends CodedError<"LAB_DRIVER_PLUGIN"> {
  constructor(
    readonly module: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super("LAB_DRIVER_PLUGIN", `EXLAB_DRIVERS names "${module}", but ${reason}`, options);
  }
}
