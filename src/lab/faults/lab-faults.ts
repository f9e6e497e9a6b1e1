import type { LabEvent, LabFaultDescription } from "../events";
import type { FaultBook } from "./fault-book";
import type { FaultInjector } from "./injector";
import type { Endpoint, Fault } from "./plan";

/**
 * The network faults of a started lab, by name (machine or process address). Each applies a {@link Fault} to the
 * proxies and records it; healing records the end of every fault it ends.
 */
export class LabFaults {
  constructor(
    private readonly injector: FaultInjector,
    private readonly book: FaultBook,
    private readonly endpoint: (name: string) => Endpoint,
    private readonly emit: (e: LabEvent) => void,
    private readonly now: () => number,
  ) {}

  private async apply(fault: Fault, description: LabFaultDescription): Promise<string> {
    const plan = await this.injector.apply(fault);
    const faultId = this.book.applied(description, plan.proxies);
    this.emit({
      type: "fault",
      time: this.now(),
      action: "applied",
      faultId,
      fault: description,
      proxies: plan.proxies,
    });
    return faultId;
  }

  private async healing(fault: Fault): Promise<void> {
    const plan = await this.injector.apply(fault);
    for (const done of this.book.healed(plan.proxies)) {
      this.emit({
        type: "fault",
        time: this.now(),
        action: "healed",
        faultId: done.faultId,
        fault: done.fault,
        proxies: plan.proxies,
      });
    }
  }

  /** Both directions disabled: existing connections reset, new ones refused. */
  cut(a: string, b: string): Promise<string> {
    return this.apply({ kind: "cut", a: this.endpoint(a), b: this.endpoint(b) }, { type: "cut", targets: [a, b] });
  }

  /** Connections stay open, every byte vanishes, both ways. */
  blackhole(a: string, b: string): Promise<string> {
    return this.apply(
      { kind: "blackhole", a: this.endpoint(a), b: this.endpoint(b) },
      { type: "blackhole", targets: [a, b] },
    );
  }

  /** `from` can no longer reach `to`: only `from`'s bytes are dropped. */
  oneWay(from: string, to: string): Promise<string> {
    return this.apply(
      { kind: "oneWay", from: this.endpoint(from), to: this.endpoint(to) },
      { type: "one-way", targets: [from, to] },
    );
  }

  /** Every link of a machine (or process) cut. */
  isolate(name: string): Promise<string> {
    return this.apply({ kind: "isolate", node: this.endpoint(name) }, { type: "isolate", targets: [name] });
  }

  latency(a: string, b: string, latencyMs: number, jitterMs = 0): Promise<string> {
    const detail = jitterMs ? `${latencyMs} ms ± ${jitterMs} ms` : `${latencyMs} ms`;
    return this.apply(
      { kind: "latency", a: this.endpoint(a), b: this.endpoint(b), latencyMs, jitterMs },
      { type: "latency", targets: [a, b], detail },
    );
  }

  bandwidth(a: string, b: string, rateKBps: number): Promise<string> {
    return this.apply(
      { kind: "bandwidth", a: this.endpoint(a), b: this.endpoint(b), rateKBps },
      { type: "bandwidth", targets: [a, b], detail: `${rateKBps} KB/s` },
    );
  }

  /** The link's toxics removed and its proxies enabled again. */
  heal(a: string, b: string): Promise<void> {
    return this.healing({ kind: "heal", a: this.endpoint(a), b: this.endpoint(b) });
  }

  /** The network heals: every proxy of the run. */
  healAll(): Promise<void> {
    return this.healing({ kind: "healAll" });
  }

  /** Faults in force now. */
  current(): { faultId: string; fault: LabFaultDescription }[] {
    return this.book.current();
  }
}
