import { SloPlatformError } from "../errors.ts";
import { holtWinters } from "./holt-winters.ts";
import type { FitContext, ModelBuilder, PreparedModel } from "./model.ts";
import { profileModel } from "./profile-model.ts";
import { calendarSteps, detectSeasons } from "./seasons.ts";
import { lastValue, seasonalNaive, ses } from "./simple-models.ts";
import { quantiles } from "./stats.ts";
import type { LoadSeries } from "./trace-csv.ts";

/** Thrown when a forecast cannot be made from the history given. */
export class ForecastError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "ForecastError";
  }
}

/** Every candidate model by name. `auto` picks among them per series and horizon. */
export const MODELS: Readonly<Record<string, ModelBuilder>> = {
  "last-value": lastValue,
  ses,
  "seasonal-naive-day": (y, end, ctx) =>
    seasonalNaive(ctx.daySteps, "seasonal-naive-day")(y, end, ctx),
  "seasonal-naive-week": (y, end, ctx) =>
    seasonalNaive(ctx.weekSteps, "seasonal-naive-week")(y, end, ctx),
  "holt-winters-add": holtWinters(false),
  "holt-winters-mul": holtWinters(true),
  // Cheap enough to try even when the autocorrelation test missed a noisy daily cycle.
  "profile-day": profileModel((c) => c.daySteps, 14, "profile-day"),
  // The last three days only: recovers within days after a level shift or a changed pattern.
  "profile-day-recent": profileModel((c) => c.daySteps, 3, "profile-day-recent"),
  "profile-week": profileModel(
    (c) => (c.seasons.includes(c.weekSteps) ? c.weekSteps : undefined),
    4,
    "profile-week",
  ),
  "profile-flat": profileModel(() => 1, 1, "profile-flat"),
};

/** Options for {@link forecastLoad}. */
export interface ForecastOptions {
  /** How far ahead, in milliseconds (rounded up to whole steps). */
  readonly horizonMs: number;
  /** History used, newest first (default 14 days, what ECS predictive scaling uses too). */
  readonly maxHistoryMs?: number;
  /** Restrict the candidates (names of {@link MODELS}); default all of them. */
  readonly models?: readonly string[];
}

/** A forecast on the series' grid, starting one step after the history ends. */
export interface LoadForecast {
  readonly startMs: number;
  readonly stepMs: number;
  readonly mean: Float64Array;
  readonly lower80: Float64Array;
  readonly upper80: Float64Array;
  readonly lower95: Float64Array;
  readonly upper95: Float64Array;
  /** The chosen model, or `mean(a+b)` for a combination. */
  readonly model: string;
  /** Detected season lengths in steps. */
  readonly seasons: readonly number[];
  /** Each candidate's mean absolute error on the recent validation origins, best first. */
  readonly validation: readonly { readonly model: string; readonly mae: number }[];
}

interface Scored {
  name: string;
  members: PreparedModel[];
  paths: Float64Array;
  mae: number;
}

function meanPaths(list: readonly Float64Array[]): Float64Array {
  const out = new Float64Array((list[0] as Float64Array).length);
  for (const p of list)
    for (let i = 0; i < out.length; i++)
      out[i] = (out[i] as number) + (p[i] as number) / list.length;
  return out;
}

/**
 * Fits the candidate models to a load history and forecasts `horizonMs` ahead with 80 %
 * and 95 % prediction intervals. The model (or the mean of the best two or three) is
 * chosen per series and per horizon by a rolling backtest on the most recent data:
 * parameters are fitted before the validation window and judged on it, at exactly the
 * requested horizon, so a level-following model wins an hour ahead and a seasonal one a
 * day ahead. Intervals are the empirical quantiles of those validation errors.
 *
 * @throws ForecastError when the history has fewer than two present values.
 * @example
 * const f = forecastLoad({ startMs, stepMs: 300_000, values }, { horizonMs: 3_600_000 });
 * f.mean.length; // 12
 * f.model;       // e.g. "profile-day"
 */
