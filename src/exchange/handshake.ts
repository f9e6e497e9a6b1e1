/**
 * Handshake decisions (S-9..S-11). The acceptor decides; the dialler only applies the safety nets.
 */
import type { HandshakeContext } from "./context";
import type { RejectReason } from "./events";
import type { Link } from "./link";
import { MAX_VERSION, MIN_VERSION, PROTO, type HelloFrame, type Identity, type WelcomeFrame } from "./protocol";

export function ourIdentity(ex: HandshakeContext): Identity {
  const versions: [number, number] = [MIN_VERSION, MAX_VERSION];
  return { proto: PROTO, versions, role: ex.role, group: ex.group, nodeName: ex.nodeName, incarnation: ex.incarnation };
}

/** Bytewise name order: the link dialled by the smaller nodeName survives (S-10.3). */
export function nameBefore(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")) < 0;
}

function reject(ex: HandshakeContext, link: Link, reason: RejectReason, detail: string): void {
  link.send({ type: "REJECT", reason, detail, nodeName: ex.nodeName, incarnation: ex.incarnation });
  link.close(reason, { rejectSent: true, graceful: true, detail });
}

function welcome(ex: HandshakeContext, link: Link, hello: HelloFrame, version: number): void {
  link.peerHeartbeatMs = hello.heartbeatMs;
  link.peerUrl = hello.url;
  const features = ex.gossip ? ["gossip"] : [];
  const url = ex.advertisedUrl;
  link.send({ type: "WELCOME", ...ourIdentity(ex), heartbeatMs: ex.timing.heartbeatMs, features, url, version });
  ex.becameActive(link);
}

/** Acceptor: evaluate a HELLO (S-9, S-10). */
export function onHello(ex: HandshakeContext, link: Link, hello: HelloFrame): void {
  link.peer = { nodeName: hello.nodeName, incarnation: hello.incarnation, role: hello.role };
  const version = Math.min(MAX_VERSION, hello.versions[1]);
  if (hello.proto !== PROTO || version < Math.max(MIN_VERSION, hello.versions[0])) {
    return reject(
      ex,
      link,
      "VERSION",
      `dialler speaks ${hello.proto} ${hello.versions.join("..")}, this node ${PROTO} ${MIN_VERSION}..${MAX_VERSION}`,
    );
  }
  if (hello.group !== ex.group)
    return reject(
      ex,
      link,
      "GROUP_MISMATCH",
      `dialler is in exchange group "${hello.group}", this exchange is in "${ex.group}"`,
    );
  if (ex.role === "client")
    return reject(ex, link, "ROLE", `a client exchange does not accept connections (dialler is a ${hello.role})`);
  const host = link.remote?.replace(/:\d+$/, "") ?? "";
  if (ex.authorise && !ex.authorise(host))
    return reject(ex, link, "UNAUTHORIZED", `host ${host} refused by authorise()`);
  if (hello.nodeName === ex.nodeName) {
    if (hello.incarnation === ex.incarnation) return reject(ex, link, "SELF", "dialled itself");
    return reject(ex, link, "NAME_CONFLICT", `another live process is named "${ex.nodeName}"`);
  }
  const existing = ex.linkToPeer(hello.nodeName, link);
  if (existing) {
    if (existing.peer?.incarnation === hello.incarnation || existing.deciding) {
      reject(ex, link, "DUPLICATE", `already linked to ${hello.nodeName} (${existing.id})`);
      if (existing.isActive) {
        void existing.probe(ex.timing.probeTimeoutMs).then((alive) => {
          if (!alive) existing.close("IDLE_TIMEOUT", { detail: "no answer to the liveness probe" });
        });
      }
      return;
    }
    link.deciding = true;
    void existing.probe(ex.timing.probeTimeoutMs).then((alive) => {
      link.deciding = false;
      if (link.closed) return;
      if (alive)
        return reject(
          ex,
          link,
          "NAME_CONFLICT",
          `${hello.nodeName} is still live as incarnation ${existing.peer?.incarnation}`,
        );
      existing.close("PEER_RESTARTED", { detail: `new incarnation ${hello.incarnation}` });
      onHello(ex, link, hello);
    });
    return;
  }
  const outgoing = ex.handshakingDialTo(hello.nodeName);
  if (outgoing) {
    if (!nameBefore(hello.nodeName, ex.nodeName)) {
      return reject(ex, link, "SIMULTANEOUS", `both dialled; the dial of ${ex.nodeName} survives`);
    }
    outgoing.close("SIMULTANEOUS", { detail: `both dialled; the dial of ${hello.nodeName} survives` });
  }
  welcome(ex, link, hello, version);
}

/** Dialler: IDENT arrived; send HELLO unless a link to that peer already exists (S-7, S-11). */
export function onIdent(ex: HandshakeContext, link: Link, ident: Identity): void {
  link.identPeer = ident;
  const existing = ex.linkToPeer(ident.nodeName, link);
  if (existing && existing.isActive && existing.peer?.incarnation === ident.incarnation) {
    link.peer = { nodeName: ident.nodeName, incarnation: ident.incarnation, role: ident.role };
    return link.close("DUPLICATE", { detail: `already linked to ${ident.nodeName} (${existing.id})` });
  }
  const other = ex.role === "client" ? ex.activeLinks().find((l) => l !== link) : undefined;
  if (other) return link.close("DUPLICATE", { detail: `this client already has a server link (${other.id})` });
  link.helloSent = true;
  const features = ex.gossip ? ["gossip"] : [];
  link.send({ type: "HELLO", ...ourIdentity(ex), heartbeatMs: ex.timing.heartbeatMs, features, url: ex.advertisedUrl });
}

/** Dialler: WELCOME arrived; apply the safety nets of S-10, then go ACTIVE. */
export function onWelcome(ex: HandshakeContext, link: Link, w: WelcomeFrame): void {
  link.peer = { nodeName: w.nodeName, incarnation: w.incarnation, role: w.role };
  link.peerHeartbeatMs = w.heartbeatMs;
  link.peerUrl = w.url;
  const existing = ex.linkToPeer(w.nodeName, link);
  if (existing?.isActive) {
    if (existing.peer?.incarnation === w.incarnation)
      return link.close("DUPLICATE", { detail: `already linked to ${w.nodeName} (${existing.id})` });
    existing.close("PEER_RESTARTED", { detail: `new incarnation ${w.incarnation}` });
  }
  const other = ex.role === "client" ? ex.activeLinks().find((l) => l !== link) : undefined;
  if (other) return link.close("DUPLICATE", { detail: `this client already has a server link (${other.id})` });
  ex.becameActive(link);
}
