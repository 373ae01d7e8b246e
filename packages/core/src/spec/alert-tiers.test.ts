import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultAlertTiers, isDefaultAlertTiers, periodMs } from "./alert-tiers.ts";

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

  it("scales long windows by period/30d, keeps fractions, short = long/12, threshold = B*P/W", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (days) => {
        const period = days * DAY;
        const base = defaultAlertTiers(30 * DAY);
        for (const [i, t] of defaultAlertTiers(period).entries()) {
          const b = base[i]!;
          expect(t.budgetFraction).toBe(b.budgetFraction);
          expect(t.longWindowMs).toBe(Math.round((b.longWindowMs * days) / 30));
          expect(t.shortWindowMs).toBe(Math.round(t.longWindowMs / 12));
          expect(t.burnRateThreshold).toBeCloseTo((t.budgetFraction * period) / t.longWindowMs, 6);
        }
      }),
    );
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
    expect(defaultAlertTiers(7 * DAY)[0]?.longWindowMs).toBe(14 * 60_000);
  });

  it("recognises defaults only for their own period", () => {
    expect(isDefaultAlertTiers(defaultAlertTiers(28 * DAY), 28 * DAY)).toBe(true);
    expect(isDefaultAlertTiers(defaultAlertTiers(28 * DAY), 30 * DAY)).toBe(false);
    expect(isDefaultAlertTiers(defaultAlertTiers(30 * DAY).slice(1), 30 * DAY)).toBe(false);
  });
});
