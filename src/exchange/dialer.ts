import * as net from "node:net";
import type { DialerContext } from "./context";
import type { CloseReason } from "./events";
import type { Link } from "./link";
import type { Dialer, DialerState } from "./types";

export interface DialerTiming {
  delayMs: number;
  jitter: number;
  maxDelayMs: number;
  maxAttempts: number;
}

/**
 * Persistent dialler (S-11, S-12): one attempt at a time, a fresh link id per attempt; after a failure
 * or a close it waits delay × (1 ± jitter); after DUPLICATE/SIMULTANEOUS it stands by while a link to
 * that peer exists and re-checks every handshakeTimeoutMs.
 */
export class DialerImpl implements Dialer {
  state: DialerState = "WAITING";
  private link?: Link;
  private timer?: NodeJS.Timeout;
  private standbyLinkId?: string;
  private standbyPeer?: string;
  private currentDelay: number;
  private failures = 0;

  constructor(
    private readonly ex: DialerContext,
    readonly id: string,
    readonly host: string,
    readonly port: number,
    private readonly timing: DialerTiming,
  ) {
    this.currentDelay = timing.delayMs;
  }

  get linkId(): string | undefined {
    return this.link?.id ?? this.standbyLinkId;
  }

  start(): void {
    this.attempt();
  }

  stop(abrupt = false): void {
    if (this.state === "STOPPED") return;
    const wasStandby = this.state === "STANDBY";
    this.state = "STOPPED";
    clearTimeout(this.timer);
    this.ex.dialerDone(this.id);
    if (this.link) this.link.close("SHUTDOWN", { graceful: !abrupt });
    else if (wasStandby && this.standbyLinkId) this.emitStandbyLink("CLOSED", { reason: "SHUTDOWN" });
  }

  /** Every link close of the exchange comes here: our attempt's, or a peer link we stand by for. */
  linkClosed(link: Link, reason: CloseReason): void {
    if (this.state === "STOPPED") return;
    if (link !== this.link) {
      if (this.state === "STANDBY" && (this.ex.role === "client" || link.peer?.nodeName === this.standbyPeer)) {
        const recheckMs = Math.min(this.timing.delayMs, this.ex.timing.handshakeTimeoutMs) / 4;
        this.arm(this.jittered(recheckMs), () => this.checkStandby());
      }
      return;
    }
    const peer = link.peer?.nodeName ?? link.identPeer?.nodeName;
    this.link = undefined;
    if (this.timing.delayMs < 0) return this.stop();
    if ((reason === "DUPLICATE" || reason === "SIMULTANEOUS") && peer !== undefined) return this.standby(peer, link);
    const wasActive = this.state === "ACTIVE";
    if (wasActive) this.currentDelay = this.timing.delayMs;
    else if (++this.failures >= this.timing.maxAttempts) return this.stop();
    this.state = "WAITING";
    this.arm(this.jittered(this.currentDelay), () => this.attempt());
    if (!wasActive) this.currentDelay = Math.min(this.timing.maxDelayMs, this.currentDelay * 2);
  }

  /** Called by the exchange when this dialler's link went ACTIVE. */
  activated(): void {
    this.state = "ACTIVE";
    this.currentDelay = this.timing.delayMs;
    this.failures = 0;
  }

  private attempt(): void {
    if (this.state === "STOPPED") return;
    const linkId = this.standbyLinkId;
    this.standbyLinkId = undefined;
    this.standbyPeer = undefined;
    const link = this.ex.newLink(true, this.id, linkId);
    this.link = link;
    this.state = "DIALING";
    link.setState("DIALING", { detail: `${this.host}:${this.port}` });
    const socket = net.connect({ host: this.host, port: this.port });
    link.attach(socket, true);
    socket.once("connect", () => {
      if (this.link === link && !link.closed) this.state = "HANDSHAKING";
    });
  }

  private standby(peer: string, last: Link): void {
    this.state = "STANDBY";
    this.standbyPeer = peer;
    this.standbyLinkId = this.ex.nextLinkId();
    this.emitStandbyLink("STANDBY", { peer: last.peer, reason: last.closeReason });
    this.arm(this.ex.timing.handshakeTimeoutMs, () => this.checkStandby());
  }

  private checkStandby(): void {
    if (this.state !== "STANDBY") return;
    const busy =
      this.ex.role === "client"
        ? this.ex.activeLinks().length > 0
        : this.ex.linkToPeer(this.standbyPeer ?? "") !== undefined;
    if (busy) this.arm(this.ex.timing.handshakeTimeoutMs, () => this.checkStandby());
    else this.attempt();
  }

  private emitStandbyLink(state: "STANDBY" | "CLOSED", extra: object): void {
    const { group, role } = this.ex;
    const linkId = this.standbyLinkId ?? "";
    this.ex.emit({ type: "link", state, linkId, group, role, dialer: true, dialerId: this.id, ...extra } as never);
  }

  private jittered(ms: number): number {
    const j = this.timing.jitter;
    return Math.max(0, ms * (1 + j * (2 * this.ex.random() - 1)));
  }

  private arm(ms: number, fn: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(fn, ms);
  }
}
