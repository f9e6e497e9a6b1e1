import { MAX_SEED, isSeed } from "../../lab";

/** `--seed <n>`: the seed of random fault schedules whose step names none, as a random step printed it. */
export function seedOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !isSeed(n))
    throw new Error(`--seed takes a whole number from 0 to ${MAX_SEED} (as a random step prints it), not "${value}"`);
  return n;
}
