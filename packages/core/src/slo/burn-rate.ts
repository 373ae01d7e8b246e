import { defaultAlertTiers } from "../spec/alert-tiers.ts";
import type { AlertTier } from "../spec/model.ts";
import { SloEvaluationError } from "./errors.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The period the SRE Workbook's tier numbers are stated for. */
export const REFERENCE_PERIOD_MS = 30 * DAY;

/**
 * Burn rate: how many times faster than "exactly on budget" errors are being spent.
 * 1 spends the whole budget in one period; 1000 spends a 99.9 % budget as fast as a
 * total outage.
 *
 * @example
 * burnRate(0.0144, 0.999); // 14.4
 */
export function burnRate(errorRatio: number, target: number): number {
  return errorRatio / (1 - target);
}

/**
 * The burn-rate threshold at which a fraction `budgetFraction` of the budget of a period
 * `periodMs` is spent within `windowMs`: B * P / W.
 *
 * @example
 * burnRateThreshold(0.02, 30 * 86_400_000, 3_600_000); // 14.4
 */
export function burnRateThreshold(
  budgetFraction: number,
  periodMs: number,
  windowMs: number,
): number {
  return (budgetFraction * periodMs) / windowMs;
}

/**
 * Fraction of the period's error budget consumed by burning at `rate` for `windowMs`:
 * rate * W / P (the inverse of {@link burnRateThreshold}).
 *
 * @example
 * budgetConsumed(14.4, 3_600_000, 30 * 86_400_000); // 0.02
 */
export function budgetConsumed(rate: number, windowMs: number, periodMs: number): number {
  return (rate * windowMs) / periodMs;
}

/**
 * Milliseconds until the budget is gone: remaining budget over the current spend rate
 * (burning at rate r spends the whole budget in P / r). `0` when the budget is already
 * spent, `null` when unknown or when nothing is burning.
 *
 * @example
 * timeToExhaustion(1, 1000, 30 * 86_400_000); // 2_592_000 ms = 43.2 minutes (a 99.9 % SLO at 100 % errors)
 */
export function timeToExhaustion(
  remainingFraction: number | null,
  currentBurnRate: number | null,
  periodMs: number,
): number | null {
  if (remainingFraction === null) return null;
  if (remainingFraction <= 0) return 0;
  if (currentBurnRate === null || !(currentBurnRate > 0)) return null;
  return (remainingFraction * periodMs) / currentBurnRate;
}

/**
 * The default alert tiers scaled to a period: the spec's `defaultAlertTiers` (one rule
 * for scaling and for rounding windows to whole steps, shared by the engine, the alarms
 * and the report), with a clear error for a non-positive period.
 *
 * @example
 * defaultTiers(30 * 86_400_000).map((t) => t.burnRateThreshold); // [14.4, 6, 3, 1]
 */
export function defaultTiers(periodMs: number): AlertTier[] {
  if (!(periodMs > 0)) {
    throw new SloEvaluationError(
      `alert tiers need a positive period, got ${periodMs} ms: give the SLO a timeWindow duration such as 30d`,
    );
  }
  return defaultAlertTiers(periodMs);
}
