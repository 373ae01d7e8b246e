/** Median of the finite values in `xs` (NaN when there are none). Sorts a copy. */
export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile `q` in [0, 1] of the finite values in `xs`. */
export function quantile(xs: ArrayLike<number>, q: number): number {
  return quantiles(xs, [q])[0] as number;
}

/** Several quantiles with one sort (a typed-array sort: numeric and fast). */
export function quantiles(xs: ArrayLike<number>, qs: readonly number[]): number[] {
  const a = new Float64Array(xs.length);
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] as number;
    if (Number.isFinite(v)) a[n++] = v;
  }
  if (n === 0) return qs.map(() => Number.NaN);
  const sorted = a.subarray(0, n).sort();
  return qs.map((q) => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
  });
}

/** Mean of the finite values (NaN when there are none). */
export function finiteMean(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const v = xs[i] as number;
    if (Number.isFinite(v)) {
      s += v;
      c++;
    }
  }
  return c === 0 ? Number.NaN : s / c;
}

/** Autocorrelation at `lag`, using only pairs where both values are present. */
export function autocorrelation(y: Float64Array, lag: number, from = 0): number {
  const mean = finiteMean(y, from);
  let num = 0;
  let den = 0;
  for (let i = from; i < y.length; i++) {
    const v = y[i] as number;
    if (Number.isFinite(v)) den += (v - mean) ** 2;
  }
  for (let i = from + lag; i < y.length; i++) {
    const a = y[i] as number;
    const b = y[i - lag] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) num += (a - mean) * (b - mean);
  }
  return den === 0 ? 0 : num / den;
}
