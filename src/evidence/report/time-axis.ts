/**
 * The time axis every SVG of a scenario shares (its timeline and its workload plots): the same width, left margin
 * and end, so a moment has the same x in each and they line up one above the other on the page.
 */
import type { ScenarioHistory } from "../history";
import { historyEnd } from "../workload-stats";

/** viewBox width; the plot area runs from `left` to `width − right`. */
export const AXIS_WIDTH = 1200;
export const AXIS_LEFT = 176;
export const AXIS_RIGHT = 16;

/** The end of a scenario's time axis (ms): its last recorded moment, plus 2 %. */
export function axisEnd(h: ScenarioHistory): number {
  return Math.max(1, historyEnd(h)) * 1.02;
}

/** t (ms since the scenario started) → x in the viewBox; clamped to [0, end]. */
export function timeScale(end: number): (t: number) => number {
  const plotW = AXIS_WIDTH - AXIS_LEFT - AXIS_RIGHT;
  return (t: number) => AXIS_LEFT + (Math.max(0, Math.min(t, end)) / end) * plotW;
}

/** About ten round ticks from 0 to `end`, labelled in ms under 2 s and in s above. */
export function timeTicks(end: number): { t: number; label: string }[] {
  const step = niceStep(end / 10);
  const out: { t: number; label: string }[] = [];
  for (let t = 0; t <= end; t += step) {
    const label = end < 2000 ? `${+t.toFixed(step < 1 ? 2 : 0)} ms` : `${+(t / 1000).toFixed(step < 1000 ? 1 : 0)} s`;
    out.push({ t, label });
  }
  return out;
}

/** The smallest of 1, 2, 5 × 10^k at least `raw`. */
export function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const k of [1, 2, 5, 10]) if (k * pow >= raw) return k * pow;
  return 10 * pow;
}
