/** A rise of the load from a trough to the next peak, as minute indices. */
export interface Ramp {
  readonly start: number;
  readonly end: number;
}

/** Centred moving average over `width` points, ignoring NaN. */
export function smooth(x: Float64Array, width: number): Float64Array {
  const half = Math.floor(width / 2);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let s = 0;
    let c = 0;
    for (let k = Math.max(0, i - half); k <= Math.min(x.length - 1, i + half); k++) {
      const v = x[k] as number;
      if (Number.isFinite(v)) {
        s += v;
        c++;
      }
    }
    out[i] = c ? s / c : Number.NaN;
  }
  return out;
}

/**
 * Trough-to-peak legs of a zigzag over the smoothed load: a leg counts when it rises by
 * at least `minRise` (absolute). Smoothing first keeps per-minute noise from making
 * thousands of tiny "ramps".
 *
 * @example
 * findRamps(Float64Array.from([1, 1, 5, 9, 9, 2, 2, 8]), 3); // [{start:1,end:3},{start:6,end:7}]
 */
export function findRamps(s: Float64Array, minRise: number): Ramp[] {
  const ramps: Ramp[] = [];
  let trough = 0;
  let peak = 0;
  let rising = false;
  for (let i = 1; i < s.length; i++) {
    const v = s[i] as number;
    if (!Number.isFinite(v)) continue;
    if (!rising) {
      if (v <= (s[trough] as number)) trough = i;
      else if (v - (s[trough] as number) >= minRise) {
        rising = true;
        peak = i;
      }
    } else if (v > (s[peak] as number)) {
      peak = i;
    } else if ((s[peak] as number) - v >= minRise) {
      ramps.push({ start: trough, end: peak });
      rising = false;
      trough = i;
    }
  }
  if (rising) ramps.push({ start: trough, end: peak });
  return ramps;
}
