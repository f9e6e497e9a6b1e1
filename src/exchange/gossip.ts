/**
 * Optional peer gossip among servers (S-16), off by default. A gossiping server tells a new server peer
 * about every server it is linked to (and itself), and tells its other server peers about the newcomer;
 * a receiver dials peers it is not linked to as implicit diallers with a bounded number of attempts.
 */
import type { FrameHeader } from "./codec";
import type { GossipContext } from "./context";
import type { Link } from "./link";

export interface PeerUrl {
  nodeName: string;
  url: string;
}

/** Implicit diallers give up after this many consecutive failed attempts. */
export const IMPLICIT_ATTEMPTS = 3;

export function peerUrls(h: FrameHeader): PeerUrl[] {
  const peers = h.peers;
  if (!Array.isArray(peers)) return [];
  return peers.filter(
    (p): p is PeerUrl => typeof p?.nodeName === "string" && typeof p?.url === "string" && /^[^:]+:\d+$/.test(p.url),
  );
}

/** A server link went ACTIVE in a gossiping exchange. */
export function announcePeers(ex: GossipContext, link: Link): void {
  if (!ex.gossip || ex.role !== "server" || link.peer?.role !== "server") return;
  const servers = ex.activeLinks().filter((l) => l.peer?.role === "server");
  const known: PeerUrl[] = servers
    .filter((l) => l !== link && l.peerUrl)
    .map((l) => ({ nodeName: l.peer!.nodeName, url: l.peerUrl! }));
  const self = ex.advertisedUrl;
  if (self) known.push({ nodeName: ex.nodeName, url: self });
  if (known.length) link.send({ type: "PEERS", peers: known });
  if (!link.peerUrl) return;
  for (const other of servers)
    if (other !== link) other.send({ type: "PEERS", peers: [{ nodeName: link.peer!.nodeName, url: link.peerUrl }] });
}

/** PEERS arrived: dial the servers we are not linked to and not already dialling. */
export function onPeers(ex: GossipContext, h: FrameHeader): void {
  if (!ex.gossip || ex.role !== "server") return;
  for (const p of peerUrls(h)) {
    if (p.nodeName === ex.nodeName || ex.linkToPeer(p.nodeName) || ex.dialsTo(p.url)) continue;
    const i = p.url.lastIndexOf(":");
    ex.connect(p.url.slice(0, i), Number(p.url.slice(i + 1)), { maxAttempts: IMPLICIT_ATTEMPTS });
  }
}
