import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  countAtOrBelow,
  countInRange,
  extremes,
  LATENCY_BUCKETS,
  LATENCY_EDGES,
  mean,
  percentile,
  trimmedMean,
} from "./histogram.ts";
import { createRng, normal, normalCdf } from "./random.ts";

/** Histogram of `n` exact log-normal draws, plus the sorted draws for ground truth. */
function sampled(n: number, median: number, sigma: number, seed: number) {
  const rng = createRng(seed);
  const hist = new Float64Array(LATENCY_BUCKETS);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = median * Math.exp(sigma * normal(rng));
    xs.push(x);
    hist[bucketOf(x)] = (hist[bucketOf(x)] as number) + 1;
  }
  xs.sort((a, b) => a - b);
  return { hist, xs };
}

describe("latency histogram", () => {
  it("has 40 log-spaced buckets from 1 ms to 30 s", () => {
    expect(LATENCY_EDGES[0]).toBeCloseTo(0.001, 12);
    expect(LATENCY_EDGES[LATENCY_BUCKETS]).toBeCloseTo(30, 9);
    const ratio = (LATENCY_EDGES[1] as number) / (LATENCY_EDGES[0] as number);
    for (let k = 1; k < LATENCY_BUCKETS; k++) {
      expect((LATENCY_EDGES[k + 1] as number) / (LATENCY_EDGES[k] as number)).toBeCloseTo(ratio, 9);
    }
  });

  it("reads TC within 2 % of samples and percentiles within half a bucket", () => {
    const halfBucket = Math.log((LATENCY_EDGES[1] as number) / (LATENCY_EDGES[0] as number)) / 2;
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.3, noNaN: true }),
        // The fleet uses sigma 0.4-0.5; narrower spreads approach the bucket width (0.26).
        fc.double({ min: 0.35, max: 0.8, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (median, sigma, seed) => {
          const n = 20_000;
          const { hist, xs } = sampled(n, median, sigma, seed);
          for (const x of [0.1, 0.25, 0.5]) {
            const truth = xs.filter((v) => v <= x).length;
            if (Math.abs(countAtOrBelow(hist, x) - truth) > 0.02 * n) return false;
          }
          for (const p of [50, 95, 99]) {
            const truth = xs[Math.ceil((p / 100) * n) - 1] as number;
            if (Math.abs(Math.log(percentile(hist, p) / truth)) > halfBucket) return false;
          }
          return Math.abs(mean(hist) / (xs.reduce((s, v) => s + v, 0) / n) - 1) < 0.03;
        },
      ),
      { numRuns: 25 },
    );
  });

  it("matches the analytic log-normal tail (half the mass above the median)", () => {
    const { hist } = sampled(100_000, 0.25, 0.45, 7);
    expect(countInRange(hist, 0.25, undefined) / 100_000).toBeCloseTo(0.5, 2);
    const tail = 1 - normalCdf(Math.log(2) / 0.45);
    expect(countInRange(hist, 0.5, undefined) / 100_000).toBeCloseTo(tail, 2);
  });

  it("keeps counts consistent: TC ranges add up, TC is monotone, empty is NaN", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1000 }), { minLength: LATENCY_BUCKETS, maxLength: LATENCY_BUCKETS }),
        fc.double({ min: 0.0005, max: 40, noNaN: true }),
        fc.double({ min: 0.0005, max: 40, noNaN: true }),
        (counts, a, b) => {
          const hist = Float64Array.from(counts);
          const total = counts.reduce((s, c) => s + c, 0);
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const parts =
            countInRange(hist, undefined, lo) +
            countInRange(hist, lo, hi) +
            countInRange(hist, hi, undefined);
          return (
            Math.abs(parts - total) < 1e-6 * Math.max(1, total) &&
            countAtOrBelow(hist, lo) <= countAtOrBelow(hist, hi) + 1e-9
          );
        },
      ),
    );
    const empty = new Float64Array(LATENCY_BUCKETS);
    expect(percentile(empty, 95)).toBeNaN();
    expect(mean(empty)).toBeNaN();
    expect(trimmedMean(empty, 10, 90)).toBeNaN();
  });

  it("answers extremes and trimmed means from bucket edges", () => {
    const hist = new Float64Array(LATENCY_BUCKETS);
    hist[10] = 5;
    hist[20] = 5;
    expect(extremes(hist)).toEqual({ min: LATENCY_EDGES[10], max: LATENCY_EDGES[21] });
    const mid = (k: number) =>
      Math.sqrt((LATENCY_EDGES[k] as number) * (LATENCY_EDGES[k + 1] as number));
    expect(trimmedMean(hist, 0, 50)).toBeCloseTo(mid(10), 9);
    expect(trimmedMean(hist, 0, 100)).toBeCloseTo((mid(10) + mid(20)) / 2, 9);
  });
});
