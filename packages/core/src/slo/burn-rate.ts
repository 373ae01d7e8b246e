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

interface ReferenceTier {
  readonly name: string;
  readonly severity: "page" | "ticket";
  readonly longWindowMs: number;
  readonly budgetFraction: number;
}

/** The SRE Workbook's four tiers for a 30-day period (ch. 5, "multiwindow, multi-burn-rate"). */
const REFERENCE_TIERS: readonly ReferenceTier[] = [
  { name: "page-fast", severity: "page", longWindowMs: HOUR, budgetFraction: 0.02 },
  { name: "page-slow", severity: "page", longWindowMs: 6 * HOUR, budgetFraction: 0.05 },
  { name: "ticket-fast", severity: "ticket", longWindowMs: DAY, budgetFraction: 0.1 },
  { name: "ticket-slow", severity: "ticket", longWindowMs: 3 * DAY, budgetFraction: 0.1 },
];

/**
 * The default alert tiers scaled to a period: the budget fractions stay, the long
 * windows scale by period / 30 d, short = long / 12, threshold = B * P / long (so the
 * thresholds stay 14.4, 6, 3 and 1). Kept identical to the spec's `defaultAlertTiers`.
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
  return REFERENCE_TIERS.map((t) => {
    const longWindowMs = Math.round((t.longWindowMs * periodMs) / REFERENCE_PERIOD_MS);
    const threshold = burnRateThreshold(t.budgetFraction, periodMs, longWindowMs);
    return {
      name: t.name,
      severity: t.severity,
      longWindowMs,
      shortWindowMs: Math.round(longWindowMs / 12),
      budgetFraction: t.budgetFraction,
      // 12 significant digits, as the spec does, so 0.02 * 30 d / 1 h is exactly 14.4.
      burnRateThreshold: Number(threshold.toPrecision(12)),
    };
  });
}
