/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a tiny, fast 32-bit seeded PRNG; the same seed always yields the same sequence. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Folds any integer seed (as given on a command line, up to 64 bits) into mulberry32's 32-bit state. */
export function seedFrom(value: number | bigint | string): number {
  const n = BigInt.asUintN(64, BigInt(value));
  return Number((n & 0xffffffffn) ^ (n >> 32n)) >>> 0;
}

/** A fresh seed for runs that did not ask for one (logged so that the run can be replayed). */
export function randomSeed(): number {
  return (Math.floor(Math.random() * 0x100000000) ^ Date.now()) >>> 0;
}

/** Integer in [-spread, spread), as Go's `rand.Int63n(2*spread) - spread`; 0 when spread <= 0. */
export function symmetricInt(random: Random, spread: number): number {
  return spread > 0 ? Math.floor(random() * 2 * spread) - spread : 0;
}
