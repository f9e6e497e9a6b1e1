import pino from "pino";
import type { BrokenExchange } from "./host";
import { HostChannel } from "./host-channel";
import { errorPayload } from "./host-errors";
import { HOST_SPEC_ENV } from "./ipc";
import type { HostSpec } from "./spec";

/**
 * Entry point of a process host, forked by the supervisor with an IPC channel and the spec in
 * `EXLAB_HOST_SPEC`. Exits on SIGTERM or SIGINT (graceful close), and at once if the supervisor goes away.
 */
function main(): void {
  if (!process.send) {
    process.stderr.write("host-main: must be forked by the machine supervisor (no IPC channel)\n");
    process.exit(2);
  }
  const raw = process.env[HOST_SPEC_ENV];
  if (!raw) {
    process.stderr.write(`host-main: ${HOST_SPEC_ENV} is not set\n`);
    process.exit(2);
  }
  const spec = JSON.parse(raw) as HostSpec;
  const logger = pino({
    level: process.env.EXLAB_LOG_LEVEL ?? "info",
    base: { process: spec.process.address, pid: process.pid },
  });
  const host = new HostChannel(spec, logger, { errorPayload, broken: brokenExchange(logger) });
  process.on("disconnect", () => process.exit(0));
  const stop = () => void host.shutdown(4000).then((code) => process.exit(code));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  host.start().catch((err: unknown) => {
    logger.error({ err }, `Could not start "${spec.process.address}"`);
    process.exit(1);
  });
}

/**
 * `EXLAB_BROKEN_EXCHANGE` runs a deliberately broken exchange, to prove that the lab's checkers catch such a bug:
 * - `audience-leak`: bindings cross every link whatever their audience (S-17 violated);
 * - `drop-reports`: one report in a thousand delivered to a subscriber of this process is lost (S-39 violated);
 * - `keep-bindings-on-idle-timeout`: bindings learned over a link that dies by IDLE_TIMEOUT (nothing heard for
 *   missedBeats × heartbeat: a blackhole, a frozen peer, a one-way fault) are kept; every other close (peer
 *   closed, reset, shutdown) still withdraws them (S-22 violated, only a silent fault reveals it).
 */
function brokenExchange(logger: { warn(obj: object, msg: string): void }): BrokenExchange | undefined {
  const mode = process.env.EXLAB_BROKEN_EXCHANGE;
  if (!mode) return undefined;
  const modes: Record<string, () => BrokenExchange> = {
    "audience-leak": () => ({ exportPredicate: () => true }),
    "drop-reports": () => {
      let n = 0;
      return { dropReport: () => ++n % 1000 === 200 };
    },
    "keep-bindings-on-idle-timeout": () => ({ withdrawOnClose: (reason) => reason !== "IDLE_TIMEOUT" }),
  };
  const make = modes[mode];
  if (!make) throw new Error(`EXLAB_BROKEN_EXCHANGE: unknown mode "${mode}" (known: ${Object.keys(modes).join(", ")})`);
  logger.warn({ mode }, `running a deliberately broken exchange (${mode})`);
  return make();
}

main();
