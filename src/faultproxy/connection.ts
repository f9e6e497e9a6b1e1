import type { Socket } from "node:net";
import { Link } from "./link";
import type { StageEnv } from "./stub";
import type { ToxicCollection } from "./toxic-collection";

/**
 * One proxied client connection: two links sharing two sockets.
 *
 *   client ──▶ upstream link   ──▶ server
 *   client ◀── downstream link ◀── server
 *
 * No half-close: when a link has written out the end of its stream it fully closes its destination, and the
 * other link (whose source that socket is) ends too. Connections opened while a reset_peer toxic exists close
 * every socket with RST.
 */
export class Connection {
  private upstream: Link | null = null;
  private downstream: Link | null = null;
  private resetOnClose = false;
  private openSockets = 2;

  constructor(
    readonly client: Socket,
    readonly server: Socket,
    private readonly toxics: ToxicCollection,
    private readonly env: StageEnv,
    private readonly onGone: (connection: Connection) => void,
  ) {}

  start(): void {
    this.resetOnClose = this.toxics.resetsPeer();
    const finished = (link: Link): void => this.linkFinished(link);
    this.upstream = new Link("upstream", this.client, this.server, this.env, finished);
    this.downstream = new Link("downstream", this.server, this.client, this.env, finished);
    this.toxics.attach(this.upstream, this.downstream);
    for (const socket of [this.client, this.server]) {
      socket.setNoDelay(true);
      socket.once("close", this.socketClosed);
    }
    this.upstream.start(this.toxics.chain("upstream"));
    this.downstream.start(this.toxics.chain("downstream"));
    this.client.resume();
  }

  /** Drops both sockets at once (proxy disabled, replaced or deleted). */
  destroy(): void {
    this.closeSocket(this.client, true);
    this.closeSocket(this.server, true);
  }

  private linkFinished(link: Link): void {
    this.closeSocket(link.dest, false);
    (link === this.upstream ? this.downstream : this.upstream)?.endSource();
  }

  private closeSocket(socket: Socket, now: boolean): void {
    if (socket.destroyed) return;
    if (this.resetOnClose && !socket.connecting) socket.resetAndDestroy();
    else if (now || socket.writableLength === 0) socket.destroy();
    else {
      socket.once("finish", () => socket.destroy());
      socket.end();
    }
  }

  private readonly socketClosed = (): void => {
    if (--this.openSockets > 0) return;
    for (const link of [this.upstream, this.downstream]) {
      if (!link) continue;
      link.kill();
      this.toxics.detach(link);
    }
    this.onGone(this);
  };
}
