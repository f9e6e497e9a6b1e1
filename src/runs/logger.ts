/** The lab's logger: pino-compatible subset, so a pino logger can be injected. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Drops everything. @default for Lab when no logger is given */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

/** Writes `[bindings] msg` lines to a stream (the CLI's `up` uses it). */
export function streamLogger(write: (line: string) => void, level: "debug" | "info" = "info", prefix = ""): Logger {
  const emit = (lvl: string) => (msg: string) => write(`${prefix}${lvl === "info" ? "" : lvl + ": "}${msg}\n`);
  return {
    debug: level === "debug" ? emit("debug") : () => {},
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (b) => streamLogger(write, level, `${prefix}[${Object.values(b).join(" ")}] `),
  };
}
