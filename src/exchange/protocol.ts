/**
 * Frame headers of the exchange protocol ("osex", version 2; version 1 had no REPORTS frame, so the two do not
 * mix and a version-1 dialler is refused with VERSION). Payloads (args, result, details,
 * report content) travel as the frame's opaque payload (see codec.ts).
 *
 * Handshake (S-9): acceptor → IDENT (who am I; no verdict), dialler → HELLO, acceptor → WELCOME | REJECT,
 * then both → SNAPSHOT* SNAPSHOT_END (S-21). IDENT lets the dialler know whom it is dialling before it
 * sends HELLO, so the simultaneous-dial rule S-10.3 can be applied exactly.
 *
 * Registry: AVAIL, JOIN, LEAVE, WITHDRAW (S-18). Liveness: PING, PONG (S-13).
 * Optional server gossip (S-16): PEERS {peers: [{nodeName, url}]}.
 * Routed by `to` (an agent id), with the return path appended by every hop: REQ, SUB (S-32, S-36).
 * Routed by `to` without a path: SUB_OK, UNSUB, REPORT; by each agent of `to` (one frame per next link with its
 * share of them): REPORTS (fanout.ts). Routed back by popping `path`: RES, FAIL, NACK, SUB_REJECT.
 */
import type { RejectReason, Role } from "./events";
import { FrameError } from "./errors";
import type { FrameHeader } from "./codec";
import type { BindingRecord } from "./types";

export const PROTO = "osex";
export const MIN_VERSION = 2;
export const MAX_VERSION = 2;

export interface Identity {
  proto: string;
  versions: [number, number];
  role: Role;
  group: string;
  nodeName: string;
  incarnation: string;
}
export interface IdentFrame extends Identity {
  type: "IDENT";
}
export interface HelloFrame extends Identity {
  type: "HELLO";
  heartbeatMs: number;
  features: string[];
  url?: string;
}
export interface WelcomeFrame extends Identity {
  type: "WELCOME";
  heartbeatMs: number;
  features: string[];
  url?: string;
  version: number;
}
export interface RejectFrame {
  type: "REJECT";
  reason: RejectReason;
  detail?: string;
  nodeName: string;
  incarnation: string;
}

const REJECT_REASONS: ReadonlySet<string> = new Set([
  "VERSION",
  "GROUP_MISMATCH",
  "ROLE",
  "SELF",
  "NAME_CONFLICT",
  "DUPLICATE",
  "SIMULTANEOUS",
  "UNAUTHORIZED",
]);

function bad(h: FrameHeader, field: string, want: string): never {
  throw new FrameError("PROTOCOL_ERROR", `${h.type}.${field} must be ${want}`);
}
export function str(h: FrameHeader, field: string): string {
  const v = h[field];
  return typeof v === "string" ? v : bad(h, field, "a string");
}
export function optStr(h: FrameHeader, field: string): string | undefined {
  const v = h[field];
  return v === undefined || typeof v === "string" ? v : bad(h, field, "a string");
}
export function num(h: FrameHeader, field: string): number {
  const v = h[field];
  return typeof v === "number" && Number.isFinite(v) ? v : bad(h, field, "a finite number");
}
export function optNum(h: FrameHeader, field: string): number | undefined {
  return h[field] === undefined ? undefined : num(h, field);
}
export function strArr(h: FrameHeader, field: string): string[] {
  const v = h[field];
  return Array.isArray(v) && v.every((x) => typeof x === "string")
    ? (v as string[])
    : bad(h, field, "an array of strings");
}

export function identityOf(h: FrameHeader): Identity {
  const versions = h.versions;
  if (!Array.isArray(versions) || versions.length !== 2 || !versions.every((v) => Number.isInteger(v)))
    bad(h, "versions", "[min, max]");
  const role = str(h, "role");
  if (role !== "server" && role !== "client") bad(h, "role", `"server" or "client"`);
  return {
    proto: str(h, "proto"),
    versions: versions as [number, number],
    role,
    group: str(h, "group"),
    nodeName: str(h, "nodeName"),
    incarnation: str(h, "incarnation"),
  };
}

export function helloOf(h: FrameHeader): HelloFrame {
  const hb = num(h, "heartbeatMs");
  if (hb <= 0) bad(h, "heartbeatMs", "positive");
  return {
    type: "HELLO",
    ...identityOf(h),
    heartbeatMs: hb,
    features: h.features === undefined ? [] : strArr(h, "features"),
    url: optStr(h, "url"),
  };
}

export function welcomeOf(h: FrameHeader): WelcomeFrame {
  return { ...helloOf(h), type: "WELCOME", version: num(h, "version") };
}

export function rejectOf(h: FrameHeader): RejectFrame {
  const reason = str(h, "reason");
  if (!REJECT_REASONS.has(reason)) bad(h, "reason", "a known reject reason");
  return {
    type: "REJECT",
    reason: reason as RejectReason,
    detail: optStr(h, "detail"),
    nodeName: optStr(h, "nodeName") ?? "",
    incarnation: optStr(h, "incarnation") ?? "",
  };
}

export function bindingOf(h: FrameHeader): BindingRecord {
  const b = h.b;
  if (typeof b !== "object" || b === null) bad(h, "b", "a binding object");
  const r = b as FrameHeader;
  const origin = r.origin as FrameHeader;
  if (typeof origin !== "object" || origin === null) bad(h, "b.origin", "an object");
  const groups = strArr(r, "groups");
  return {
    agentId: str(r, "agentId"),
    serviceName: str(r, "serviceName"),
    audience: str(r, "audience"),
    groups: [...new Set(groups)].sort(),
    origin: { nodeName: str(origin, "nodeName"), incarnation: str(origin, "incarnation") },
    version: num(r, "version"),
  };
}

/** S-17: may a binding with this audience cross a link of exchange group `group`? */
export function exportable(audience: string, group: string): boolean {
  return audience === "*" || (audience !== "" && audience === group);
}
