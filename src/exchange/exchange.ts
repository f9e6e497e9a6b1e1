import type { ExchangeNode } from "./node";
import type { Role } from "./events";
import type { ConnectOptions, Dialer, ExchangeOptions } from "./types";

/** One exchange endpoint of a process: a server or a client in one exchange group (S-6). */
export class Exchange {
  readonly role: Role;
  readonly group: string;
  constructor(readonly node: ExchangeNode, opts: ExchangeOptions) {
    this.role = opts.role;
    this.group = opts.group ?? "";
  }
  async listen(_port: number, _host = "127.0.0.1"): Promise<number> { throw new Error("not implemented yet"); }
  connect(_host: string, _port: number, _opts: ConnectOptions = {}): Dialer { throw new Error("not implemented yet"); }
  async shutdown(): Promise<void> { throw new Error("not implemented yet"); }
}
