import type { LabFaultDescription } from "../events";

/**
 * Which faults are in force, by the proxies they act on, so that healing a link (or everything) records the end
 * of exactly the faults it ended: a fault is healed once none of its proxies is still faulty.
 */
export class FaultBook {
  private readonly active = new Map<string, { fault: LabFaultDescription; remaining: Set<string> }>();
  private seq = 0;

  /** Records a new fault; returns its id. */
  applied(fault: LabFaultDescription, proxies: string[]): string {
    const id = `f${++this.seq}`;
    this.active.set(id, { fault, remaining: new Set(proxies) });
    return id;
  }

  /** The proxies were healed: returns the faults that ended. */
  healed(proxies: Iterable<string>): { faultId: string; fault: LabFaultDescription }[] {
    const done: { faultId: string; fault: LabFaultDescription }[] = [];
    const set = new Set(proxies);
    for (const [id, f] of this.active) {
      for (const p of set) f.remaining.delete(p);
      if (f.remaining.size === 0) {
        this.active.delete(id);
        done.push({ faultId: id, fault: f.fault });
      }
    }
    return done;
  }

  /** Faults in force now. */
  current(): { faultId: string; fault: LabFaultDescription }[] {
    return [...this.active].map(([faultId, f]) => ({ faultId, fault: f.fault }));
  }
}
