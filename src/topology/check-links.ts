import type { Issue } from "./diagnostics";
import { pathToString } from "./diagnostics";
import { allProcesses, groupLabel } from "./resolve";
import type { ResolvedDial } from "./resolve";
import { quoteList } from "./suggest";
import type { Topology, TopologyEndpoint, TopologyProcess } from "./types";

const warn = (code: string, path: Issue["path"], message: string, hint: string): Issue => ({
  severity: "warning",
  code,
  path,
  message,
  hint,
  ...(code === "GROUP_LOOP" && { atKey: true }),
});

/** Warnings about how processes are linked: mutual dials, partial meshes, clients with two servers,
 * group loops, and audiences that cannot leave their process. */
export function checkLinks(t: Topology, dials: readonly ResolvedDial[]): Issue[] {
  return [
    ...mutualDials(dials),
    ...partialMeshes(t, dials),
    ...multiServerClients(dials),
    ...groupLoops(t, dials),
    ...audiences(t),
  ];
}

function mutualDials(dials: readonly ResolvedDial[]): Issue[] {
  const issues: Issue[] = [];
  dials.forEach((d, j) => {
    const earlier = dials.slice(0, j).find((o) => o.fromEndpoint === d.toEndpoint && o.toEndpoint === d.fromEndpoint);
    if (!earlier) return;
    issues.push(
      warn(
        "MUTUAL_DIAL",
        d.ref?.yamlPath ?? d.fromEndpoint.yamlPath,
        `${d.from.address} dials ${d.to.address}, which already dials it back: mutual dials; the exchange keeps one of the two links (S-10)`,
        `remove one of the two connect entries (the other is at ${pathToString(earlier.ref?.yamlPath ?? earlier.fromEndpoint.yamlPath)}); \`mesh: full\` picks one direction for you`,
      ),
    );
  });
  return issues;
}

function partialMeshes(t: Topology, dials: readonly ResolvedDial[]): Issue[] {
  const issues: Issue[] = [];
  const servers = allProcesses(t).flatMap((p) => p.endpoints.filter((e) => e.role === "server").map((e) => ({ p, e })));
  const linked = (a: TopologyEndpoint, b: TopologyEndpoint) =>
    dials.some((d) => (d.fromEndpoint === a && d.toEndpoint === b) || (d.fromEndpoint === b && d.toEndpoint === a));
  const groups = [...new Set(servers.map((s) => s.e.group))];
  for (const group of groups) {
    const members = servers.filter((s) => s.e.group === group);
    const missing: [(typeof members)[0], (typeof members)[0]][] = [];
    for (let j = 0; j < members.length; j++)
      for (let i = 0; i < j; i++)
        if (members[i].p !== members[j].p && !linked(members[i].e, members[j].e))
          missing.push([members[i], members[j]]);
    if (missing.length === 0) continue;
    const [a, b] = missing[0];
    const pairs = missing.map(([x, y]) => `${x.p.address}–${y.p.address}`);
    issues.push(
      warn(
        "PARTIAL_MESH",
        b.e.yamlPath,
        `servers of ${groupLabel(group)} are not all linked: ${quoteList(pairs, 6)} ${missing.length === 1 ? "has" : "have"} no connection, so services known to one server do not reach the other (one-hop forwarding, S-19)`,
        `add \`mesh: full\` at the top of the file, or \`connect: [${a.p.machine === b.p.machine ? a.p.address : a.p.machine}]\` to ${pathToString(b.e.yamlPath)}`,
      ),
    );
  }
  return issues;
}

function multiServerClients(dials: readonly ResolvedDial[]): Issue[] {
  const issues: Issue[] = [];
  const byEndpoint = new Map<TopologyEndpoint, ResolvedDial[]>();
  for (const d of dials)
    if (d.fromEndpoint.role === "client")
      byEndpoint.set(d.fromEndpoint, [...(byEndpoint.get(d.fromEndpoint) ?? []), d]);
  for (const [e, list] of byEndpoint) {
    if (list.length < 2) continue;
    issues.push(
      warn(
        "CLIENT_MULTIPLE_SERVERS",
        list[1].ref?.yamlPath ?? e.yamlPath,
        `the client endpoint of ${list[0].from.address} in ${groupLabel(e.group)} connects to ${list.length} servers (${quoteList(list.map((d) => d.to.address))}): each binding reaches it twice, or loops (S-7, S-20)`,
        "connect a client to one server; the servers of a group reach each other through their mesh",
      ),
    );
  }
  return issues;
}

/** Endpoints linked by dials form islands; bridges join islands; a bridge joining two islands that are
 * already joined closes a loop. */
function groupLoops(t: Topology, dials: readonly ResolvedDial[]): Issue[] {
  const issues: Issue[] = [];
  const islands = new UnionFind<TopologyEndpoint>();
  for (const d of dials) islands.union(d.fromEndpoint, d.toEndpoint);
  const joined = new UnionFind<TopologyEndpoint>();
  const bridges: { p: TopologyProcess; roots: TopologyEndpoint[] }[] = [];
  for (const p of allProcesses(t)) {
    if (p.endpoints.length < 2) continue;
    const [first, ...rest] = p.endpoints;
    for (const e of rest) {
      if (e.group === first.group) continue;
      const [ra, rb] = [islands.find(first), islands.find(e)];
      if (joined.find(ra) === joined.find(rb)) {
        const via = bridges
          .filter((b) => b.roots.some((r) => joined.find(r) === joined.find(ra)))
          .map((b) => b.p.address);
        issues.push(
          warn(
            "GROUP_LOOP",
            p.namePath,
            `${p.address} bridges ${groupLabel(first.group)} and ${groupLabel(e.group)}, which are already connected through ${quoteList(via)}: exchange groups should form a hierarchy; a loop brings bindings in twice (S-28, TOPOLOGY_LOOP)`,
            "let each pair of exchange groups share at most one bridging process",
          ),
        );
      } else joined.union(ra, rb);
    }
    bridges.push({ p, roots: p.endpoints.map((e) => islands.find(e)) });
  }
  return issues;
}

class UnionFind<T> {
  private readonly parent = new Map<T, T>();
  find(x: T): T {
    const p = this.parent.get(x) ?? x;
    if (p === x) return x;
    const root = this.find(p);
    this.parent.set(x, root);
    return root;
  }
  union(a: T, b: T): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

function audiences(t: Topology): Issue[] {
  const issues: Issue[] = [];
  for (const p of allProcesses(t)) {
    const groups = new Set(p.endpoints.map((e) => e.group));
    for (const s of p.services) {
      if (s.audience === "*" || s.audience === "" || groups.has(s.audience)) continue;
      issues.push(
        warn(
          "AUDIENCE_UNREACHABLE",
          [...s.yamlPath, "audience"],
          `service "${s.name}" has audience "${s.audience}", but ${p.address} has no endpoint in that group, so the service never leaves the process (S-17)`,
          `put the process in group "${s.audience}" (or give it an endpoint there), or use audience "*"`,
        ),
      );
    }
  }
  return issues;
}
