import type { Issue } from "./diagnostics";
import { pathToString } from "./diagnostics";
import { formatDuration } from "./duration";
import { groupLabel } from "./resolve";
import type { Topology, TopologyProcess, YamlPath } from "./types";

/** Machine and process names: lowercase letters, digits and "-", starting with a letter. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Ports a topology may not use: the machine's control API listens on them on every machine's address
 * (DESIGN §4).
 */
export const RESERVED_PORTS: Readonly<Record<number, string>> = Object.freeze({ 7700: "the machine's control API" });

const err = (code: string, path: YamlPath, message: string, hint: string, atKey = false): Issue => ({
  severity: "error",
  code,
  path,
  message,
  hint,
  ...(atKey && { atKey }),
});

/** Names, groups, duplicates, ports and timing: the errors that need no link resolution. */
export function checkNames(t: Topology): Issue[] {
  const issues: Issue[] = [];
  const nameHint = "use lowercase letters, digits and '-', starting with a letter (e.g. `web-2`)";
  for (const m of t.machines) {
    if (!NAME_PATTERN.test(m.name))
      issues.push(
        err("INVALID_NAME", m.yamlPath, `machine name "${m.name}" cannot be used in addresses`, nameHint, true),
      );
    const seen = new Map<string, TopologyProcess>();
    const ports = new Map<number, string>();
    for (const p of m.processes) {
      const defaulted = p.kind === "server" && p.namePath === p.yamlPath;
      if (!defaulted && !NAME_PATTERN.test(p.name))
        issues.push(
          err(
            "INVALID_NAME",
            p.namePath,
            `process name "${p.name}" cannot be used in addresses`,
            nameHint,
            p.kind === "process",
          ),
        );
      const first = seen.get(p.name);
      if (first)
        issues.push(
          err(
            "DUPLICATE_NAME",
            p.namePath,
            `machine "${m.name}" already has a process named "${p.name}" (${pathToString(first.yamlPath)})`,
            defaulted
              ? `servers are named "exchange" or "exchange-<group>" by default; give this one a \`name:\``
              : "rename one of the two",
            p.kind === "process",
          ),
        );
      else seen.set(p.name, p);
      checkProcess(p, ports, issues);
    }
  }
  checkTiming(t, issues);
  return issues;
}

function checkProcess(p: TopologyProcess, ports: Map<number, string>, issues: Issue[]): void {
  const groups = new Set<string>();
  for (const e of p.endpoints) {
    if (e.group !== "" && !NAME_PATTERN.test(e.group))
      issues.push(
        err(
          "INVALID_GROUP",
          e.groupPath,
          `exchange group "${e.group}" is not a valid group name`,
          "write \"\" for the default group, or lowercase letters, digits and '-', starting with a letter",
        ),
      );
    if (groups.has(e.group))
      issues.push(
        err(
          "DUPLICATE_GROUP",
          e.groupPath,
          `process "${p.address}" has two endpoints in ${groupLabel(e.group)}`,
          "a process has at most one endpoint per group (S-6): merge the two entries",
        ),
      );
    groups.add(e.group);
    if (e.listen === undefined) continue;
    const where = e.listenPath ?? e.yamlPath;
    const reserved = RESERVED_PORTS[e.listen];
    if (reserved)
      issues.push(err("RESERVED_PORT", where, `port ${e.listen} is reserved for ${reserved}`, "choose another port"));
    const user = ports.get(e.listen);
    if (user)
      issues.push(
        err(
          "PORT_CLASH",
          where,
          `port ${e.listen} is already used on machine "${p.machine}" by ${user}`,
          "give every server and bridge listener of a machine its own port",
        ),
      );
    else ports.set(e.listen, `${p.address} (${pathToString(where)})`);
  }
  const services = new Set<string>();
  p.services.forEach((s) => {
    if (services.has(s.name))
      issues.push(
        err(
          "DUPLICATE_SERVICE",
          [...s.yamlPath, "name"],
          `process "${p.address}" offers service "${s.name}" twice`,
          "give each service of a process its own name; several processes may offer the same name",
        ),
      );
    services.add(s.name);
    if (s.audience !== "*" && s.audience !== "" && !NAME_PATTERN.test(s.audience))
      issues.push(
        err(
          "INVALID_GROUP",
          [...s.yamlPath, "audience"],
          `audience "${s.audience}" is neither "*", "" nor a group name`,
          'write "*" (everyone), "" (this process only) or an exchange group name',
        ),
      );
  });
}

function checkTiming(t: Topology, issues: Issue[]): void {
  const fields = [
    ["heartbeat", t.timing.heartbeatMs],
    ["retryDelay", t.timing.retryDelayMs],
    ["handshakeTimeout", t.timing.handshakeTimeoutMs],
    ["requestTimeout", t.timing.requestTimeoutMs],
  ] as const;
  for (const [key, ms] of fields) {
    if (ms <= 0)
      issues.push(
        err(
          "BAD_TIMING",
          ["timing", key],
          `timing.${key} must be longer than 0, got ${formatDuration(ms)}`,
          "write a positive duration, e.g. 200ms",
        ),
      );
  }
}