export function forecastLoad(series: LoadSeries, options: ForecastOptions): LoadForecast {
  const { stepMs } = series;
  const H = Math.max(1, Math.ceil(options.horizonMs / stepMs));
  const maxHistory = Math.max(2, Math.round((options.maxHistoryMs ?? 14 * 86_400_000) / stepMs));
  const all = series.values;
  const y = all.length > maxHistory ? all.subarray(all.length - maxHistory) : all;
  const n = y.length;
  let present = 0;
  let nonNegative = true;
  for (const v of y) {
    if (Number.isFinite(v)) {
      present++;
      if (v < 0) nonNegative = false;
    }
  }
  if (present < 2)
    throw new ForecastError(
      `the history has ${present} present values: a forecast needs at least two`,
    );
  const { daySteps, weekSteps } = calendarSteps(stepMs);
  const seasons = detectSeasons(y, stepMs);
  const ctx: FitContext = { daySteps, weekSteps, seasons, nonNegative, horizon: H };
  const names = options.models ?? Object.keys(MODELS);
  for (const name of names)
    if (!MODELS[name])
      throw new ForecastError(
        `unknown model "${name}": use one of ${Object.keys(MODELS).join(", ")}`,
      );

  const minFit = seasons.length > 0 ? 3 * daySteps : Math.min(daySteps, Math.floor(n / 2));
  const V = Math.min(Math.max(daySteps, 2 * H), n - H - minFit);
  const startMs = series.startMs + all.length * stepMs;

  if (V < Math.max(4, Math.min(H, daySteps / 4)))
    return fallback(y, H, ctx, startMs, stepMs, names);

  const fitEnd = n - H - V;
  const stride = Math.max(1, Math.floor(V / 48));
  const origins: number[] = [];
  for (let o = fitEnd; o <= n - H; o += stride) origins.push(o);
  const scored: Scored[] = [];
  for (const name of names) {
    const model = (MODELS[name] as ModelBuilder)(y, fitEnd, ctx);
    if (!model) continue;
    const paths = clampPaths(model.paths(origins, H), y);
    scored.push({ name, members: [model], paths, mae: maeOf(y, origins, H, paths) });
  }
  if (scored.length === 0) return fallback(y, H, ctx, startMs, stepMs, names);
  scored.sort((a, b) => a.mae - b.mae);
  for (const k of [2, 3]) {
    if (scored.length < k || !scored.slice(0, k).every((s) => s.members.length === 1)) continue;
    const top = scored.slice(0, k);
    const paths = meanPaths(top.map((s) => s.paths));
    scored.push({
      name: `mean(${top
        .map((s) => s.name)
        .sort()
        .join("+")})`,
      members: top.flatMap((s) => s.members),
      paths,
      mae: maeOf(y, origins, H, paths),
    });
  }
  scored.sort((a, b) => a.mae - b.mae);
  const chosen = scored[0] as Scored;
  const mean = clampPaths(meanPaths(chosen.members.map((m) => m.refit(n).paths([n], H))), y);
  const bands = intervals(y, origins, H, chosen.paths, mean, nonNegative);
  if (nonNegative) for (let j = 0; j < H; j++) mean[j] = Math.max(0, mean[j] as number);
  return {
    startMs,
    stepMs,
    mean,
    ...bands,
    model: chosen.name,
    seasons,
    validation: scored.map((s) => ({ model: s.name, mae: s.mae })),
  };
}

/**
 * Keeps forecasts within the observed range widened by the range itself: a diverging
 * multiplicative fit must not ask for a hundred times the peak capacity.
 */
function clampPaths(paths: Float64Array, y: Float64Array): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of y) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < paths.length; i++) {
    const v = paths[i] as number;
    paths[i] = Number.isFinite(v) ? Math.min(hi + span, Math.max(lo - span, v)) : (hi + lo) / 2;
  }
  return paths;
}

/**
 * Validation MAE with origins weighted by recency (half-life a third of the window): a
 * model that was good before a level shift but is bad since must not keep winning.
 */
