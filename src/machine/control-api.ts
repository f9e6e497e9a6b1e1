import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { BadRequestError, MachineError, messageOf } from "./errors";
import { routes as defaultRoutes, type Route } from "./routes";
import type { Supervisor } from "./supervisor";

export interface ControlApiOptions {
  /** Largest request body accepted (bytes). @default 1048576 */
  maxBodyBytes?: number;
  /** The route table. @default {@link routes} */
  routes?: Route[];
}

/** The control API's HTTP server over one supervisor. Listens on the machine's bindHost only. */
export class ControlApi {
  private readonly server: http.Server;
  private readonly routes: Route[];
  private readonly maxBodyBytes: number;

  constructor(
    private readonly sup: Supervisor,
    opts: ControlApiOptions = {},
  ) {
    this.routes = opts.routes ?? defaultRoutes;
    this.maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.keepAliveTimeout = 5000;
  }

  /** Listens on `host:port` (0 = ephemeral) and resolves with the port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let status = 200;
    let body: unknown;
    try {
      const url = new URL(req.url ?? "/", "http://machine");
      const segments = url.pathname
        .split("/")
        .filter(Boolean)
        .map((s) => decode(s));
      const matches = this.routes.map((r) => ({ r, params: match(r.path, segments) })).filter((m) => m.params !== null);
      const found = matches.find((m) => m.r.method === req.method);
      if (!found) {
        if (matches.length) {
          res.setHeader("Allow", matches.map((m) => m.r.method).join(", "));
          throw new MachineError(
            "MACHINE_METHOD_NOT_ALLOWED",
            `${req.method} is not allowed on ${url.pathname}; use ${matches.map((m) => m.r.method).join(" or ")}`,
            { status: 405 },
          );
        }
        throw new MachineError(
          "MACHINE_NO_ROUTE",
          `No route ${req.method} ${url.pathname}; see src/machine/README.md for the control API`,
          { status: 404 },
        );
      }
      const closed = new Promise<void>((resolve) => res.once("close", resolve));
      const result = await found.r.handle(this.sup, {
        params: found.params ?? {},
        query: url.searchParams,
        body: await this.readBody(req),
        closed,
      });
      status = result.status ?? 200;
      body = result.body ?? {};
    } catch (err) {
      const e =
        err instanceof MachineError
          ? err
          : new MachineError("MACHINE_INTERNAL", `Internal error: ${messageOf(err)}`, {
              cause: err,
            });
      status = e.status;
      body = { error: e.message, code: e.code, ...e.details };
    }
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  private async readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > this.maxBodyBytes)
        throw new MachineError("MACHINE_BODY_TOO_LARGE", `Request body exceeds ${this.maxBodyBytes} bytes`, {
          status: 413,
        });
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString("utf8").trim();
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new BadRequestError(`Request body is not valid JSON: ${messageOf(err)}`, [], { cause: err });
    }
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`Malformed URL encoding in path segment "${segment}"`);
  }
}

function match(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(":")) params[parts[i].slice(1)] = segments[i];
    else if (parts[i] !== segments[i]) return null;
  }
  return params;
}
