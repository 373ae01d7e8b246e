import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultAlertTiers } from "../spec/index.ts";
import { windowBurnRate } from "./alerts.ts";
import {
  budgetConsumed,
  burnRate,
  burnRateThreshold,
  defaultTiers,
  timeToExhaustion,
} from "./burn-rate.ts";
import { SloEvaluationError } from "./errors.ts";
import { buildPrefix, windowSum } from "./prefix.ts";
import { DAY, HOUR, MINUTE, makeCounts } from "./test-fixtures.ts";

const PERIOD = 30 * DAY;

describe("SRE Workbook worked numbers", () => {
  it("a 99.9 % SLO at 100 % errors exhausts a 30-day budget in 43.2 minutes", () => {
    const rate = burnRate(1, 0.999);
    expect(rate).toBeCloseTo(1000, 9);
    expect((timeToExhaustion(1, rate, PERIOD) as number) / MINUTE).toBeCloseTo(43.2, 9);
  });

  it("a 14.4x burn over 1 h consumes 2 % of a 30-day budget", () => {
    expect(budgetConsumed(14.4, HOUR, PERIOD)).toBeCloseTo(0.02, 12);
    expect(burnRateThreshold(0.02, PERIOD, HOUR)).toBeCloseTo(14.4, 12);
  });

  it("default tiers for 30 d are 14.4 / 6 / 3 / 1 with short = long / 12", () => {
    const tiers = defaultTiers(PERIOD);
    expect(tiers.map((t) => t.severity)).toEqual(["page", "page", "ticket", "ticket"]);
    expect(tiers.map((t) => t.longWindowMs)).toEqual([HOUR, 6 * HOUR, DAY, 3 * DAY]);
    expect(tiers.map((t) => t.shortWindowMs)).toEqual([
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      6 * HOUR,
    ]);
    expect(tiers.map((t) => t.budgetFraction)).toEqual([0.02, 0.05, 0.1, 0.1]);
    tiers.forEach((t, i) => {
      expect(t.burnRateThreshold).toBeCloseTo([14.4, 6, 3, 1][i] as number, 12);
    });
  });

  it("are identical to the spec's defaultAlertTiers for any period", () => {
    fc.assert(
      fc.property(fc.integer({ min: 60_000, max: 400 * DAY }), (period) => {
        expect(defaultTiers(period)).toEqual(defaultAlertTiers(period));
      }),
    );
    expect(defaultTiers(PERIOD).map((t) => t.burnRateThreshold)).toEqual([14.4, 6, 3, 1]);
  });

  it("scaled tiers keep budget fractions, threshold = B*P/W of the whole-step window", () => {
    // Windows are rounded to whole 5-minute steps (spec/alert-tiers.ts), so the threshold
    // follows the rounded window; periods whose scaled windows are whole steps keep the
    // Workbook's 14.4 / 6 / 3 / 1 exactly.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (days) => {
        const period = days * DAY;
        for (const [i, t] of defaultTiers(period).entries()) {
          const ref = defaultTiers(PERIOD)[i];
          expect(t.budgetFraction).toBe(ref?.budgetFraction);
          expect(t.burnRateThreshold).toBeCloseTo((t.budgetFraction * period) / t.longWindowMs, 6);
          expect(t.longWindowMs % 300_000).toBe(0);
          expect(t.shortWindowMs % 300_000).toBe(0);
          const scaled = ((ref?.longWindowMs as number) * days) / 30;
          if (scaled / 12 >= 300_000) {
            expect(Math.abs(t.longWindowMs - scaled)).toBeLessThanOrEqual(150_000);
            expect(Math.abs(t.shortWindowMs - scaled / 12)).toBeLessThanOrEqual(150_000);
          }
        }
      }),
    );
    for (const days of [30, 60, 90, 360]) {
      expect(defaultTiers(days * DAY).map((t) => t.burnRateThreshold)).toEqual([14.4, 6, 3, 1]);
    }
    expect(() => defaultTiers(0)).toThrow(SloEvaluationError);
  });
});

describe("burn rate x window identities", () => {
  it("at a constant error ratio, burnRate * W / P = fraction of the period's budget spent in W", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }), // requests per step
        fc.integer({ min: 0, max: 1000 }), // errors per 1000 requests
        fc.constantFrom(0.9, 0.99, 0.995, 0.999, 0.9999),
        fc.integer({ min: 1, max: 7 * 24 * 12 }), // window, in 5-minute steps
        (perStep, perMille, target, windowSteps) => {
          const step = 5 * MINUTE;
          const periodSteps = PERIOD / step;
          const end = periodSteps * step;
          const c = makeCounts(
            0,
            step,
            periodSteps,
            () => perStep * 1000,
            () => perStep * perMille,
          );
          const p = buildPrefix(c);
          const windowMs = windowSteps * step;
          const rate = windowBurnRate(p, target, end - windowMs, end) as number;
          const inWindow = windowSum(p, end - windowMs, end);
          const whole = windowSum(p, 0, end);
          const spentFraction = (inWindow.total - inWindow.good) / ((1 - target) * whole.total);
          expect(budgetConsumed(rate, windowMs, PERIOD)).toBeCloseTo(spentFraction, 9);
          expect(rate).toBeCloseTo(perMille / 1000 / (1 - target), 9);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("threshold and consumption are inverses", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 24 * 30 }),
        (b, days, hours) => {
          const period = days * DAY;
          const w = hours * HOUR;
          expect(budgetConsumed(burnRateThreshold(b, period, w), w, period)).toBeCloseTo(b, 12);
        },
      ),
    );
  });
});

describe("timeToExhaustion", () => {
  it("is 0 once the budget is spent, null when unknown or not burning", () => {
    expect(timeToExhaustion(0, 5, PERIOD)).toBe(0);
    expect(timeToExhaustion(-0.2, null, PERIOD)).toBe(0);
    expect(timeToExhaustion(0.5, 0, PERIOD)).toBeNull();
    expect(timeToExhaustion(0.5, null, PERIOD)).toBeNull();
    expect(timeToExhaustion(null, 3, PERIOD)).toBeNull();
    expect(timeToExhaustion(0.5, 2, PERIOD)).toBe(PERIOD / 4);
  });

  it("shrinks as the burn rate grows and as the remaining budget shrinks", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (r1, r2, b1, b2) => {
          const [rLow, rHigh] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const [bLow, bHigh] = b1 <= b2 ? [b1, b2] : [b2, b1];
          const t = (r: number, b: number) => timeToExhaustion(r, b, PERIOD) as number;
          expect(t(rLow, bLow)).toBeLessThanOrEqual(t(rHigh, bLow));
          expect(t(rLow, bHigh)).toBeLessThanOrEqual(t(rLow, bLow));
        },
      ),
    );
  });
});
