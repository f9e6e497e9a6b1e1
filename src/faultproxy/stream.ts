/** Which way a link carries bytes: "upstream" = client → server, "downstream" = server → client. */
export type Direction = "upstream" | "downstream";

export const DIRECTIONS: readonly Direction[] = ["upstream", "downstream"];

/** Parses a stream name the way Toxiproxy does (case-insensitive); undefined when it is neither. */
export function parseDirection(value: string): Direction | undefined {
  const v = value.toLowerCase();
  return v === "upstream" || v === "downstream" ? v : undefined;
}

/** One read from a link's source, stamped with the monotonic time (ms) it arrived at the proxy. */
export interface Chunk {
  data: Buffer;
  time: number;
}

/** What a stage's read or write yields when the stage is being interrupted (restarted or removed). */
export const INTERRUPTED: unique symbol = Symbol("interrupted");
export type Interrupted = typeof INTERRUPTED;
