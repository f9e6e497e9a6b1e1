import type { Link } from "./link";
import { Mutex } from "./mutex";
import { DIRECTIONS, type Direction } from "./stream";
import type { ToxicWrapper } from "./toxic-wrapper";
import type { Attributes } from "./toxics/toxic";

/**
 * The toxics of one proxy, one ordered chain per direction, and the live links they act on. Every change is
 * applied to every live link of its direction before it resolves; changes are serialised.
 */
export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicWrapper[]> = { upstream: [], downstream: [] };
  private readonly links = new Set<Link>();
  private readonly mutex = new Mutex();

  /** Runs a change with the collection locked (Toxiproxy checks and mutates under one lock). */
  locked<T>(section: () => Promise<T>): Promise<T> {
    return this.mutex.run(section);
  }

  chain(direction: Direction): readonly ToxicWrapper[] {
    return this.chains[direction];
  }

  /** Upstream toxics in insertion order, then downstream ones. */
  list(): ToxicWrapper[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  find(name: string): ToxicWrapper | undefined {
    return this.list().find((t) => t.name === name);
  }

  /** True when a toxic present now makes new connections close with RST (reset_peer on either stream). */
  resetsPeer(): boolean {
    return this.list().some((t) => t.definition.resetsPeer === true);
  }

  attach(...links: Link[]): void {
    for (const link of links) this.links.add(link);
  }

  detach(...links: Link[]): void {
    for (const link of links) this.links.delete(link);
  }

  /** Call under `locked`. */
  async add(toxic: ToxicWrapper): Promise<void> {
    this.chains[toxic.direction].push(toxic);
    await Promise.all(this.linksOf(toxic.direction).map((link) => link.addToxic(toxic)));
  }

  /** Call under `locked`. Merges attributes in place, then restarts the toxic on every link. */
  async update(toxic: ToxicWrapper, attributes: Attributes, toxicity: number): Promise<void> {
    Object.assign(toxic.attributes, attributes);
    toxic.toxicity = toxicity;
    await Promise.all(this.linksOf(toxic.direction).map((link) => link.updateToxic(toxic)));
  }

  /** Call under `locked`. */
  async remove(toxic: ToxicWrapper): Promise<void> {
    const chain = this.chains[toxic.direction];
    chain.splice(chain.indexOf(toxic), 1);
    await Promise.all(this.linksOf(toxic.direction).map((link) => link.removeToxic(toxic)));
  }

  /** Removes every toxic (as /reset does), first to last. */
  reset(): Promise<void> {
    return this.locked(async () => {
      for (const direction of DIRECTIONS) {
        while (this.chains[direction].length > 0) await this.remove(this.chains[direction][0]);
      }
    });
  }

  private linksOf(direction: Direction): Link[] {
    return [...this.links].filter((link) => link.direction === direction);
  }
}
