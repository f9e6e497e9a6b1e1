import type { ExchangeNode } from "./node";
import type { AgentOptions, DeliveredReport, EdgeNotice, Outcome, PublishOptions, ReportSubscription, RequestHandler, RequestOptions, SubscribeOptions } from "./types";

const notYet = (): never => {
  throw new Error("not implemented yet");
};

/** A service agent: one binding (S-2, S-3), requester, publisher and subscriber. */
export class ServiceAgent {
  readonly agentId = "";
  readonly serviceName: string;
  readonly audience: string;
  constructor(readonly node: ExchangeNode, opts: AgentOptions) {
    this.serviceName = opts.name;
    this.audience = opts.audience ?? "*";
  }
  get groups(): string[] { return notYet(); }
  get withdrawn(): boolean { return notYet(); }
  onRequest(_handler: RequestHandler): this { return notYet(); }
  joinGroup(_group: string): void { notYet(); }
  leaveGroup(_group: string): void { notYet(); }
  withdraw(_reason = "WITHDRAWN"): void { notYet(); }
  request(_target: string, _method: string, _args?: unknown, _opts?: RequestOptions): Promise<Outcome> { return notYet(); }
  call(_target: string, _method: string, _args?: unknown, _opts?: RequestOptions): Promise<unknown> { return notYet(); }
  publishReport(_subject: string, _content: unknown, _opts?: PublishOptions): number { return notYet(); }
  sendReport(_subscriber: string, _subject: string, _content: unknown): boolean { return notYet(); }
  expireReports(_pattern: string, _ageS = 0): void { notYet(); }
  purgeReports(): void { notYet(); }
  subscribeReports(_target: string, _pattern: string, _opts?: SubscribeOptions): ReportSubscription { return notYet(); }
  onReport(_cb: (r: DeliveredReport) => void): () => void { return notYet(); }
  onSubscription(_cb: (e: EdgeNotice) => void): () => void { return notYet(); }
  onPublisher(_cb: (e: EdgeNotice) => void): () => void { return notYet(); }
}
