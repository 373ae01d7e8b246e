import { dayBoundaries } from "./calendar.ts";
import { type CountPrefix, windowSum } from "./prefix.ts";

/** Points in a burn-down chart. */
export const BUDGET_HISTORY_POINTS = 100;

/**
 * Burn-down: remaining budget fraction at evenly spaced points ending at `endMs`. At
 * point t it is 1 - (bad units in `[startMs, t)`) / (budget of the whole window), the
 * budget being (1 - target) x the window's total units, so the last point equals the
 * window's remaining fraction. All `null` when the window has no data.
 *
 * @example
 * budgetHistory(prefix, 0.999, start, end).at(-1); // { atMs: end, remainingFraction: report.errorBudget.remainingFraction }
 */
export function budgetHistory(
  prefix: CountPrefix,
  target: number,
  startMs: number,
  endMs: number,
  points = BUDGET_HISTORY_POINTS,
): Array<{ atMs: number; remainingFraction: number | null }> {
  const whole = windowSum(prefix, startMs, endMs);
  const allowed = (1 - target) * whole.total;
  const out: Array<{ atMs: number; remainingFraction: number | null }> = [];
  for (let i = 1; i <= points; i++) {
    const atMs = Math.round(startMs + ((endMs - startMs) * i) / points);
    if (!(whole.total > 0)) {
      out.push({ atMs, remainingFraction: null });
      continue;
    }
    const w = windowSum(prefix, startMs, atMs);
    out.push({ atMs, remainingFraction: 1 - (w.total - w.good) / allowed });
  }
  return out;
}

/**
 * SLI per day over `[startMs, endMs)`, days cut at the window start's time of day (in
 * `timeZone` when given). `null` for a day without events.
 *
 * @example
 * sliHistory(prefix, now - 30 * 86_400_000, now, null).length; // 30
 */
export function sliHistory(
  prefix: CountPrefix,
  startMs: number,
  endMs: number,
  timeZone: string | null,
): Array<{ startMs: number; sli: number | null }> {
  const bounds = dayBoundaries(startMs, endMs, timeZone);
  const out: Array<{ startMs: number; sli: number | null }> = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i] as number;
    out.push({ startMs: from, sli: ratio(prefix, from, bounds[i + 1] as number) });
  }
  return out;
}

/**
 * good / total over a window, `null` without events.
 *
 * @example
 * ratio(prefix, dayStart, dayStart + 86_400_000); // 0.9993, or null for a day without traffic
 */
export function ratio(prefix: CountPrefix, startMs: number, endMs: number): number | null {
  const w = windowSum(prefix, startMs, endMs);
  return w.total > 0 ? w.good / w.total : null;
}
