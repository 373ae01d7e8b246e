import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlertTier } from "../spec/model.ts";
import { evaluateBurnRateAlerts, windowBurnRate } from "./alerts.ts";
import { defaultTiers } from "./burn-rate.ts";
import { buildPrefix } from "./prefix.ts";
import type { AlertTierReport } from "./report.ts";
import { DAY, HOUR, MINUTE, makeCounts } from "./test-fixtures.ts";

const STEP = MINUTE;
const STEPS = (4 * DAY) / STEP;
const NOW = STEPS * STEP;
const TIERS = defaultTiers(30 * DAY);

/** 1000 requests a minute with `errorsFor(minutesBeforeNow)` failing. */
function alertsFor(
  errorsFor: (minutesAgo: number) => number,
  opts: {
    minEvents?: number;
    tiers?: readonly AlertTier[];
    total?: (minutesAgo: number) => number;
  } = {},
): AlertTierReport[] {
  const total = opts.total ?? (() => 1000);
  const c = makeCounts(
    0,
    STEP,
    STEPS,
    (i) => total(STEPS - i),
    (i) => errorsFor(STEPS - i),
  );
  return evaluateBurnRateAlerts({
    units: buildPrefix(c),
    target: 0.999,
    tiers: opts.tiers ?? TIERS,
    nowMs: NOW,
    minEvents: opts.minEvents ?? 0,
  });
}

const states = (r: AlertTierReport[]) => r.map((a) => a.state);

describe("evaluateBurnRateAlerts", () => {
  it("is all ok on a healthy service", () => {
    expect(states(alertsFor(() => 0))).toEqual(["ok", "ok", "ok", "ok"]);
  });

  it("pages on a fast burn and suppresses the slower tiers whose condition also holds", () => {
    // 25 % errors for the last 40 minutes: 1h burn ~167, 6h ~28, 1d ~7, 3d ~2.3.
    const r = alertsFor((ago) => (ago <= 40 ? 250 : 0));
    expect(states(r)).toEqual(["firing", "suppressed", "suppressed", "suppressed"]);
    expect(r[0]?.longBurnRate).toBeCloseTo((250 * 40) / (1000 * 60) / 0.001, 6);
    expect(r[0]?.shortBurnRate).toBeCloseTo(250, 6);
    expect(r[0]?.threshold).toBeCloseTo(14.4, 9);
  });

  it("leaves a slower tier ok when its short window has recovered", () => {
    // 10 % errors from 6h to 40 min ago, then clean: 1h and 30m windows near zero.
    const r = alertsFor((ago) => (ago > 40 && ago <= 360 ? 100 : 0));
    expect(r[0]?.state).toBe("ok");
    expect(r[1]?.state).toBe("ok");
    expect(r[1]?.longBurnRate as number).toBeGreaterThan(6);
    expect(r[2]?.state).toBe("firing");
  });

  it("tickets on a slow burn without paging", () => {
    // 0.4 % errors for the last 3 days: burn 4 everywhere -> ticket 1d (3) fires, 3d (1) suppressed.
    const r = alertsFor((ago) => (ago <= 3 * 24 * 60 ? 4 : 0));
    expect(states(r)).toEqual(["ok", "ok", "firing", "suppressed"]);
  });

  it("reports no_data when a window has no steps with data, never ok", () => {
    const r = alertsFor(() => 0, { total: (ago) => (ago <= 10 ? Number.NaN : 1000) });
    expect(r[0]?.state).toBe("no_data");
    expect(r[0]?.shortBurnRate).toBeNull();
    expect(r[0]?.longBurnRate).not.toBeNull();
    expect(r[1]?.state).toBe("ok");
  });

  it("reports no_data when a window has data steps but zero events", () => {
    const r = alertsFor(() => 0, { total: (ago) => (ago <= 10 ? 0 : 1000) });
    expect(r[0]?.state).toBe("no_data");
  });

  it("applies the low-traffic guard before judging", () => {
    // 50 % errors but only 2 requests a minute: 120 in the last hour < minEvents 500.
    const r = alertsFor(() => 1, { total: () => 2, minEvents: 500 });
    expect(r[0]?.state).toBe("insufficient_data");
    expect(r[0]?.longBurnRate).toBeCloseTo(500, 6);
    expect(r[1]?.state).toBe("firing"); // 720 events in 6 h clear the guard
  });

  it("orders by long window, not by list order, and keeps the list order in the output", () => {
    const shuffled = [TIERS[3], TIERS[0], TIERS[2], TIERS[1]] as AlertTier[];
    const r = alertsFor((ago) => (ago <= 40 ? 250 : 0), { tiers: shuffled });
    expect(r.map((a) => a.tier)).toEqual(shuffled.map((t) => t.name));
    expect(states(r)).toEqual(["suppressed", "firing", "suppressed", "suppressed"]);
  });

  it("does not let a faster ticket suppress a page", () => {
    const tiers: AlertTier[] = [
      {
        name: "t",
        severity: "ticket",
        longWindowMs: 30 * MINUTE,
        shortWindowMs: 5 * MINUTE,
        budgetFraction: 0.01,
        burnRateThreshold: 14.4,
      },
      {
        name: "p",
        severity: "page",
        longWindowMs: HOUR,
        shortWindowMs: 5 * MINUTE,
        budgetFraction: 0.02,
        burnRateThreshold: 14.4,
      },
    ];
    expect(states(alertsFor(() => 500, { tiers }))).toEqual(["firing", "firing"]);
  });

  it("fires only the fastest holding tier of each severity rank, for any traffic", () => {
    const errorsArb = fc.array(
      fc.record({
        from: fc.integer({ min: 1, max: STEPS }),
        len: fc.integer({ min: 1, max: 4000 }),
        perMille: fc.integer({ min: 0, max: 1000 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(errorsArb, (incidents) => {
        const errorsFor = (ago: number) =>
          incidents.reduce(
            (e, x) => (ago >= x.from && ago < x.from + x.len ? Math.max(e, x.perMille) : e),
            0,
          );
        const r = alertsFor(errorsFor);
        const holds = r.map(
          (a) =>
            (a.longBurnRate as number) >= a.threshold && (a.shortBurnRate as number) >= a.threshold,
        );
        const firing = r.flatMap((a, i) => (a.state === "firing" ? [i] : []));
        // With the default tiers every page is faster than every ticket: at most one fires.
        expect(firing.length).toBeLessThanOrEqual(1);
        const firstHolding = holds.indexOf(true);
        expect(firing).toEqual(firstHolding === -1 ? [] : [firstHolding]);
        r.forEach((a, i) => {
          expect(a.state).toBe(holds[i] ? (i === firstHolding ? "firing" : "suppressed") : "ok");
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe("windowBurnRate", () => {
  it("is null without events and the error ratio over the budget otherwise", () => {
    const p = buildPrefix(
      makeCounts(
        0,
        STEP,
        60,
        (i) => (i < 30 ? Number.NaN : 100),
        () => 1,
      ),
    );
    expect(windowBurnRate(p, 0.99, 0, 30 * STEP)).toBeNull();
    expect(windowBurnRate(p, 0.99, 0, 60 * STEP)).toBeCloseTo(1, 9);
  });
});
