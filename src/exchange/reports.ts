/**
 * Reports (S-36..S-40). Edges (subscriber, publisher, pattern) live at both ends. The publisher filters:
 * one delivery per subscriber per publication, with the matching patterns; a last-value cache per subject.
 * Live publications leave as REPORTS frames shared by the subscribers behind each link (fanout.ts); cached
 * replays and targeted reports as REPORT frames, one per subscriber.
 * The subscriber drops a report it already has (same publisher and subject, seq not newer), so a cache
 * replay after a reconnect never delivers a publication twice.
 */
import { decodePayload, encodePayload, payloadFlag, type FrameHeader } from "./codec";
import type { Interest, ReportsContext } from "./context";
import { publicationsOf, type ReportsFrame } from "./fanout";
import { matchSubject } from "./glob";
import { num, str, strArr } from "./protocol";
import type { Entry } from "./registry";
import type { EdgeDump, EdgeNotice } from "./types";

interface CacheEntry {
  seq: number;
  payload?: Buffer;
  /** How the payload is encoded (`bin: 1`: raw bytes). */
  flag: { bin?: 1 };
  publishedAt: number;
  expiresAt: number;
}
interface PubState {
  seq: number;
  edges: Map<string, Set<string>>;
  cache: Map<string, CacheEntry>;
  /** Recipients by subject, while the edges stay as they are (cleared on any edge change). */
  fanout: Map<string, Recipients>;
}
/** The subscribers with a matching edge and their matched patterns (never changed once made). */
interface Recipients {
  to: string[];
  pats: string[][];
}
/** Subjects whose recipients a publisher remembers at most. */
const FANOUT_MEMO = 256;
interface SubEdge {
  refs: number;
  state: "PENDING" | "ACTIVE" | "REJECTED";
}
interface SubState {
  interests: Set<Interest>;
  edges: Map<string, Map<string, SubEdge>>;
  last: Map<string, Map<string, number>>;
}

export class Reports {
  private readonly pubs = new Map<string, PubState>();
  private readonly subs = new Map<string, SubState>();

  constructor(private readonly ctx: ReportsContext) {
    ctx.observe((change, e) => {
      if (change === "AVAIL") this.publisherAppeared(e);
      else if (change === "WITHDRAW") this.agentGone(e);
    });
  }

  // ---- publisher side ----

  publish(publisher: string, subject: string, content: unknown, lifetime: number): number {
    const st = this.pub(publisher);
    const seq = ++st.seq;
    const payload = encodePayload(content);
    const flag = payloadFlag(content);
    const now = this.ctx.clock.now();
    if (lifetime === 0) st.cache.delete(subject);
    else
      st.cache.set(subject, {
        seq,
        payload,
        flag,
        publishedAt: now,
        expiresAt: lifetime < 0 ? Infinity : now + lifetime * 1000,
      });
    let r = st.fanout.get(subject);
    if (!r) {
      const match = this.matcher(publisher);
      r = { to: [], pats: [] };
      for (const [subscriber, patterns] of st.edges) {
        const matched = matching(patterns, subject, match);
        if (matched.length === 0) continue;
        r.to.push(subscriber);
        r.pats.push(matched);
      }
      if (st.fanout.size >= FANOUT_MEMO) st.fanout.clear();
      st.fanout.set(subject, r);
    }
    const { to, pats } = r;
    if (to.length > 0) this.ctx.publish({ pub: publisher, seq, subj: subject, bin: flag.bin === 1, payload, to, pats });
    return seq;
  }

  sendReport(publisher: string, subscriber: string, subject: string, content: unknown): boolean {
    const st = this.pub(publisher);
    const patterns = st.edges.get(subscriber);
    if (!patterns || patterns.size === 0) return false;
    const seq = ++st.seq;
    const pats = matching(patterns, subject, this.matcher(publisher));
    const h = { type: "REPORT", pub: publisher, to: subscriber, seq, subj: subject, pats, ...payloadFlag(content) };
    return this.ctx.send(h, encodePayload(content));
  }

  expire(publisher: string, pattern: string, ageS: number): void {
    const st = this.pubs.get(publisher);
    if (!st) return;
    const now = this.ctx.clock.now();
    const match = this.matcher(publisher);
    for (const [subject, c] of st.cache)
      if (match(pattern, subject) && now - c.publishedAt >= ageS * 1000) st.cache.delete(subject);
  }

  purge(publisher: string): void {
    const st = this.pubs.get(publisher);
    const now = this.ctx.clock.now();
    if (st) for (const [subject, c] of st.cache) if (c.expiresAt <= now) st.cache.delete(subject);
  }

  // ---- subscriber side ----

  addInterest(i: Interest): void {
    this.sub(i.subscriber).interests.add(i);
    for (const e of this.publishersFor(i)) this.addEdgeRef(i.subscriber, e.b.agentId, i.pattern);
  }

  removeInterest(i: Interest): void {
    const st = this.subs.get(i.subscriber);
    if (!st || !st.interests.delete(i)) return;
    for (const e of this.publishersFor(i)) this.dropEdgeRef(st, i.subscriber, e.b.agentId, i.pattern);
  }

