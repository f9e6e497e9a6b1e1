import { randomInt } from "node:crypto";
import prand from "pure-rand";

/** What a schedule draws from: one seeded generator, so one seed gives one schedule. */
export interface Random {
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  /** One of `items`, each as likely. */
  pick<T>(items: readonly T[]): T;
  /** One of `items`, each as likely as its weight (weights > 0). */
  weighted<T>(items: readonly { item: T; weight: number }[]): T;
}

/** The largest seed: seeds are whole numbers in [0, 2^31 − 1], so they print and type as plain integers. */
export const MAX_SEED = 0x7fffffff;

/** Whether `n` can seed a schedule. */
export function isSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SEED;
}

/** A generator (pure-rand's xoroshiro128+) that gives the same numbers for the same seed on every machine. */
export function seededRandom(seed: number): Random {
  if (!isSeed(seed)) throw new RangeError(`a seed is a whole number from 0 to ${MAX_SEED}, not ${seed}`);
  const rng = prand.xoroshiro128plus(seed);
  const int = (min: number, max: number) => prand.unsafeUniformIntDistribution(min, max, rng);
  return {
    int,
    pick: (items) => items[int(0, items.length - 1)],
    weighted: (items) => {
      const total = items.reduce((s, x) => s + x.weight, 0);
      let r = int(0, Math.round(total * 1000) - 1) / 1000;
      for (const x of items) {
        if (r < x.weight) return x.item;
        r -= x.weight;
      }
      return items[items.length - 1].item;
    },
  };
}

/** A fresh seed, for a run given none. */
export function newSeed(): number {
  return randomInt(0, MAX_SEED);
}
