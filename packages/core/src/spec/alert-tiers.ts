import type { AlertTier, TimeWindow } from "./model.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const THIRTY_DAYS = 30 * DAY;

/** The Workbook's four tiers for a 30-day period: name, severity, long window, budget fraction. */
const BASE_TIERS = [
  { name: "page-fast", severity: "page", longWindowMs: HOUR, budgetFraction: 0.02 },
  { name: "page-slow", severity: "page", longWindowMs: 6 * HOUR, budgetFraction: 0.05 },
  { name: "ticket-fast", severity: "ticket", longWindowMs: DAY, budgetFraction: 0.1 },
  { name: "ticket-slow", severity: "ticket", longWindowMs: 3 * DAY, budgetFraction: 0.1 },
] as const;

/**
 * The step every alert window is a whole number of: the period the jobs publish at and
 * the alarms read (5 minutes). It is a multiple of every step the engine runs on in
 * AWS (60 s or 300 s), so a window is the same number of seconds for the engine, the
 * published `Window` label, the alarms and the report.
 */
export const ALERT_WINDOW_STEP_MS = 300_000;

/**
 * Rounds an alert window to the nearest whole number of steps, at least one. This is
 * the only place windows are rounded: without it a 7-day SLO's scaled short window is
 * 70 s, which a 60-second grid reads as one step and a 5-minute alarm period as one
 * period, so the threshold (computed for 70 s) and the data disagree.
 *
 * @example
 * wholeStepWindow(70_000); // 300_000
 * wholeStepWindow(840_000); // 900_000 (14 min -> 15 min)
 * wholeStepWindow(3_600_000); // 3_600_000
 */
export function wholeStepWindow(windowMs: number, stepMs: number = ALERT_WINDOW_STEP_MS): number {
  return Math.max(1, Math.round(windowMs / stepMs)) * stepMs;
}

/** Nominal unit lengths: calendar windows budget as if every month had 30 days. */
const CALENDAR_UNIT_MS = {
  Day: DAY,
  Week: 7 * DAY,
  Month: THIRTY_DAYS,
  Quarter: 90 * DAY,
  Year: 365 * DAY,
} as const;

/**
 * The budget period of a time window in ms: the rolling duration, or the nominal
 * calendar length (month = 30d, week = 7d, quarter = 90d, year = 365d).
 *
 * @example
 * periodMs({ type: "rolling", durationMs: 2_592_000_000 }); // 2_592_000_000
 */
export function periodMs(window: TimeWindow): number {
  return window.type === "rolling"
    ? window.durationMs
    : CALENDAR_UNIT_MS[window.unit] * window.count;
}

/**
 * Builds one tier from its windows and budget fraction; the threshold is B * P / W,
 * rounded to 12 significant digits so 0.02 * 30d / 1h prints as 14.4. Windows are used
 * as given: {@link defaultAlertTiers} rounds scaled windows with {@link wholeStepWindow}.
 *
 * @example
 * alertTier({ name: "page-fast", severity: "page", longWindowMs: 3_600_000,
 *   shortWindowMs: 300_000, budgetFraction: 0.02 }, 2_592_000_000).burnRateThreshold; // 14.4
 */
export function alertTier(
  tier: Omit<AlertTier, "burnRateThreshold">,
  periodMsValue: number,
): AlertTier {
  const threshold = (tier.budgetFraction * periodMsValue) / tier.longWindowMs;
  return { ...tier, burnRateThreshold: Number(threshold.toPrecision(12)) };
}

/**
 * The default multi-window, multi-burn-rate tiers for a budget period: the 30-day
 * Workbook tiers (14.4 / 6 / 3 / 1) with long windows scaled by period/30d, short
 * windows = long/12, both rounded to whole 5-minute steps ({@link wholeStepWindow}),
 * and the same budget fractions (so thresholds stay B * P / W for the rounded window).
 * The 30-day windows are already whole steps and come out unchanged. When rounding
 * would make the short window reach the long one, the long window grows by a step.
 *
 * @example
 * defaultAlertTiers(30 * 86_400_000).map((t) => t.burnRateThreshold); // [14.4, 6, 3, 1]
 * defaultAlertTiers(7 * 86_400_000)[0]?.longWindowMs; // 900_000 (14 minutes, rounded to 15)
 */
export function defaultAlertTiers(periodMsValue: number): AlertTier[] {
  return BASE_TIERS.map((base) => {
    const scaled = (base.longWindowMs * periodMsValue) / THIRTY_DAYS;
    const shortWindowMs = wholeStepWindow(scaled / 12);
    const longWindowMs = Math.max(wholeStepWindow(scaled), shortWindowMs + ALERT_WINDOW_STEP_MS);
    return alertTier(
      {
        name: base.name,
        severity: base.severity,
        longWindowMs,
        shortWindowMs,
        budgetFraction: base.budgetFraction,
      },
      periodMsValue,
    );
  });
}

/** True when `tiers` are exactly the defaults for the period (then no annotation is written). */
export function isDefaultAlertTiers(tiers: readonly AlertTier[], periodMsValue: number): boolean {
  const defaults = defaultAlertTiers(periodMsValue);
  return (
    tiers.length === defaults.length &&
    tiers.every((t, i) => JSON.stringify(t) === JSON.stringify(defaults[i]))
  );
}
