/** A figure measured several times: the median is the figure, min and max show the spread. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  /** Every run's value, in run order. */
  runs: number[];
  unit: string;
}

/** A figure that could not be measured, and why. */
export interface NotMeasured {
  notMeasured: string;
}

export type Result = Figure | NotMeasured;

export const isFigure = (r: Result | undefined): r is Figure => !!r && "median" in r;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function figure(runs: readonly number[], unit: string, digits = 3): Figure {
  const r = (n: number) => Number(n.toPrecision(Math.max(digits, 1)));
  const rounded = runs.map((v) => Number(v.toFixed(4)));
  return { median: r(median(runs)), min: r(Math.min(...runs)), max: r(Math.max(...runs)), runs: rounded, unit };
}

export const notMeasured = (why: string): NotMeasured => ({ notMeasured: why });

/** Collects values of named figures across runs. */
export class Runs {
  private readonly values = new Map<string, { unit: string; values: number[] }>();

  add(key: string, value: number, unit: string): void {
    const v = this.values.get(key) ?? { unit, values: [] };
    v.values.push(value);
    this.values.set(key, v);
  }

  get(key: string): Figure | undefined {
    const v = this.values.get(key);
    return v && v.values.length ? figure(v.values, v.unit) : undefined;
  }

  keys(): string[] {
    return [...this.values.keys()];
  }
}

/** Formats a figure as "median (min–max) unit" for tables. */
export function cell(r: Result | undefined, digits = 3): string {
  if (!r) return "—";
  if (!isFigure(r)) return "not measured";
  const f = (n: number) => fmt(n, digits);
  return r.min === r.max ? `${f(r.median)}` : `${f(r.median)} (${f(r.min)}–${f(r.max)})`;
}

export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 10000) return Math.round(n).toLocaleString("en-US");
  if (abs >= 100) return n.toFixed(0);
  return Number(n.toPrecision(digits)).toString();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` every `intervalMs` until it holds; throws `what` after `timeoutMs`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(intervalMs);
  }
}