  dump(): EdgeDump[] {
    const out: EdgeDump[] = [];
    for (const [publisher, st] of this.pubs)
      for (const [subscriber, pats] of st.edges)
        for (const pattern of pats) out.push({ side: "publisher", publisher, subscriber, pattern, state: "ACTIVE" });
    for (const [subscriber, st] of this.subs)
      for (const [publisher, edges] of st.edges)
        for (const [pattern, e] of edges)
          out.push({ side: "subscriber", publisher, subscriber, pattern, state: e.state });
    return out;
  }

  /** Frames for a local agent: SUB (publisher), SUB_OK/SUB_REJECT/REPORT (subscriber), UNSUB (publisher). */
  onFrame(h: FrameHeader, payload: Buffer | undefined, path: string[] | undefined): void {
    const to = str(h, "to");
    switch (h.type) {
      case "SUB":
        return this.onSub(str(h, "from"), to, str(h, "pattern"), path ?? []);
      case "UNSUB":
        return this.onUnsub(str(h, "from"), to, str(h, "pattern"));
      case "SUB_OK":
      case "SUB_REJECT":
        return this.onVerdict(to, str(h, "from"), str(h, "pattern"), h.type === "SUB_OK" ? "ACTIVE" : "REJECTED");
      case "REPORT":
        return this.onReport(
          to,
          str(h, "pub"),
          num(h, "seq"),
          str(h, "subj"),
          strArr(h, "pats"),
          h.cached === 1,
          payload,
          h.bin,
        );
    }
  }

  /**
   * A REPORTS frame for local recipients `r.to[i]`, i in `local`: each publication to each of them, in seq order.
   * Byte contents are copied for all but one recipient (for every one if the frame also went on to other links),
   * so no two deliveries share bytes.
   */
  onReports(h: FrameHeader, payload: Buffer | undefined, r: ReportsFrame, local: number[], forwarded: boolean): void {
    const { seq, subj, len } = publicationsOf(h, payload);
    const bin = h.bin;
    let at = 0;
    for (let i = 0; i < seq.length; i++) {
      const bytes = len[i];
      const p = bytes > 0 ? payload!.subarray(at, at + bytes) : undefined;
      at += bytes;
      for (let j = 0; j < local.length; j++) {
        const k = local[j];
        const own = bin === 1 && p && (forwarded || j > 0) ? Buffer.from(p) : p;
        this.onReport(r.to[k], r.pub, seq[i], subj[i], r.pats[k], false, own, bin);
      }
    }
  }

  private onSub(subscriber: string, publisher: string, pattern: string, path: string[]): void {
    const { send, reply } = this.ctx;
    const agent = this.ctx.agent(publisher);
    const reject = (reason: string): void => {
      reply(path, { type: "SUB_REJECT", from: publisher, to: subscriber, pattern, reason });
    };
    if (!agent || agent.withdrawn) return reject("UNAVAILABLE");
    if (!this.ctx.entry(subscriber)) return reject("NOT_VISIBLE");
    const st = this.pub(publisher);
    let pats = st.edges.get(subscriber);
    if (!pats) st.edges.set(subscriber, (pats = new Set()));
    const isNew = !pats.has(pattern);
    pats.add(pattern);
    st.fanout.clear();
    const now = this.ctx.clock.now();
    const match = agent.match;
    for (const [subject, c] of st.cache) {
      if (c.expiresAt <= now || !match(pattern, subject)) continue;
      const matched = matching(pats, subject, match);
      const h = { type: "REPORT", pub: publisher, to: subscriber, seq: c.seq, subj: subject, pats: matched, cached: 1 };
      send({ ...h, ...c.flag }, c.payload);
    }
    send({ type: "SUB_OK", from: publisher, to: subscriber, pattern });
    if (isNew) this.edgeEvent("publisher", "REQUESTED", subscriber, publisher, pattern);
  }

  private onUnsub(subscriber: string, publisher: string, pattern: string): void {
    const st = this.pubs.get(publisher);
    const pats = st?.edges.get(subscriber);
    if (!st || !pats || !pats.delete(pattern)) return;
    if (pats.size === 0) st.edges.delete(subscriber);
    st.fanout.clear();
    this.edgeEvent("publisher", "WITHDRAWN", subscriber, publisher, pattern);
  }

  private onVerdict(subscriber: string, publisher: string, pattern: string, state: "ACTIVE" | "REJECTED"): void {
    const edge = this.subs.get(subscriber)?.edges.get(publisher)?.get(pattern);
    if (!edge || edge.state !== "PENDING") return;
    edge.state = state;
    this.edgeEvent("subscriber", state === "ACTIVE" ? "REQUESTED" : "REJECTED", subscriber, publisher, pattern);
  }

