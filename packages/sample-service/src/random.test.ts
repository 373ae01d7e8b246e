import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logNormal, seededRandom } from "./random.ts";

describe("seeded randomness", () => {
  it("repeats a sequence for a seed and differs across seeds", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
  });

  it("property: values lie in [0, 1)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const r = seededRandom(seed);
        for (let i = 0; i < 100; i++) {
          const v = r();
          expect(v >= 0 && v < 1).toBe(true);
        }
      }),
    );
  });

  it("property: log-normal samples have the configured median (within sampling error)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        (seed, median, sigma) => {
          const r = seededRandom(seed);
          const n = 2001;
          const xs = Array.from({ length: n }, () => logNormal(r, median, sigma)).sort(
            (x, y) => x - y,
          );
          // The sample median's log has sd ~ 1.2533 * sigma / sqrt(n); allow 5 sd.
          const tolerance = (5 * 1.2533 * sigma) / Math.sqrt(n);
          expect(Math.abs(Math.log((xs[(n - 1) / 2] as number) / median))).toBeLessThan(tolerance);
          expect(xs.every((x) => x > 0)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("returns 0 latency for a zero median", () => {
    expect(logNormal(seededRandom(1), 0, 0.5)).toBe(0);
  });
});
