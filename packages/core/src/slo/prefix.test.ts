import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CountSeries } from "../metrics/source.ts";
import type { ExclusionWindow } from "../spec/model.ts";
import { SloEvaluationError } from "./errors.ts";
import { buildPrefix, buildSlicePrefix, PrefixScratch, stepIndex, windowSum } from "./prefix.ts";
import { countsOf } from "./test-fixtures.ts";

const STEP = 60_000;
const START = 1_700_000_000_000;

/** Straight re-computation of one window, step by step, from the definition. */
function bruteWindow(
  c: CountSeries,
  exclusions: readonly ExclusionWindow[],
  a: number,
  b: number,
): { good: number; total: number; dataSteps: number } {
  let good = 0;
  let total = 0;
  let dataSteps = 0;
  for (let i = 0; i < c.total.length; i++) {
    const s = c.startMs + i * c.stepMs;
    if (s < a || s >= b) continue;
    const excluded = exclusions.some(
      (ex) => ex.endMs > ex.startMs && s < ex.endMs && s + c.stepMs > ex.startMs,
    );
    const t = c.total[i] as number;
    const g = c.good[i] as number;
    if (excluded || Number.isNaN(t) || t < 0 || Number.isNaN(g)) continue;
    total += t;
    good += Math.min(Math.max(g, 0), t);
    dataSteps++;
  }
  return { good, total, dataSteps };
}

const stepValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5000 }) },
);

const seriesArb = fc
  .array(fc.tuple(stepValue, fc.integer({ min: 0, max: 100 })), { minLength: 0, maxLength: 300 })
  .map((rows) =>
    countsOf(
      START,
      STEP,
      rows.map(([t, errPct]) =>
        Number.isNaN(t) ? Number.NaN : t - Math.floor((t * errPct) / 100),
      ),
      rows.map(([t]) => t),
    ),
  );

/** Instants around the series, including off-grid ones and ones outside it. */
const instantArb = fc.integer({ min: -20 * STEP, max: 320 * STEP }).map((d) => START + d);

const exclusionsArb = fc.array(
  fc.tuple(instantArb, fc.integer({ min: -STEP, max: 40 * STEP })).map(([s, len]) => ({
    startMs: s,
    endMs: s + len,
  })),
  { maxLength: 4 },
);

