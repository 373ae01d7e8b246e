import { autocorrelation, quantile } from "./stats.ts";

/** Candidate season lengths in steps for a grid of `stepMs`: a day and a week when they are whole steps. */
export function calendarSteps(stepMs: number): { daySteps: number; weekSteps: number } {
  const daySteps = Math.max(1, Math.round(86_400_000 / stepMs));
  return { daySteps, weekSteps: daySteps * 7 };
}

/** Autocorrelation a season must reach to count as present. */
const MIN_ACF = 0.25;

/**
 * Detects which calendar seasons (daily, weekly) the data really has, by the
 * autocorrelation at those lags (at least two full cycles needed). Strongest first.
 *
 * @example
 * detectSeasons(values, 300_000); // [288] for a daily cycle on 5-minute data
 */
export function detectSeasons(y: Float64Array, stepMs: number): number[] {
  const { daySteps, weekSteps } = calendarSteps(stepMs);
  // Winsorised so a few news-driven spikes (Twitter volumes) do not hide the daily cycle.
  const lo = quantile(y, 0.05);
  const hi = quantile(y, 0.95);
  const w = y.map((v) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : v));
  const found: { lag: number; acf: number }[] = [];
  for (const lag of [daySteps, weekSteps]) {
    if (lag < 2 || y.length < 2 * lag) continue;
    const acf = autocorrelation(w, lag);
    if (acf >= MIN_ACF) found.push({ lag, acf });
  }
  // A weekly peak clearly weaker than the daily one is the daily cycle seen again.
  const day = found.find((f) => f.lag === daySteps);
  const week = found.find((f) => f.lag === weekSteps);
  if (day && week && week.acf < day.acf - 0.02) found.splice(found.indexOf(week), 1);
  return found.sort((a, b) => b.acf - a.acf).map((f) => f.lag);
}
