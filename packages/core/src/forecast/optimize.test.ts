import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nelderMead, squash } from "./optimize.ts";

describe("nelderMead", () => {
  it("finds the minimum of any shifted quadratic bowl (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (a, b) => {
          const r = nelderMead(
            (x) => ((x[0] as number) - a) ** 2 + 3 * ((x[1] as number) - b) ** 2,
            [0, 0],
            { maxEvals: 400, tol: 1e-12 },
          );
          expect(r.x[0]).toBeCloseTo(a, 2);
          expect(r.x[1]).toBeCloseTo(b, 2);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("squash maps every real into the open interval", () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
        const v = squash(x, 0.8, 0.995);
        expect(v).toBeGreaterThanOrEqual(0.8);
        expect(v).toBeLessThanOrEqual(0.995);
      }),
    );
  });
});