describe("buildPrefix + windowSum", () => {
  it("skips NaN steps, counts steps with data and clamps good into [0, total]", () => {
    const p = buildPrefix(
      countsOf(START, STEP, [9, Number.NaN, 12, -3, 5], [10, Number.NaN, 10, 4, Number.NaN]),
    );
    expect(windowSum(p, START, START + 5 * STEP)).toEqual({ good: 19, total: 24, dataSteps: 3 });
    expect(windowSum(p, START + STEP, START + 2 * STEP)).toEqual({
      good: 0,
      total: 0,
      dataSteps: 0,
    });
  });

  it("treats a step overlapping an exclusion window as no data", () => {
    const c = countsOf(START, STEP, [10, 0, 10], [10, 10, 10]);
    const p = buildPrefix(c, [
      { startMs: START + STEP + 1, endMs: START + STEP + 2, reason: "upgrade" },
    ]);
    expect(windowSum(p, START, START + 3 * STEP)).toEqual({ good: 20, total: 20, dataSteps: 2 });
  });

  it("assigns a step to the window containing its start", () => {
    const p = buildPrefix(countsOf(START, STEP, [1, 2, 3], [1, 2, 3]));
    expect(stepIndex(p, START + 1)).toBe(1);
    expect(windowSum(p, START + 1, START + 2 * STEP).total).toBe(2);
    expect(windowSum(p, START - 10 * STEP, START + 10 * STEP).total).toBe(6);
    expect(windowSum(p, START + 2 * STEP, START + STEP).total).toBe(0);
  });

  it("rejects mismatched arrays and bad grids", () => {
    expect(() => buildPrefix(countsOf(START, STEP, [1], [1, 2]))).toThrow(SloEvaluationError);
    expect(() => buildPrefix(countsOf(START, 0, [1], [1]))).toThrow(/positive step/);
    expect(() => buildPrefix(countsOf(START, STEP, [1], [1]), [], undefined, 0.5)).toThrow(
      /stride/,
    );
  });

  it("equals a brute-force recomputation for random series, gaps, exclusions and windows", () => {
    fc.assert(
      fc.property(
        seriesArb,
        exclusionsArb,
        fc.array(fc.tuple(instantArb, instantArb), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        (c, exclusions, windows, stride) => {
          const p = buildPrefix(c, exclusions, undefined, stride);
          const dense = buildPrefix(c, exclusions, new PrefixScratch(), 1);
          for (const [a, b] of windows) {
            const expected = bruteWindow(c, exclusions, a, b);
            expect(windowSum(p, a, b)).toEqual(expected);
            expect(windowSum(dense, a, b)).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reuses a scratch without leaking one prefix into the next", () => {
    const scratch = new PrefixScratch();
    const a = countsOf(START, STEP, [5, 5, 5], [10, 10, 10]);
    const b = countsOf(START, STEP, [1], [2]);
    expect(windowSum(buildPrefix(a, [], scratch, 1), START, START + 3 * STEP).good).toBe(15);
    expect(windowSum(buildPrefix(b, [], scratch, 1), START, START + 3 * STEP)).toEqual({
      good: 1,
      total: 2,
      dataSteps: 1,
    });
  });
});

describe("buildSlicePrefix", () => {
  const sliceArb = fc.record({
    series: seriesArb,
    sliceSteps: fc.integer({ min: 1, max: 15 }),
    originOffset: fc.integer({ min: -30, max: 30 }),
    endOffset: fc.integer({ min: 0, max: 320 }),
    sliceTarget: fc.double({ min: 0.5, max: 1, noNaN: true }),
    mode: fc.constantFrom("Timeslices" as const, "RatioTimeslices" as const),
    // Both paths: slices read from checkpoints (stride = slice) and from raw steps.
    checkpointPerSlice: fc.boolean(),
    exclusions: exclusionsArb,
  });

  it("scores every slice like a brute-force walk over the slices", () => {
    fc.assert(
      fc.property(sliceArb, (args) => {
        const { series, sliceSteps, originOffset, endOffset, sliceTarget, mode, exclusions } = args;
        const sliceMs = sliceSteps * STEP;
        const originMs = START + originOffset * STEP;
        const endMs = START + endOffset * STEP;
        const stride = args.checkpointPerSlice ? sliceSteps : 8;
        const events = buildPrefix(series, exclusions, undefined, stride);
        const slices = buildSlicePrefix(events, { originMs, sliceMs, endMs, mode, sliceTarget });
        // Brute force: walk the slices aligned to the origin, cut at endMs.
        let good = 0;
        let total = 0;
        const seriesEnd = START + series.total.length * STEP;
        const first = originMs - Math.ceil((originMs - START) / sliceMs) * sliceMs;
        for (let a = first; a < Math.min(endMs, seriesEnd); a += sliceMs) {
          const w = bruteWindow(series, exclusions, a, Math.min(a + sliceMs, endMs));
          if (w.total > 0) {
            const r = w.good / w.total;
            good += mode === "RatioTimeslices" ? r : r >= sliceTarget ? 1 : 0;
            total++;
          }
        }
        const got = windowSum(slices, slices.startMs, slices.startMs + slices.steps * sliceMs);
        expect(got.total).toBe(total);
        expect(got.dataSteps).toBe(total);
        expect(got.good).toBeCloseTo(good, 9);
        expect(slices.startMs).toBeLessThanOrEqual(START);
        expect(Math.abs((slices.startMs - originMs) % sliceMs)).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it("rejects a non-positive slice length", () => {
    const events = buildPrefix(countsOf(START, STEP, [1], [1]));
    expect(() =>
      buildSlicePrefix(events, {
        originMs: START,
        sliceMs: 0,
        endMs: START + STEP,
        mode: "Timeslices",
        sliceTarget: 1,
      }),
    ).toThrow(/timeSliceWindow/);
  });
});
