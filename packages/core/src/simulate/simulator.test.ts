import { describe, expect, it } from "vitest";
import { findRamps } from "./ramps.ts";
import { perMinuteLoad, SimulationError, simulateScaling } from "./simulator.ts";

describe("simulateScaling", () => {
  it("bills a flat load at load / capacity x hours", () => {
    // 6000 requests per 5 minutes = 1200 rpm; 100 rpm per task at 100 %, target 0.6 -> 20 tasks.
    const trace = { startMs: 0, stepMs: 300_000, values: new Float64Array(12 * 10).fill(6000) };
    const r = simulateScaling(trace, { requestsPerTaskPerMinute: 100, targetUtilisation: 0.6 });
    const [st, tt] = r.policies;
    expect(st?.taskHours).toBeCloseTo(20 * 10, 9);
    expect(tt?.taskHours).toBeCloseTo(20 * 10, 9);
    expect(tt?.overCapacityMinutes).toBe(0);
    expect(r.ramps).toBe(0);
  });

  it("predictive capacity arrives before a daily ramp that target tracking chases", () => {
    const day = 288;
    const values = Float64Array.from({ length: 4 * day }, (_, i) => {
      const m = i % day;
      return m >= 96 && m < 192 ? 30_000 : 3_000;
    });
    const r = simulateScaling(
      { startMs: 0, stepMs: 300_000, values },
      { requestsPerTaskPerMinute: 1000, targetUtilisation: 0.7 },
    );
    const [st, tt, pr] = r.policies;
    expect(r.ramps).toBeGreaterThanOrEqual(3);
    expect(tt?.meanTimeToCapacityMin).toBeGreaterThan(3);
    expect(pr?.meanTimeToCapacityMin).toBeLessThan(tt?.meanTimeToCapacityMin ?? 0);
    expect(r.fasterScalingPct).toBeGreaterThan(0);
    expect(pr?.taskHours).toBeLessThan(st?.taskHours ?? 0);
    expect(r.costSavingPct).toBeGreaterThan(0);
  });

  it("spreads each step over its minutes and rejects sub-minute steps", () => {
    expect(
      Array.from(
        perMinuteLoad({ startMs: 0, stepMs: 120_000, values: Float64Array.of(10, Number.NaN) }),
      ),
    ).toEqual([5, 5, 5, 5]);
    expect(() =>
      perMinuteLoad({ startMs: 0, stepMs: 30_000, values: Float64Array.of(1) }),
    ).toThrowError(SimulationError);
    expect(() =>
      simulateScaling(
        { startMs: 0, stepMs: 60_000, values: Float64Array.of(1) },
        { requestsPerTaskPerMinute: 0 },
      ),
    ).toThrowError(/requestsPerTaskPerMinute/);
  });
});

describe("findRamps", () => {
  it("finds trough-to-peak legs that rise by the threshold", () => {
    expect(findRamps(Float64Array.from([1, 1, 5, 9, 9, 2, 2, 8]), 3)).toEqual([
      { start: 1, end: 3 },
      { start: 6, end: 7 },
    ]);
    expect(findRamps(Float64Array.from([1, 2, 1, 2]), 3)).toEqual([]);
  });
});
