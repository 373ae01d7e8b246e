import type { FitContext, ModelBuilder, PreparedModel } from "./model.ts";
import { clipError, newClip, typicalStep } from "./robust.ts";

function lastPresent(y: Float64Array, before: number): number {
  for (let i = before - 1; i >= 0; i--) {
    const v = y[i] as number;
    if (Number.isFinite(v)) return v;
  }
  return Number.NaN;
}

/** Last value: the forecast is the last observed value, flat. */
export const lastValue: ModelBuilder = (y) => {
  const model: PreparedModel = {
    name: "last-value",
    paths(origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      origins.forEach((o, i) => {
        out.fill(lastPresent(y, o), i * horizon, (i + 1) * horizon);
      });
      return out;
    },
    refit: () => model,
  };
  return model;
};

/**
 * Seasonal naive: the value one season earlier (older seasons when that one is missing,
 * then the last value).
 */
export function seasonalNaive(period: number, name: string): ModelBuilder {
  return (y, fitEnd) => {
    if (fitEnd < period) return null;
    const model: PreparedModel = {
      name,
      paths(origins, horizon) {
        const out = new Float64Array(origins.length * horizon);
        origins.forEach((o, i) => {
          const fallback = lastPresent(y, o);
          for (let j = 0; j < horizon; j++) {
            let k = o + j - period;
            while (k >= o) k -= period;
            let v = Number.NaN;
            for (let tries = 0; tries < 3 && k >= 0 && !Number.isFinite(v); tries++, k -= period)
              v = y[k] as number;
            out[i * horizon + j] = Number.isFinite(v) ? v : fallback;
          }
        });
        return out;
      },
      refit: () => model,
    };
    return model;
  };
}

/** One pass of robust SES over y[from, to); returns the one-step squared-error loss. */
function sesLoss(y: Float64Array, from: number, to: number, alpha: number, scale: number): number {
  let level = Number.NaN;
  const clip = newClip(scale);
  let loss = 0;
  for (let i = from; i < to; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) continue;
    if (Number.isNaN(level)) {
      level = v;
      continue;
    }
    const e = clipError(v - level, clip);
    loss += e * e;
    level += alpha * e;
  }
  return loss;
}

/** Golden-section search for the minimum of a unimodal-ish f on [lo, hi]. */
export function goldenSection(
  f: (x: number) => number,
  lo: number,
  hi: number,
  iters: number,
): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iters; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Simple exponential smoothing with a robust (clipped) update; alpha minimises the
 * one-step squared clipped error on the fitting window.
 */
export const ses: ModelBuilder = (y, fitEnd, ctx: FitContext) => {
  const from = Math.max(0, fitEnd - 7 * ctx.daySteps);
  if (fitEnd - from < 10) return null;
  const scale = typicalStep(y, from, fitEnd);
  const alpha = goldenSection((a) => sesLoss(y, from, fitEnd, a, scale), 0.01, 1, 18);
  const model: PreparedModel = {
    name: "ses",
    paths(origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      let level = Number.NaN;
      const clip = newClip(scale);
      let i = from;
      origins.forEach((o, r) => {
        for (; i < o; i++) {
          const v = y[i] as number;
          if (!Number.isFinite(v)) continue;
          if (Number.isNaN(level)) level = v;
          else level += alpha * clipError(v - level, clip);
        }
        out.fill(level, r * horizon, (r + 1) * horizon);
      });
      return out;
    },
    refit: () => model,
  };
  return model;
};
