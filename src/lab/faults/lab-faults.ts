import type { LabEvent, LabFaultDescription } from "../events";
import type { FaultArgValue, FaultArgs, FaultVerb } from "./fault-verb";
import type { FaultBook } from "./fault-book";
import type { FaultInjector } from "./injector";
import type { Endpoint, Fault, FaultPlan } from "./plan";
import { describeFault, faultArgs, faultVerb } from "./registry";

/**
 * The network faults of a started lab, by name (machine or process address). Any verb of the fault table applies
 * through {@link apply}; the typed methods are shorthands for the built-in verbs. A fault is recorded with its
 * verb's description; healing records the end of every fault it ends.
 */
export class LabFaults {
  constructor(
    private readonly injector: FaultInjector,
    private readonly book: FaultBook,
    private readonly endpoint: (name: string) => Endpoint,
    private readonly emit: (e: LabEvent) => void,
    private readonly now: () => number,
  ) {}

  /**
   * Applies a verb of the fault table with its arguments in order (machine or process names, ms, KB/s…, as the
   * verb's `args` say). Resolves with the new fault's id, or with undefined for a heal.
   */
  async apply(verb: string, args: readonly FaultArgValue[] = []): Promise<string | undefined> {
    const v = faultVerb(verb);
    const named = faultArgs(v, args);
    const plan = await this.injector.apply(this.fault(v, named));
    if (v.heals) {
      this.healed(plan);
      return undefined;
    }
    return this.applied(describeFault(v, named), plan);
  }

  /** The verb's arguments, machine and process names resolved to endpoints. */
  private fault(v: FaultVerb, args: FaultArgs): Fault {
    const out: Record<string, Endpoint | FaultArgValue> = {};
    for (const a of v.args) {
      const value = args[a.name];
      if (value !== undefined) out[a.name] = a.kind === "node" ? this.endpoint(String(value)) : value;
    }
    return { ...out, kind: v.name };
  }

  private applied(fault: LabFaultDescription, plan: FaultPlan): string {
    const faultId = this.book.applied(fault, plan.proxies);
    this.emit({ type: "fault", time: this.now(), action: "applied", faultId, fault, proxies: plan.proxies });
    return faultId;
  }

  private healed(plan: FaultPlan): void {
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

  private async start(verb: string, args: FaultArgValue[]): Promise<string> {
    return (await this.apply(verb, args)) as string;
  }

  private async end(verb: string, args: FaultArgValue[]): Promise<void> {
    await this.apply(verb, args);
  }

  /** Both directions disabled: existing connections reset, new ones refused. */
  cut(a: string, b: string): Promise<string> {
    return this.start("cut", [a, b]);
  }

  /** Connections stay open, every byte vanishes, both ways. */
  blackhole(a: string, b: string): Promise<string> {
    return this.start("blackhole", [a, b]);
  }

  /** `from` can no longer reach `to`: only `from`'s bytes are dropped (the verb "one-way"). */
  oneWay(from: string, to: string): Promise<string> {
    return this.start("one-way", [from, to]);
  }

  /** Every link of a machine (or process) cut. */
  isolate(name: string): Promise<string> {
    return this.start("isolate", [name]);
  }

  latency(a: string, b: string, latencyMs: number, jitterMs = 0): Promise<string> {
    return this.start("latency", [a, b, latencyMs, jitterMs]);
  }

  bandwidth(a: string, b: string, rateKBps: number): Promise<string> {
    return this.start("bandwidth", [a, b, rateKBps]);
  }

  /** The link's toxics removed and its proxies enabled again. */
  heal(a: string, b: string): Promise<void> {
    return this.end("heal", [a, b]);
  }

  /** The network heals: every proxy of the run. */
  healAll(): Promise<void> {
    return this.end("heal", []);
  }

  /** Faults in force now. */
  current(): { faultId: string; fault: LabFaultDescription }[] {
    return this.book.current();
  }
}
