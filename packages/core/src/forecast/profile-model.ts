import type { FitContext, ModelBuilder, PreparedModel } from "./model.ts";
import { clipError, newClip, typicalStep } from "./robust.ts";
import { median } from "./stats.ts";

/** Median of the first `n` entries of `a` by insertion sort in place: n is a handful of cycles. */
function smallMedian(a: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const v = a[i] as number;
    let k = i - 1;
    while (k >= 0 && (a[k] as number) > v) {
      a[k + 1] = a[k] as number;
      k--;
    }
    a[k + 1] = v;
  }
  const mid = n >> 1;
  return n % 2 ? (a[mid] as number) : ((a[mid - 1] as number) + (a[mid] as number)) / 2;
}

/**
 * Median seasonal profile over the last `cycles` seasons before `end`, smoothed
 * circularly. Medians ignore spikes and a single odd day; the smoothing averages away
 * per-step noise that a one-day seasonal naive carries straight into its forecast.
 */
export function medianProfile(
  y: Float64Array,
  end: number,
  period: number,
  cycles: number,
  width: number,
): Float64Array {
  const from = end - cycles * period;
  const raw = new Float64Array(period);
  const tmp = new Float64Array(cycles);
  for (let s = 0; s < period; s++) {
    let first = from + ((((s - from) % period) + period) % period);
    let c = 0;
    for (; first < end && c < cycles; first += period) {
      const v = y[first] as number;
      if (Number.isFinite(v)) tmp[c++] = v;
    }
    raw[s] = c === 0 ? Number.NaN : smallMedian(tmp, c);
  }
  const overall = median(raw);
  for (let s = 0; s < period; s++) if (!Number.isFinite(raw[s] as number)) raw[s] = overall;
  if (width <= 1) return raw;
  const half = Math.floor(width / 2);
  const out = new Float64Array(period);
  for (let s = 0; s < period; s++) {
    let sum = 0;
    for (let d = -half; d <= half; d++)
      sum += raw[(((s + d) % period) + period) % period] as number;
    out[s] = sum / (2 * half + 1);
  }
  return out;
}

const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
const PHIS = [0, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1];

/** Robust SES of the deseasonalised series; writes level before each index into `levels`. */
function levelsOf(
  y: Float64Array,
  prof: Float64Array,
  from: number,
  to: number,
  alpha: number,
  scale: number,
  levels: Float64Array,
): void {
  const period = prof.length;
  const clip = newClip(scale);
  let level = 0;
  for (let i = from; i < to; i++) {
    levels[i - from] = level;
    const v = y[i] as number;
    if (!Number.isFinite(v)) continue;
    level += alpha * clipError(v - (prof[i % period] as number) - level, clip);
  }
  levels[to - from] = level;
}

/**
 * Seasonal profile plus a damped deviation: forecast(o + j) = profile(o + j) +
 * level(o) * phi^(j+1), where level is a robust SES of (y - profile). phi = 1 follows the
 * current level (wins an hour ahead); phi = 0 is the pure median profile (a day ahead).
 * alpha and phi are chosen on a grid to minimise the error at the caller's horizon over
 * recent origins of the fitting window.
 */
export function profileModel(
  period: (ctx: FitContext) => number | undefined,
  maxCycles: number,
  name: string,
): ModelBuilder {
  return (y, fitEnd, ctx) => {
    const p = period(ctx);
    if (p === undefined) return null;
    const cycles = Math.min(maxCycles, Math.floor(fitEnd / p));
    const minCycles = p === 1 ? 1 : p >= ctx.weekSteps ? 2 : 3;
    if (cycles < minCycles) return null;
    const window = p === 1 ? Math.min(fitEnd, ctx.daySteps) : cycles * p;
    const width = p === 1 ? 1 : p >= 144 ? 5 : p >= 48 ? 3 : 1;
    const build = (end: number): Float64Array =>
      p === 1
        ? Float64Array.of(median(y.subarray(end - window, end)))
        : medianProfile(y, end, p, Math.min(maxCycles, Math.floor(end / p)), width);
    const prof = build(fitEnd);
    const from = fitEnd - window;
    const scale = typicalStep(y, from, fitEnd);
    const h = ctx.horizon;
    // Fit (alpha, phi) on origins in the last part of the window, H-step paths.
    const span = Math.min(Math.max(ctx.daySteps, 2 * h), window - h - 1);
    const first = fitEnd - h - span;
    // About 4000 (origin, step) pairs per grid point keeps the whole grid near a millisecond.
    const stride = Math.max(1, Math.floor(span / Math.max(8, Math.min(48, 4000 / h))));
    const levels = new Float64Array(fitEnd - from + 1);
    const decay = new Float64Array(h);
    let best = { alpha: 0.2, phi: 0.9, loss: Number.POSITIVE_INFINITY };
    if (span > 0) {
      // Deseasonalised targets once per origin (NaN stays NaN and is skipped), so the
      // grid's inner loop is a multiply-add and an abs.
      const starts: number[] = [];
      for (let o = first; o <= fitEnd - h; o += stride) starts.push(o);
      const resid = new Float64Array(starts.length * h);
      starts.forEach((o, r) => {
        for (let j = 0; j < h; j++)
          resid[r * h + j] = (y[o + j] as number) - (prof[(o + j) % p] as number);
      });
      for (const alpha of ALPHAS) {
        levelsOf(y, prof, from, fitEnd, alpha, scale, levels);
        for (const phi of PHIS) {
          let pw = 1;
          for (let j = 0; j < h; j++) decay[j] = pw *= phi;
          let loss = 0;
          for (let r = 0; r < starts.length; r++) {
            const l = levels[(starts[r] as number) - from] as number;
            const base = r * h;
            for (let j = 0; j < h; j++) {
              const e = Math.abs((resid[base + j] as number) - l * (decay[j] as number));
              if (!Number.isNaN(e)) loss += e;
            }
          }
          if (loss < best.loss) best = { alpha, phi, loss };
        }
      }
    }
    const make = (profile: Float64Array, start: number): PreparedModel => ({
      name,
      paths(origins, horizon) {
        const out = new Float64Array(origins.length * horizon);
        const to = origins[origins.length - 1] ?? start;
        const lv = new Float64Array(to - start + 1);
        levelsOf(y, profile, start, to, best.alpha, scale, lv);
        origins.forEach((o, r) => {
          const l = lv[o - start] as number;
          let pw = 1;
          for (let j = 0; j < horizon; j++) {
            pw *= best.phi;
            out[r * horizon + j] = (profile[(o + j) % p] as number) + l * pw;
          }
        });
        return out;
      },
      refit: (end) => make(build(end), Math.max(0, end - window)),
    });
    return make(prof, from);
  };
}
