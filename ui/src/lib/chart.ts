// Pure geometry of the history's bar charts: a rounded top for the value axis, stacked
// segments per day in whole pixels (crisp edges), and which day labels fit under the bars.

/** A round top for a value axis, and the step between its ticks. */
export function niceScale(max: number, steps: readonly number[] = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000], ticks = 4): { top: number; step: number } {
  const m = Math.max(0, max);
  for (const step of steps) {
    if (m <= step * ticks) return { top: Math.max(step, Math.ceil(m / step) * step), step };
  }
  const step = steps[steps.length - 1] ?? 1;
  return { top: Math.ceil(m / step) * step || step, step };
}

/** The tick values from 0 to `top`. */
export function tickValues(top: number, step: number): number[] {
  const out: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) out.push(v);
  return out;
}

/** One coloured piece of a stacked bar, in pixels from the top of the plot. */
export interface Segment<K extends string> {
  key: K;
  value: number;
  y: number;
  height: number;
}

/**
 * The segments of one stacked bar, bottom first, for `values` in the order of `keys`, in a plot
 * `height` pixels tall whose top is `top`. Edges fall on whole pixels and the pieces touch, so
 * the bar's total height is the rounded height of the sum.
 */
export function stackSegments<K extends string>(
  values: Record<K, number>,
  keys: readonly K[],
  top: number,
  height: number,
): Segment<K>[] {
  const px = (v: number) => (top > 0 ? Math.round((v / top) * height) : 0);
  const out: Segment<K>[] = [];
  let sum = 0;
  for (const key of keys) {
    const value = values[key] ?? 0;
    if (value <= 0) continue;
    const lower = px(sum);
    sum += value;
    const upper = px(sum);
    if (upper > lower) out.push({ key, value, y: height - upper, height: upper - lower });
  }
  return out;
}

/** Horizontal layout of `n` bars in `width` pixels: each slot's left edge and the bar's width. */
export function barLayout(n: number, width: number): { slot: number; bar: number; x: (i: number) => number } {
  const slot = n > 0 ? width / n : width;
  const gap = slot >= 12 ? Math.max(2, Math.round(slot * 0.25)) : slot >= 5 ? 1 : 0;
  const bar = Math.max(1, Math.floor(slot - gap));
  return { slot, bar, x: (i) => Math.round(i * slot + (slot - bar) / 2) };
}

/**
 * Every how many days a date label fits under the bars: labels about `labelWidth` pixels wide
 * in slots `slot` pixels wide. Always counted back from the last day (today), which is labelled.
 */
export function labelEvery(slot: number, labelWidth: number): number {
  if (slot <= 0) return 1;
  const raw = Math.ceil(labelWidth / slot);
  for (const n of [1, 2, 3, 7, 14]) if (raw <= n) return n;
  return raw;
}
