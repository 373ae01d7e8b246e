import type { FitContext, ModelBuilder, PreparedModel } from "./model.ts";
import { nelderMead, squash } from "./optimize.ts";
import { clipError, newClip, typicalStep } from "./robust.ts";
import { finiteMean, median } from "./stats.ts";

interface HwParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface HwState {
  level: number;
  trend: number;
  season: Float64Array;
}

/** Initial state from the first cycles: level = first cycle mean, seasonal = median deviation per slot. */
function initState(y: Float64Array, from: number, m: number, mult: boolean): HwState | null {
  const cycles = Math.min(3, Math.floor((y.length - from) / m));
  if (cycles < 1) return null;
  const level = finiteMean(y, from, from + m);
  if (!Number.isFinite(level) || (mult && level <= 0)) return null;
  const season = new Float64Array(m);
  const tmp = new Float64Array(cycles);
  for (let j = 0; j < m; j++) {
    for (let c = 0; c < cycles; c++) {
      const base = finiteMean(y, from + c * m, from + (c + 1) * m);
      const v = y[from + c * m + j] as number;
      tmp[c] = mult ? v / base : v - base;
    }
    const s = median(tmp);
    season[(from + j) % m] = Number.isFinite(s) ? s : mult ? 1 : 0;
  }
  return { level, trend: 0, season };
}

/**
 * Runs the damped Holt-Winters recursion (error-correction form, clipped errors) over
 * y[from, to). With `origins`, writes the forecast paths into `out`; returns the
 * one-step squared-error loss after the first cycle.
 */
function run(
  y: Float64Array,
  from: number,
  to: number,
  m: number,
  mult: boolean,
  p: HwParams,
  init: HwState,
  scale: number,
  origins?: readonly number[],
  horizon = 0,
  out?: Float64Array,
): number {
  let { level, trend } = init;
  const season = Float64Array.from(init.season);
  const clip = newClip(scale);
  const { alpha, beta, gamma, phi } = p;
  let loss = 0;
  let r = 0;
  const emit = (o: number): void => {
    let damp = 0;
    let pw = 1;
    for (let j = 0; j < horizon; j++) {
      pw *= phi;
      damp += pw;
      const s = season[(o + j) % m] as number;
      (out as Float64Array)[r * horizon + j] = mult
        ? (level + damp * trend) * s
        : level + damp * trend + s;
    }
    r++;
  };
  for (let i = from; i < to; i++) {
    while (origins && r < origins.length && origins[r] === i) emit(i);
    const k = i % m;
    const s = season[k] as number;
    const base = level + phi * trend;
    const v = y[i] as number;
    if (!Number.isFinite(v)) {
      level = base;
      trend *= phi;
      continue;
    }
    const yhat = mult ? base * s : base + s;
    const e = clipError(v - yhat, clip);
    if (i >= from + m) loss += e * e;
    if (mult) {
      level = base + (alpha * e) / s;
      trend = phi * trend + (beta * e) / s;
      season[k] = s + (gamma * e) / base;
      if (!(level > 0)) level = 1e-9;
      if (!((season[k] as number) > 0)) season[k] = 1e-3;
    } else {
      level = base + alpha * e;
      trend = phi * trend + beta * e;
      season[k] = s + gamma * e;
    }
  }
  while (origins && r < origins.length) emit(to);
  return loss;
}

function toParams(x: Float64Array): HwParams {
  const alpha = squash(x[0] as number, 0.001, 0.999);
  return {
    alpha,
    beta: alpha * squash(x[1] as number, 0, 0.3),
    gamma: squash(x[2] as number, 0, 0.6),
    phi: squash(x[3] as number, 0.8, 0.995),
  };
}

/**
 * Holt-Winters with a damped trend on the strongest detected season, additive or
 * multiplicative (the latter only for strictly positive data). The four smoothing
 * parameters minimise the one-step squared clipped error (Nelder-Mead).
 */
export function holtWinters(mult: boolean): ModelBuilder {
  return (y, fitEnd, ctx: FitContext) => {
    const m = ctx.seasons.find((s) => s === ctx.daySteps) ?? ctx.seasons[0];
    if (m === undefined || m < 2) return null;
    // Fit on the recent past only: older cycles cost time and describe an older regime.
    const from = Math.max(0, fitEnd - 5 * m);
    if (fitEnd - from < 2 * m) return null;
    if (mult) {
      for (let i = from; i < fitEnd; i++) if ((y[i] as number) <= 0) return null;
    }
    const init = initState(y.subarray(0, fitEnd), from, m, mult);
    if (!init) return null;
    const scale = typicalStep(y, from, fitEnd);
    const fit = nelderMead(
      (x) => run(y, from, fitEnd, m, mult, toParams(x), init, scale),
      [0, -1, -2, 1],
      {
        maxEvals: 50,
        step: 1,
      },
    );
    const params = toParams(fit.x);
    const model: PreparedModel = {
      name: mult ? "holt-winters-mul" : "holt-winters-add",
      paths(origins, horizon) {
        const out = new Float64Array(origins.length * horizon);
        const to = origins[origins.length - 1] ?? fitEnd;
        run(y, from, to, m, mult, params, init, scale, origins, horizon, out);
        return out;
      },
      refit: () => model,
    };
    return model;
  };
}
