import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALERT_WINDOW_STEP_MS,
  defaultAlertTiers,
  isDefaultAlertTiers,
  periodMs,
  wholeStepWindow,
} from "./alert-tiers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("defaultAlertTiers", () => {
  it("gives the Workbook's four tiers for 30 days", () => {
    expect(defaultAlertTiers(30 * DAY)).toEqual([
      {
        name: "page-fast",
        severity: "page",
        longWindowMs: HOUR,
        shortWindowMs: 5 * 60_000,
        budgetFraction: 0.02,
        burnRateThreshold: 14.4,
      },
      {
        name: "page-slow",
        severity: "page",
        longWindowMs: 6 * HOUR,
        shortWindowMs: 30 * 60_000,
        budgetFraction: 0.05,
        burnRateThreshold: 6,
      },
      {
        name: "ticket-fast",
        severity: "ticket",
        longWindowMs: DAY,
        shortWindowMs: 2 * HOUR,
        budgetFraction: 0.1,
        burnRateThreshold: 3,
      },
      {
        name: "ticket-slow",
        severity: "ticket",
        longWindowMs: 3 * DAY,
        shortWindowMs: 6 * HOUR,
        budgetFraction: 0.1,
        burnRateThreshold: 1,
      },
    ]);
  });

  it("scales windows by period/30d to the nearest whole step, keeps fractions, threshold = B*P/W", () => {
    const half = ALERT_WINDOW_STEP_MS / 2;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (days) => {
        const period = days * DAY;
        const base = defaultAlertTiers(30 * DAY);
        for (const [i, t] of defaultAlertTiers(period).entries()) {
          const b = base[i]!;
          const scaled = (b.longWindowMs * days) / 30;
          expect(t.budgetFraction).toBe(b.budgetFraction);
          expect(Math.abs(t.shortWindowMs - scaled / 12)).toBeLessThanOrEqual(
            Math.max(half, ALERT_WINDOW_STEP_MS - scaled / 12),
          );
          // The long window is the rounded scaled window, or one step above the short
          // window when rounding would make them meet.
          expect(t.longWindowMs).toBe(
            Math.max(wholeStepWindow(scaled), t.shortWindowMs + ALERT_WINDOW_STEP_MS),
          );
          expect(t.burnRateThreshold).toBeCloseTo((t.budgetFraction * period) / t.longWindowMs, 6);
        }
      }),
    );
  });

  it("makes every default window a whole number of steps, at least one, short < long", () => {
    fc.assert(
      fc.property(fc.integer({ min: 60_000, max: 400 * DAY }), (period) => {
        for (const t of defaultAlertTiers(period)) {
          for (const w of [t.longWindowMs, t.shortWindowMs]) {
            expect(Number.isInteger(w / ALERT_WINDOW_STEP_MS)).toBe(true);
            expect(w).toBeGreaterThanOrEqual(ALERT_WINDOW_STEP_MS);
          }
          expect(t.shortWindowMs).toBeLessThan(t.longWindowMs);
        }
      }),
    );
  });

  it("rounds any window to a whole number of steps >= 1, within half a step", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 400 * DAY, noNaN: true }),
        fc.constantFrom(60_000, 300_000),
        (w, step) => {
          const r = wholeStepWindow(w, step);
          expect(Number.isInteger(r / step)).toBe(true);
          expect(r).toBeGreaterThanOrEqual(step);
          if (w >= step) expect(Math.abs(r - w)).toBeLessThanOrEqual(step / 2);
        },
      ),
    );
  });

  it("gives a 7-day SLO a 5-minute short window, not 70 seconds", () => {
    const [fast] = defaultAlertTiers(7 * DAY);
    expect(fast?.shortWindowMs).toBe(300_000);
    expect(fast?.longWindowMs).toBe(900_000);
    expect(fast?.burnRateThreshold).toBeCloseTo((0.02 * 7 * DAY) / 900_000, 9);
  });

  it("uses nominal calendar lengths: month 30d, week 7d", () => {
    const month = periodMs({
      type: "calendar",
      unit: "Month",
      count: 1,
      startTimeMs: 0,
      timeZone: "UTC",
    });
    const weeks = periodMs({
      type: "calendar",
      unit: "Week",
      count: 2,
      startTimeMs: 0,
      timeZone: "UTC",
    });
    expect(month).toBe(30 * DAY);
    expect(weeks).toBe(14 * DAY);
    // 14 minutes (1h * 7/30) rounded to whole 5-minute steps.
    expect(defaultAlertTiers(7 * DAY)[0]?.longWindowMs).toBe(15 * 60_000);
  });

  it("recognises defaults only for their own period", () => {
    expect(isDefaultAlertTiers(defaultAlertTiers(28 * DAY), 28 * DAY)).toBe(true);
    expect(isDefaultAlertTiers(defaultAlertTiers(28 * DAY), 30 * DAY)).toBe(false);
    expect(isDefaultAlertTiers(defaultAlertTiers(30 * DAY).slice(1), 30 * DAY)).toBe(false);
  });
});
