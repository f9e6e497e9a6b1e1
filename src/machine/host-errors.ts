import { ExchangeError } from "../exchange";
import { MachineError, messageOf } from "./errors";
import type { HostErrorPayload } from "./ipc";

/** What a failed command answers the supervisor: machine errors as they are, exchange errors as `EXCHANGE_<code>`. */
export function errorPayload(err: unknown): HostErrorPayload {
  if (err instanceof MachineError)
    return { code: err.code, message: err.message, status: err.status, details: err.details };
  if (err instanceof ExchangeError) {
    const status = err.code === "INVALID_ARGUMENT" ? 400 : err.code === "AGENT_WITHDRAWN" ? 409 : 500;
    return { code: `EXCHANGE_${err.code}`, message: err.message, status };
  }
  return { code: "MACHINE_HOST_ERROR", message: messageOf(err), status: 500 };
}
