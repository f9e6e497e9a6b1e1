import { CodedError } from "../common";

/** The codes of the drivers' errors below (see README "Errors"). */
export type DriverErrorCode = MachineStartError["code"] | ProxyServerError["code"] | NoSubnetError["code"];

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
