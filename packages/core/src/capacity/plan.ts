import { CapacityError } from "./errors.ts";

/** The forecast fields a plan needs (a `LoadForecast` from `@slo/core/forecast` fits). */
export interface ForecastInput {
  readonly startMs: number;
  readonly stepMs: number;
  /** Requests per step. */
  readonly mean: Float64Array | readonly number[];
  readonly upper80?: Float64Array | readonly number[];
}

/** Options for {@link planCapacity}. */
export interface CapacityPlanInput {
  readonly forecast: ForecastInput;
  /** Requests per minute one task serves at the target utilisation. */
  readonly requestsPerTaskPerMinute: number;
  /** Extra capacity over the forecast, as a fraction (default 0.1 = 10 %). */
  readonly headroom?: number;
  readonly minTasks?: number;
  readonly maxTasks?: number;
  /** Capacity is in place this long before the load it is for (default 5 minutes). */
  readonly schedulingBufferMs?: number;
  /** After a peak, keep its capacity this long before scaling in (default 15 minutes). */
  readonly scaleInDampingMs?: number;
  /** Size on the point forecast (default) or the upper 80 % bound. */
  readonly basis?: "mean" | "upper80";
}

/** One point of the `PredictedLoad` metric. */
export interface PredictedLoadPoint {
  readonly timestampMs: number;
  readonly requestsPerMinute: number;
}

/** The plan: predicted load in requests per minute and the task count wanted at each step. */
export interface CapacityPlan {
  readonly predictedLoad: readonly PredictedLoadPoint[];
  readonly desiredTasks: readonly { readonly timestampMs: number; readonly tasks: number }[];
  readonly peakTasks: number;
}

/**
 * Turns a load forecast into a `PredictedLoad` series (requests per minute, what the
 * predicted-load Lambda publishes to `Custom/ECS` / `PredictedLoad` / `Service`) and the
 * desired task count per step: ceil(load x (1 + headroom) / per-task capacity), raised
 * to cover the load `schedulingBufferMs` ahead (tasks need time to start), held for
 * `scaleInDampingMs` after each peak (no flapping), and clamped to [minTasks, maxTasks].
 *
 * @throws CapacityError for a non-positive capacity, negative headroom or min > max.
 * @example
 * const f = forecastLoad(history, { horizonMs: 3_600_000 });
 * const plan = planCapacity({ forecast: f, requestsPerTaskPerMinute: 1200, minTasks: 2, maxTasks: 40 });
 * plan.predictedLoad[0]; // { timestampMs: ..., requestsPerMinute: 5230.4 }
 * plan.desiredTasks[0];  // { timestampMs: ..., tasks: 5 }
 */
export function planCapacity(input: CapacityPlanInput): CapacityPlan {
  const { forecast, requestsPerTaskPerMinute: cap } = input;
  const headroom = input.headroom ?? 0.1;
  const minTasks = input.minTasks ?? 1;
  const maxTasks = input.maxTasks ?? Number.POSITIVE_INFINITY;
  if (!(cap > 0))
    throw new CapacityError(
      `requestsPerTaskPerMinute is ${cap}: give the requests per minute one task serves at the target utilisation (> 0)`,
    );
  if (!(headroom >= 0))
    throw new CapacityError(`headroom is ${headroom}: give a fraction >= 0, e.g. 0.1 for 10 %`);
  if (!(minTasks >= 0) || !(maxTasks >= minTasks))
    throw new CapacityError(
      `minTasks ${minTasks} and maxTasks ${maxTasks}: need 0 <= minTasks <= maxTasks`,
    );
  const step = forecast.stepMs;
  const perMinute = 60_000 / step;
  const basis = input.basis === "upper80" && forecast.upper80 ? forecast.upper80 : forecast.mean;
  const n = forecast.mean.length;
  const predictedLoad: PredictedLoadPoint[] = [];
  const raw = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t = forecast.startMs + i * step;
    const meanRpm = Math.max(0, (forecast.mean[i] as number) * perMinute);
    predictedLoad.push({ timestampMs: t, requestsPerMinute: meanRpm });
    const rpm = Math.max(0, (basis[i] as number) * perMinute);
    const need = (rpm * (1 + headroom)) / cap;
    // Forgive float noise just above a whole task (20.000000001 is 20), never below one.
    raw[i] = Number.isFinite(need) ? Math.ceil(need > 1 ? need - 1e-9 : need) : minTasks;
  }
  const ahead = Math.ceil((input.schedulingBufferMs ?? 300_000) / step);
  const hold = Math.ceil((input.scaleInDampingMs ?? 900_000) / step);
  const desiredTasks = raw.map((_, i) => {
    let t = 0;
    for (let k = Math.max(0, i - hold); k <= Math.min(n - 1, i + ahead); k++)
      t = Math.max(t, raw[k] as number);
    return {
      timestampMs: forecast.startMs + i * step,
      tasks: Math.min(maxTasks, Math.max(minTasks, t)),
    };
  });
  return {
    predictedLoad,
    desiredTasks,
    peakTasks: desiredTasks.reduce((m, d) => Math.max(m, d.tasks), minTasks),
  };
}
