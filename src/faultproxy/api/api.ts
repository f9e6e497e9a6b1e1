import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { asFaultProxyError } from "../errors";
import type { FaultProxyLogger } from "../logger";
import type { ProxyCollection } from "../proxy-collection";
import { handlers, type Handler } from "./handlers";
import { errorReply, readBody, send, textError, type Reply } from "./http-io";
import { requestIdGenerator } from "./request-id";
import { Router } from "./router";

/** Toxiproxy 2.12's route table (api.go). */
function routes(proxies: ProxyCollection, version: string): Router<Handler> {
  const h = handlers(proxies, version);
  return new Router<Handler>()
    .add(["POST"], "/reset", h.reset)
    .add(["GET"], "/proxies", h.listProxies)
    .add(["POST"], "/proxies", h.createProxy)
    .add(["POST"], "/populate", h.populate)
    .add(["GET"], "/proxies/{proxy}", h.showProxy)
    .add(["POST", "PATCH"], "/proxies/{proxy}", h.updateProxy)
    .add(["DELETE"], "/proxies/{proxy}", h.deleteProxy)
    .add(["GET"], "/proxies/{proxy}/toxics", h.listToxics)
    .add(["POST"], "/proxies/{proxy}/toxics", h.createToxic)
    .add(["GET"], "/proxies/{proxy}/toxics/{toxic}", h.showToxic)
    .add(["POST", "PATCH"], "/proxies/{proxy}/toxics/{toxic}", h.updateToxic)
    .add(["DELETE"], "/proxies/{proxy}/toxics/{toxic}", h.deleteToxic)
    .add(["GET"], "/version", h.version);
}

/**
 * The HTTP API as a request listener. Routed requests get an X-Toxiproxy-Request-Id and are refused (403) to
 * browsers (User-Agent starting with "Mozilla/"); unknown paths get 404 "404 page not found", known paths with
 * another method 405 with an empty body.
 */
export function createApiListener(
  proxies: ProxyCollection,
  version: string,
  logger: FaultProxyLogger,
): RequestListener {
  const router = routes(proxies, version);
  const nextId = requestIdGenerator();
  return (req: IncomingMessage, res: ServerResponse) => {
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    } catch {
      return send(res, textError(400, "400 Bad Request"));
    }
    const match = router.match(req.method ?? "GET", path);
    if (match.kind === "not-found") return send(res, textError(404, "404 page not found"));
    if (match.kind === "method-not-allowed") return send(res, { status: 405, body: "" });
    const headers = { "X-Toxiproxy-Request-Id": nextId() };
    if ((req.headers["user-agent"] ?? "").startsWith("Mozilla/")) {
      return send(res, textError(403, "User agent not allowed"), headers);
    }
    const started = Date.now();
    match
      .handler({ params: match.params, body: () => readBody(req) })
      .catch((err): Reply => {
        const error = asFaultProxyError(err);
        if (error.status >= 500) logger.warn({ err: error, path }, "API error");
        return errorReply(error);
      })
      .then((reply) => {
        logger.debug({ method: req.method, path, status: reply.status, ms: Date.now() - started }, "API request");
        send(res, reply, headers);
      });
  };
}