function maeOf(
  y: Float64Array,
  origins: readonly number[],
  H: number,
  paths: Float64Array,
): number {
  let s = 0;
  let c = 0;
  const last = origins[origins.length - 1] as number;
  const halfLife = Math.max(1, (last - (origins[0] as number)) / 3);
  origins.forEach((o, r) => {
    const w = 0.5 ** ((last - o) / halfLife);
    for (let j = 0; j < H; j++) {
      const v = y[o + j] as number;
      if (Number.isFinite(v)) {
        s += w * Math.abs(v - (paths[r * H + j] as number));
        c += w;
      }
    }
  });
  return c === 0 ? Number.POSITIVE_INFINITY : s / c;
}

type Bands = Pick<LoadForecast, "lower80" | "upper80" | "lower95" | "upper95">;

/** Empirical intervals: quantiles of |error| per block of horizon steps on the validation origins. */
function intervals(
  y: Float64Array,
  origins: readonly number[],
  H: number,
  paths: Float64Array,
  mean: Float64Array,
  nonNeg: boolean,
): Bands {
  const blocks = Math.min(H, 8);
  const errs: number[][] = Array.from({ length: blocks }, () => []);
  origins.forEach((o, r) => {
    for (let j = 0; j < H; j++) {
      const v = y[o + j] as number;
      if (Number.isFinite(v))
        (errs[Math.floor((j * blocks) / H)] as number[]).push(
          Math.abs(v - (paths[r * H + j] as number)),
        );
    }
  });
  const pooled = errs.flat();
  const widths = errs.map(
    (e) => quantiles(e.length >= 20 ? e : pooled, [0.8, 0.95]) as [number, number],
  );
  return bandsFrom(mean, (j) => widths[Math.floor((j * blocks) / H)] as [number, number], nonNeg);
}

function bandsFrom(
  mean: Float64Array,
  width: (j: number) => [number, number],
  nonNeg: boolean,
): Bands {
  const H = mean.length;
  const out = {
    lower80: new Float64Array(H),
    upper80: new Float64Array(H),
    lower95: new Float64Array(H),
    upper95: new Float64Array(H),
  };
  const lo = (v: number): number => (nonNeg ? Math.max(0, v) : v);
  for (let j = 0; j < H; j++) {
    const [w80, w95] = width(j);
    const m = mean[j] as number;
    out.lower80[j] = lo(m - w80);
    out.upper80[j] = m + w80;
    out.lower95[j] = lo(m - w95);
    out.upper95[j] = m + w95;
  }
  return out;
}

/** Too little history to validate: a robust model with random-walk intervals. */
function fallback(
  y: Float64Array,
  H: number,
  ctx: FitContext,
  startMs: number,
  stepMs: number,
  names: readonly string[],
): LoadForecast {
  const n = y.length;
  const pick =
    ["profile-day", "ses", "last-value"].find(
      (m) => names.includes(m) && (MODELS[m] as ModelBuilder)(y, n, ctx),
    ) ?? "last-value";
  const model =
    (MODELS[pick] as ModelBuilder)(y, n, ctx) ?? (lastValue(y, n, ctx) as PreparedModel);
  const mean = model.paths([n], H);
  const diffs: number[] = [];
  for (let i = 1; i < n; i++) {
    const d = (y[i] as number) - (y[i - 1] as number);
    if (Number.isFinite(d)) diffs.push(Math.abs(d));
  }
  const [q80, q95] = diffs.length ? (quantiles(diffs, [0.8, 0.95]) as [number, number]) : [0, 0];
  const bands = bandsFrom(
    mean,
    (j) => [q80 * Math.sqrt(j + 1), q95 * Math.sqrt(j + 1)],
    ctx.nonNegative,
  );
  if (ctx.nonNegative) for (let j = 0; j < H; j++) mean[j] = Math.max(0, mean[j] as number);
  return {
    startMs,
    stepMs,
    mean,
    ...bands,
    model: model.name,
    seasons: ctx.seasons,
    validation: [],
  };
}