  /** `pats`: the patterns that matched, kept by the event log; the delivery and its event get a copy. */
  private onReport(
    subscriber: string,
    publisher: string,
    seq: number,
    subject: string,
    pats: string[],
    cached: boolean,
    payload: Buffer | undefined,
    bin: unknown,
  ): void {
    const st = this.subs.get(subscriber);
    const agent = this.ctx.agent(subscriber);
    if (!st || !agent || agent.withdrawn || !st.edges.has(publisher)) return;
    let last = st.last.get(publisher);
    if (!last) st.last.set(publisher, (last = new Map()));
    const prev = last.get(subject);
    if (prev !== undefined && seq <= prev) return;
    if (!cached && this.ctx.dropReport?.(subscriber, subject)) return;
    const content = decodePayload(payload, bin);
    last.set(subject, seq);
    const publicationSeq = seq;
    const matchedPatterns = pats.slice();
    this.ctx.emitReport(publisher, publicationSeq, subscriber, subject, matchedPatterns, cached, pats);
    agent.deliverReport({ publisher, publicationSeq, subscriber, subject, content, matchedPatterns, cached });
  }

  private publisherAppeared(e: Entry): void {
    for (const [subscriber, st] of this.subs) {
      for (const i of st.interests) {
        if (i.byAgent ? i.target === e.b.agentId : i.target === e.b.serviceName)
          this.addEdgeRef(subscriber, e.b.agentId, i.pattern);
      }
    }
  }

  private agentGone(e: Entry): void {
    const id = e.b.agentId;
    for (const [publisher, st] of this.pubs) {
      const pats = st.edges.get(id);
      if (!pats || publisher === id) continue;
      st.edges.delete(id);
      st.fanout.clear();
      for (const p of pats) this.edgeEvent("publisher", "WITHDRAWN", id, publisher, p);
    }
    for (const [subscriber, st] of this.subs) {
      const edges = st.edges.get(id);
      if (!edges || subscriber === id) continue;
      st.edges.delete(id);
      for (const p of edges.keys()) this.edgeEvent("subscriber", "WITHDRAWN", subscriber, id, p);
    }
    if (e.location !== "local") return;
    const own = this.pubs.get(id);
    if (own)
      for (const [subscriber, pats] of own.edges)
        for (const p of pats) this.edgeEvent("publisher", "WITHDRAWN", subscriber, id, p);
    const mine = this.subs.get(id);
    if (mine)
      for (const [publisher, edges] of mine.edges)
        for (const p of edges.keys()) this.edgeEvent("subscriber", "WITHDRAWN", id, publisher, p);
    this.pubs.delete(id);
    this.subs.delete(id);
  }

  private addEdgeRef(subscriber: string, publisher: string, pattern: string): void {
    const st = this.sub(subscriber);
    let edges = st.edges.get(publisher);
    if (!edges) st.edges.set(publisher, (edges = new Map()));
    const edge = edges.get(pattern);
    if (edge) {
      edge.refs++;
      return;
    }
    edges.set(pattern, { refs: 1, state: "PENDING" });
    const sent = this.ctx.send({ type: "SUB", from: subscriber, to: publisher, pattern, path: [] });
    if (!sent) this.onVerdict(subscriber, publisher, pattern, "REJECTED");
  }

  private dropEdgeRef(st: SubState, subscriber: string, publisher: string, pattern: string): void {
    const edges = st.edges.get(publisher);
    const edge = edges?.get(pattern);
    if (!edges || !edge || --edge.refs > 0) return;
    edges.delete(pattern);
    if (edges.size === 0) st.edges.delete(publisher);
    this.ctx.send({ type: "UNSUB", from: subscriber, to: publisher, pattern });
    this.edgeEvent("subscriber", "WITHDRAWN", subscriber, publisher, pattern);
  }

  private publishersFor(i: Interest): Entry[] {
    if (i.byAgent) {
      const e = this.ctx.entry(i.target);
      return e ? [e] : [];
    }
    return this.ctx.entriesNamed(i.target);
  }

  private edgeEvent(
    side: "publisher" | "subscriber",
    state: EdgeNotice["state"],
    subscriber: string,
    publisher: string,
    pattern: string,
  ): void {
    this.ctx.emit({ type: "subscription", state, side, subscriber, publisher, pattern });
    const agent = this.ctx.agent(side === "publisher" ? publisher : subscriber);
    agent?.edgeNotice(side, { state, subscriber, publisher, pattern });
  }

  private matcher(publisher: string): (pattern: string, subject: string) => boolean {
    return this.ctx.agent(publisher)?.match ?? matchSubject;
  }

  private pub(agentId: string): PubState {
    let st = this.pubs.get(agentId);
    if (!st) this.pubs.set(agentId, (st = { seq: 0, edges: new Map(), cache: new Map(), fanout: new Map() }));
    return st;
  }

  private sub(agentId: string): SubState {
    let st = this.subs.get(agentId);
    if (!st) this.subs.set(agentId, (st = { interests: new Set(), edges: new Map(), last: new Map() }));
    return st;
  }
}

function matching(patterns: Set<string>, subject: string, match: (p: string, s: string) => boolean): string[] {
  const out: string[] = [];
  for (const p of patterns) if (match(p, subject)) out.push(p);
  return out;
}
