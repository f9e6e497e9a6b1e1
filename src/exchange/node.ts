import type { ExchangeEvent, ExchangeEventType } from "./events";
import { Exchange } from "./exchange";
import { ServiceAgent } from "./agent";
import { Registry } from "./registry";
import type { AgentOptions, BindingView, ExchangeNodeOptions, ExchangeOptions, NodeDump } from "./types";

type Listener<E> = (e: E) => void;

/** One process identity (S-1): its registry, exchanges, agents and event stream. */
export class ExchangeNode {
  readonly name: string;
  readonly incarnation = "";
  readonly registry = new Registry();
  constructor(opts: ExchangeNodeOptions = {}) {
    this.name = opts.name ?? "";
  }
  on(type: "event", listener: Listener<ExchangeEvent>): this;
  on<K extends ExchangeEventType>(type: K, listener: Listener<Extract<ExchangeEvent, { type: K }>>): this;
  on(_type: string, _listener: Listener<never>): this { throw new Error("not implemented yet"); }
  off(_type: string, _listener: Listener<never>): this { throw new Error("not implemented yet"); }
  eventsSince(_seq: number): ExchangeEvent[] { throw new Error("not implemented yet"); }
  exchange(opts: ExchangeOptions): Exchange { return new Exchange(this, opts); }
  agent(opts: AgentOptions): ServiceAgent { return new ServiceAgent(this, opts); }
  resolve(_name: string): BindingView | undefined { throw new Error("not implemented yet"); }
  dump(): NodeDump { throw new Error("not implemented yet"); }
  async close(): Promise<void> { throw new Error("not implemented yet"); }
  destroy(): void { throw new Error("not implemented yet"); }
}
