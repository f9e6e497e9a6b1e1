/** How an API path and method matched the route table (gorilla/mux semantics). */
export type RouteMatch<H> =
  | { kind: "found"; handler: H; params: Record<string, string> }
  | { kind: "method-not-allowed" }
  | { kind: "not-found" };

interface Route<H> {
  methods: readonly string[];
  segments: readonly string[];
  handler: H;
}

/**
 * A tiny route table: patterns such as "/proxies/{proxy}/toxics/{toxic}", where `{x}` matches one non-empty
 * segment of the decoded path. A path that matches with another method gives 405, no match at all 404.
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(methods: readonly string[], pattern: string, handler: H): this {
    this.routes.push({ methods, segments: pattern.split("/").slice(1), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = path.split("/").slice(1);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: "found", handler: route.handler, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: "method-not-allowed" } : { kind: "not-found" };
  }
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (!pattern.length || pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith("{") && p.endsWith("}")) {
      if (segments[i] === "") return undefined;
      params[p.slice(1, -1)] = segments[i];
    } else if (p !== segments[i]) return undefined;
  }
  return params;
}
