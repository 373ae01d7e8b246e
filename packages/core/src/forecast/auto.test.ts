import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ForecastError, forecastLoad } from "./auto.ts";

const STEP = 300_000;
const DAY = 288;

function series(n: number, f: (i: number) => number) {
  return { startMs: 0, stepMs: STEP, values: Float64Array.from({ length: n }, (_, i) => f(i)) };
}
const sine = (i: number): number => 100 + 40 * Math.sin((2 * Math.PI * i) / DAY);

describe("forecastLoad", () => {
  it("forecasts a pure daily sine almost exactly, at 1 h and 24 h", () => {
    const s = series(10 * DAY, sine);
    for (const horizonMs of [3_600_000, 86_400_000]) {
      const f = forecastLoad(s, { horizonMs });
      expect(f.mean.length).toBe(horizonMs / STEP);
      f.mean.forEach((m, j) => {
        expect(Math.abs(m - sine(10 * DAY + j))).toBeLessThan(1);
      });
      expect(f.startMs).toBe(10 * DAY * STEP);
    }
  });

  it("detects the daily season", () => {
    expect(forecastLoad(series(10 * DAY, sine), { horizonMs: 3_600_000 }).seasons).toContain(DAY);
  });

  it("recovers from a step change within a cycle", () => {
    // Level 100 -> 300 one day before the end: a day later the forecast must follow it.
    const n = 10 * DAY;
    const s = series(n, (i) => sine(i) + (i >= n - DAY ? 200 : 0));
    const f = forecastLoad(s, { horizonMs: 3_600_000 });
    f.mean.forEach((m, j) => {
      expect(Math.abs(m - (sine(n + j) + 200))).toBeLessThan(20);
    });
  });

  it("is not wrecked by a spike or by gaps", () => {
    const n = 10 * DAY;
    const s = series(n, (i) => (i === n - 3 ? 1e6 : i % 97 === 0 ? Number.NaN : sine(i)));
    const f = forecastLoad(s, { horizonMs: 3_600_000 });
    f.mean.forEach((m, j) => {
      expect(Number.isFinite(m)).toBe(true);
      expect(Math.abs(m - sine(n + j))).toBeLessThan(10);
    });
  });

  it("orders its intervals lower95 <= lower80 <= mean <= upper80 <= upper95 (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (seed, noise) => {
          let x = seed;
          const rand = (): number => {
            x = (x * 1103515245 + 12345) % 2147483648;
            return x / 2147483648 - 0.5;
          };
          const f = forecastLoad(
            series(5 * DAY, (i) => sine(i) + noise * rand()),
            { horizonMs: 7_200_000 },
          );
          for (let j = 0; j < f.mean.length; j++) {
            expect(f.lower95[j]).toBeLessThanOrEqual((f.lower80[j] as number) + 1e-9);
            expect(f.lower80[j]).toBeLessThanOrEqual((f.mean[j] as number) + 1e-9);
            expect(f.mean[j]).toBeLessThanOrEqual((f.upper80[j] as number) + 1e-9);
            expect(f.upper80[j]).toBeLessThanOrEqual((f.upper95[j] as number) + 1e-9);
            expect(f.lower95[j]).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("forecasts short histories with a fallback and rejects empty ones", () => {
    const short = forecastLoad(
      series(20, (i) => 10 + i),
      { horizonMs: 600_000 },
    );
    expect(short.mean.length).toBe(2);
    expect(short.mean[0]).toBeGreaterThan(20);
    expect(() =>
      forecastLoad(
        series(5, () => Number.NaN),
        { horizonMs: 600_000 },
      ),
    ).toThrowError(ForecastError);
    expect(() =>
      forecastLoad(
        series(50, () => 1),
        { horizonMs: 600_000, models: ["nope"] },
      ),
    ).toThrowError(/unknown model "nope"/);
  });
});
