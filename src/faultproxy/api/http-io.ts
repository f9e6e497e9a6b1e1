import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequestBody, type FaultProxyError } from "../errors";

/** A response to send. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const TEXT_HEADERS = { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" };

/** JSON as Go's encoding/json writes it: compact, with <, >, & and U+2028/9 escaped. */
export function goStringify(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A JSON object whose keys keep the given order (JS objects put integer-like keys first). */
export function goStringifyEntries(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${entries.map(([key, value]) => `${goStringify(key)}:${goStringify(value)}`).join(",")}}`;
}

export const jsonReply = (status: number, value: unknown): Reply => rawJsonReply(status, goStringify(value));

export const rawJsonReply = (status: number, body: string): Reply => ({
  status,
  headers: { "Content-Type": "application/json" },
  body,
});

export const noContent = (): Reply => ({ status: 204 });

/** Go's http.Error: text/plain, nosniff, the message plus a newline. */
export const textError = (status: number, message: string): Reply => ({
  status,
  headers: TEXT_HEADERS,
  body: `${message}\n`,
});

/** Toxiproxy's apiError: `{"error":…,"status":…}` + newline, served as text/plain by http.Error. */
export const errorReply = (err: FaultProxyError): Reply =>
  textError(err.status, goStringify({ error: err.message, status: err.status }));

/** Largest request body accepted (Toxiproxy has no limit; ours keeps memory bounded). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > MAX_BODY_BYTES) throw badRequestBody("http: request body too large");
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts).toString("utf8");
}

export function send(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = { ...extraHeaders, ...reply.headers };
  if (reply.status !== 204) headers["Content-Length"] = Buffer.byteLength(reply.body ?? "");
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : reply.body);
}
