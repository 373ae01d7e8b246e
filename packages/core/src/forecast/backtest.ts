import { SloPlatformError } from "../errors.ts";
import { forecastLoad } from "./auto.ts";
import { calendarSteps } from "./seasons.ts";
import type { LoadSeries } from "./trace-csv.ts";

/** Options for {@link backtest}. */
export interface BacktestOptions {
  readonly horizonMs: number;
  /** Training needed before the first origin (default 7 days). */
  readonly minTrainMs?: number;
  /** Time between origins (default 6 hours). */
  readonly originEveryMs?: number;
  /** History each fit sees (default 14 days). */
  readonly maxHistoryMs?: number;
  /** Restrict the candidate models (e.g. `["last-value"]` for a baseline). */
  readonly models?: readonly string[];
}

/** Accuracy of a rolling-origin backtest. */
export interface BacktestResult {
  /** Model MAE / MAE of the 1-day seasonal naive on the same points (below 1 beats it). */
  readonly mase: number;
  /** Symmetric MAPE in percent (points where both values are zero count as 0). */
  readonly smape: number;
  /** Share of actuals inside the 80 % and 95 % intervals. */
  readonly coverage80: number;
  readonly coverage95: number;
  /** The model chosen most often across origins. */
  readonly model: string;
  /** How often each model was chosen. */
  readonly chosen: Readonly<Record<string, number>>;
  readonly origins: number;
  readonly points: number;
  /** Mean wall time of one fit + forecast, in milliseconds. */
  readonly msPerFit: number;
}

/** Thrown when a series is too short for the requested backtest. */
export class BacktestError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "BacktestError";
  }
}

/**
 * Rolling-origin backtest: at every origin (after `minTrainMs` of training, then every
 * `originEveryMs`) fit on the past only, forecast `horizonMs` ahead and score every
 * forecast step against the actual value. MASE's denominator is the 1-day seasonal
 * naive forecast from the same origin on the same points; points where either the
 * actual or that reference is missing are skipped.
 *
 * @example
 * const r = backtest(series, { horizonMs: 3_600_000 });
 * console.log(r.mase, r.coverage80, r.model);
 */
export function backtest(series: LoadSeries, options: BacktestOptions): BacktestResult {
  const { stepMs, values: y } = series;
  const H = Math.max(1, Math.ceil(options.horizonMs / stepMs));
  const { daySteps } = calendarSteps(stepMs);
  const minTrain = Math.round((options.minTrainMs ?? 7 * 86_400_000) / stepMs);
  const every = Math.max(1, Math.round((options.originEveryMs ?? 6 * 3_600_000) / stepMs));
  if (y.length < minTrain + H) {
    throw new BacktestError(
      `the series has ${y.length} steps but the backtest needs ${minTrain} for training plus ${H} to score: use a longer file or a shorter --horizon`,
    );
  }
  let absModel = 0;
  let absRef = 0;
  let smape = 0;
  let in80 = 0;
  let in95 = 0;
  let points = 0;
  let origins = 0;
  let ms = 0;
  const chosen: Record<string, number> = {};
  for (let o = minTrain; o + H <= y.length; o += every) {
    const history = { startMs: series.startMs, stepMs, values: y.subarray(0, o) };
    const t0 = performance.now();
    const f = forecastLoad(history, {
      horizonMs: H * stepMs,
      ...(options.maxHistoryMs !== undefined ? { maxHistoryMs: options.maxHistoryMs } : {}),
      ...(options.models !== undefined ? { models: options.models } : {}),
    });
    ms += performance.now() - t0;
    origins++;
    chosen[f.model] = (chosen[f.model] ?? 0) + 1;
    for (let j = 0; j < H; j++) {
      const actual = y[o + j] as number;
      let k = o + j - daySteps;
      while (k >= o) k -= daySteps;
      const ref = y[k] as number;
      if (!Number.isFinite(actual) || !Number.isFinite(ref)) continue;
      const pred = f.mean[j] as number;
      absModel += Math.abs(actual - pred);
      absRef += Math.abs(actual - ref);
      const denom = Math.abs(actual) + Math.abs(pred);
      smape += denom === 0 ? 0 : (200 * Math.abs(actual - pred)) / denom;
      if (actual >= (f.lower80[j] as number) && actual <= (f.upper80[j] as number)) in80++;
      if (actual >= (f.lower95[j] as number) && actual <= (f.upper95[j] as number)) in95++;
      points++;
    }
  }
  const model = Object.entries(chosen).sort((a, b) => b[1] - a[1])[0]?.[0] ?? "none";
  return {
    mase: absRef === 0 ? (absModel === 0 ? 0 : Number.POSITIVE_INFINITY) : absModel / absRef,
    smape: points ? smape / points : Number.NaN,
    coverage80: points ? in80 / points : Number.NaN,
    coverage95: points ? in95 / points : Number.NaN,
    model,
    chosen,
    origins,
    points,
    msPerFit: origins ? ms / origins : 0,
  };
}
