/** The logging calls the fault proxy makes; a pino logger fits. */
export interface FaultProxyLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = (): void => undefined;

/** Drops everything (the default for in-process use). */
export const silentLogger: FaultProxyLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
