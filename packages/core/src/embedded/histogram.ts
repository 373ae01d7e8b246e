/**
 * Latency histograms with fixed log-spaced buckets, the way the embedded store keeps
 * `TargetResponseTime`: counts merge by addition, so any coarser step is exact, and
 * percentiles / `TC(a:b)` are read back by interpolating log-linearly inside a bucket
 * (the right shape for log-normal-ish latency).
 */

/** Number of buckets. */
export const LATENCY_BUCKETS = 40;
/** Lower edge of the first bucket, seconds (faster samples are counted in it). */
export const LATENCY_MIN_S = 0.001;
/** Upper edge of the last bucket, seconds (slower samples are counted in it). */
export const LATENCY_MAX_S = 30;

const LOG_MIN = Math.log(LATENCY_MIN_S);
const LOG_STEP = (Math.log(LATENCY_MAX_S) - LOG_MIN) / LATENCY_BUCKETS;

/** Bucket edges in seconds: bucket k covers `[EDGES[k], EDGES[k+1])`. */
export const LATENCY_EDGES: Float64Array = Float64Array.from(
  { length: LATENCY_BUCKETS + 1 },
  (_, k) => Math.exp(LOG_MIN + k * LOG_STEP),
);

/** Natural log of each edge, for generators that work in log space. */
export const LATENCY_LOG_EDGES: Float64Array = Float64Array.from(
  { length: LATENCY_BUCKETS + 1 },
  (_, k) => LOG_MIN + k * LOG_STEP,
);

/** Index of the bucket holding `seconds` (clamped to the first / last). */
export function bucketOf(seconds: number): number {
  if (!(seconds > LATENCY_MIN_S)) return 0;
  const k = Math.floor((Math.log(seconds) - LOG_MIN) / LOG_STEP);
  return Math.min(LATENCY_BUCKETS - 1, Math.max(0, k));
}

function total(hist: ArrayLike<number>): number {
  let t = 0;
  for (let k = 0; k < LATENCY_BUCKETS; k++) t += hist[k] as number;
  return t;
}

/**
 * Samples `<= seconds`, interpolating inside the bucket that contains `seconds`.
 *
 * @example
 * countAtOrBelow(hist, 0.25); // what CloudWatch's TC(:0.25) reports
 */
export function countAtOrBelow(hist: ArrayLike<number>, seconds: number): number {
  if (seconds === Number.POSITIVE_INFINITY) return total(hist);
  if (!(seconds > LATENCY_MIN_S)) return 0;
  const pos = (Math.log(seconds) - LOG_MIN) / LOG_STEP;
  if (pos >= LATENCY_BUCKETS) return total(hist);
  const k = Math.floor(pos);
  let below = 0;
  for (let j = 0; j < k; j++) below += hist[j] as number;
  return below + (hist[k] as number) * (pos - k);
}

/**
 * Samples in `[lo, hi]` (either bound may be absent), CloudWatch's `TC(lo:hi)`.
 *
 * @example
 * countInRange(hist, undefined, 0.25);
 */
export function countInRange(
  hist: ArrayLike<number>,
  lo: number | undefined,
  hi: number | undefined,
): number {
  const upper = countAtOrBelow(hist, hi ?? Number.POSITIVE_INFINITY);
  const lower = lo === undefined ? 0 : countAtOrBelow(hist, lo);
  return Math.max(0, upper - lower);
}

/**
 * The `p`-th percentile (0 < p < 100) in seconds; `NaN` for an empty histogram.
 *
 * @example
 * percentile(hist, 95);
 */
export function percentile(hist: ArrayLike<number>, p: number): number {
  const n = total(hist);
  if (!(n > 0)) return Number.NaN;
  const rank = (p / 100) * n;
  let cum = 0;
  for (let k = 0; k < LATENCY_BUCKETS; k++) {
    const c = hist[k] as number;
    if (c > 0 && cum + c >= rank) {
      const frac = Math.min(1, Math.max(0, (rank - cum) / c));
      return Math.exp(LOG_MIN + (k + frac) * LOG_STEP);
    }
    cum += c;
  }
  return LATENCY_MAX_S;
}

/** Mean in seconds, each bucket represented by its geometric midpoint; `NaN` when empty. */
export function mean(hist: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  for (let k = 0; k < LATENCY_BUCKETS; k++) {
    const c = hist[k] as number;
    n += c;
    s += c * Math.exp(LOG_MIN + (k + 0.5) * LOG_STEP);
  }
  return n > 0 ? s / n : Number.NaN;
}

/** Smallest / largest possible sample: the outer edges of the non-empty buckets. */
export function extremes(hist: ArrayLike<number>): { min: number; max: number } {
  let first = -1;
  let last = -1;
  for (let k = 0; k < LATENCY_BUCKETS; k++) {
    if ((hist[k] as number) > 0) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (first < 0) return { min: Number.NaN, max: Number.NaN };
  return { min: LATENCY_EDGES[first] as number, max: LATENCY_EDGES[last + 1] as number };
}

/**
 * Trimmed mean between two percentiles (`TM(lo%:hi%)`), bucket midpoints weighted by
 * the part of each bucket inside the percentile range.
 */
export function trimmedMean(hist: ArrayLike<number>, loPct: number, hiPct: number): number {
  const n = total(hist);
  if (!(n > 0) || !(hiPct > loPct)) return Number.NaN;
  const from = (loPct / 100) * n;
  const to = (hiPct / 100) * n;
  let cum = 0;
  let w = 0;
  let s = 0;
  for (let k = 0; k < LATENCY_BUCKETS; k++) {
    const c = hist[k] as number;
    const part = Math.max(0, Math.min(cum + c, to) - Math.max(cum, from));
    if (part > 0) {
      w += part;
      s += part * Math.exp(LOG_MIN + (k + 0.5) * LOG_STEP);
    }
    cum += c;
  }
  return w > 0 ? s / w : Number.NaN;
}
