import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recentMean } from "./predicted-load.ts";

describe("recentMean", () => {
  it("averages the finite values of the last window and ignores gaps", () => {
    const v = Float64Array.from([100, 1, Number.NaN, 3]);
    expect(recentMean(v, 300_000, 900_000)).toBe(2);
    expect(recentMean(Float64Array.from([5, Number.NaN]), 300_000, 300_000)).toBeUndefined();
  });

  it("stays within the range of the window's values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(Number.NaN)), {
          minLength: 1,
          maxLength: 50,
        }),
        fc.integer({ min: 1, max: 10 }),
        (xs, steps) => {
          const m = recentMean(Float64Array.from(xs), 60_000, steps * 60_000);
          const window = xs.slice(-steps).filter(Number.isFinite);
          if (window.length === 0) {
            expect(m).toBeUndefined();
          } else {
            expect(m).toBeGreaterThanOrEqual(Math.min(...window) - 1e-9);
            expect(m).toBeLessThanOrEqual(Math.max(...window) + 1e-9);
          }
        },
      ),
    );
  });
});
