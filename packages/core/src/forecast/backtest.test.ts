import { describe, expect, it } from "vitest";
import { BacktestError, backtest } from "./backtest.ts";

const DAY = 288;
const noisy = (i: number): number =>
  100 + 40 * Math.sin((2 * Math.PI * i) / DAY) + ((i * 7919) % 13) - 6;
const s = {
  startMs: 0,
  stepMs: 300_000,
  values: Float64Array.from({ length: 9 * DAY }, (_, i) => noisy(i)),
};

describe("backtest", () => {
  it("scores the 1-day seasonal naive at exactly mase 1", () => {
    const r = backtest(s, { horizonMs: 3_600_000, models: ["seasonal-naive-day"] });
    expect(r.mase).toBeCloseTo(1, 12);
    expect(r.origins).toBe(8);
    expect(r.points).toBe(8 * 12);
  });

  it("beats the seasonal naive on a noisy seasonal series and reports coverage", () => {
    const r = backtest(s, { horizonMs: 3_600_000 });
    expect(r.mase).toBeLessThan(0.9);
    expect(r.coverage80).toBeGreaterThan(0.5);
    expect(r.coverage95).toBeGreaterThanOrEqual(r.coverage80);
    expect(r.smape).toBeGreaterThan(0);
  });

  it("says what is missing when the series is too short", () => {
    expect(() =>
      backtest({ ...s, values: s.values.subarray(0, 3 * DAY) }, { horizonMs: 3_600_000 }),
    ).toThrowError(BacktestError);
  });
});
