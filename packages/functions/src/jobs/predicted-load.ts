import { ecsCapacityPoints, type MetricPoint } from "@slo/aws";
import { estimateTaskCapacity, planCapacity, type UtilisationSample } from "@slo/core/capacity";
import { forecastLoad } from "@slo/core/forecast";
import type { MetricSeries, TimeRange } from "@slo/core/metrics";
import type { PredictedLoadDeps } from "../runtime/deps.ts";
import { errorMessage } from "../runtime/errors.ts";
import { createJobHandler, type JobFailure, type RunContext } from "../runtime/job.ts";
import { publishUnits } from "./evaluate-fleet.ts";

/** One service's forecast, ready to publish. */
export interface ServiceForecast {
  readonly service: string;
  /** Mean requests per minute expected over the horizon. */
  readonly predictedLoad: number;
  /** Tasks wanted for the horizon's peak; absent when the capacity could not be estimated. */
  readonly recommendedTaskCount?: number;
  readonly model: string;
  readonly requestsPerTaskPerMinute?: number;
  /** Mean requests per minute over the last {@link OBSERVED_WINDOW_MS}; absent without data. */
  readonly observedLoad?: number;
}

/** The job's schedule: `ObservedLoad` averages the steps since the previous run. */
export const OBSERVED_WINDOW_MS = 15 * 60_000;

/** Mean of the finite values in the last `windowMs` of a series, `undefined` if none. */
export function recentMean(
  values: Float64Array,
  stepMs: number,
  windowMs: number,
): number | undefined {
  const steps = Math.max(1, Math.round(windowMs / stepMs));
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, values.length - steps); i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : undefined;
}

function series(list: readonly MetricSeries[], id: string): MetricSeries | undefined {
  return list.find((s) => s.id === id);
}

/**
 * Forecasts one service: fits the forecaster on its request history, estimates the
 * requests one task serves at the target CPU from the same history, and plans tasks.
 * Throws (for this service only) when the request history is partial or empty.
 */
async function forecastService(
  deps: PredictedLoadDeps,
  service: string,
  range: TimeRange,
  run: RunContext,
): Promise<{ forecast: ServiceForecast; capacityProblem?: string }> {
  const m = deps.capacityMetrics(service);
  const fetched = await deps.metricsSource(run.budget.signal).fetch(
    [
      { id: "requests", query: m.requests },
      { id: "tasks", query: m.tasks },
      { id: "cpu", query: m.cpu },
    ],
    range,
  );
  const requests = series(fetched, "requests");
  if (!requests?.complete) {
    throw new Error(`request history for ${service} is partial; no forecast published from it`);
  }
  const f = forecastLoad(
    { startMs: range.startMs, stepMs: range.stepMs, values: requests.values },
    { horizonMs: deps.horizonMs, maxHistoryMs: deps.historyMs },
  );
  const perMinute = 60_000 / range.stepMs;
  const tasks = series(fetched, "tasks");
  const cpu = series(fetched, "cpu");
  let capacityProblem: string | undefined;
  let requestsPerTaskPerMinute: number | undefined;
  if (!tasks?.complete) {
    capacityProblem = `task-count history for ${service} is partial or missing`;
  } else {
    const samples: UtilisationSample[] = [];
    requests.values.forEach((rc, i) => {
      const t = tasks.values[i] as number;
      const c = cpu?.complete ? (cpu.values[i] as number) : Number.NaN;
      if (!Number.isFinite(rc) || !Number.isFinite(t) || t <= 0) return;
      samples.push({
        requestsPerMinute: rc * perMinute,
        tasks: t,
        ...(Number.isFinite(c) ? { cpuPercent: c } : {}),
      });
    });
    try {
      requestsPerTaskPerMinute = estimateTaskCapacity(
        samples,
        deps.targetCpuPercent,
      ).requestsPerTaskPerMinute;
    } catch (error) {
      capacityProblem = errorMessage(error);
    }
  }
  const mean = Array.from(f.mean, (v) => Math.max(0, v) * perMinute);
  const predictedLoad = mean.reduce((a, b) => a + b, 0) / Math.max(1, mean.length);
  const observedPerStep = recentMean(requests.values, range.stepMs, OBSERVED_WINDOW_MS);
  const forecast: ServiceForecast = {
    service,
    predictedLoad,
    model: f.model,
    ...(observedPerStep === undefined ? {} : { observedLoad: observedPerStep * perMinute }),
  };
  if (requestsPerTaskPerMinute === undefined)
    return { forecast, ...(capacityProblem ? { capacityProblem } : {}) };
  const plan = planCapacity({ forecast: f, requestsPerTaskPerMinute, minTasks: deps.minTasks });
  const recommendedTaskCount = plan.desiredTasks.reduce(
    (mx, d) => Math.max(mx, d.tasks),
    deps.minTasks,
  );
  return { forecast: { ...forecast, recommendedTaskCount, requestsPerTaskPerMinute } };
}

/**
 * The `predicted-load` handler: for each service behind the SLOs, forecasts its request
 * rate from `historyMs` of history and publishes `Custom/ECS` `PredictedLoad` (mean
 * requests per minute expected over the next `horizonMs`) and `RecommendedTaskCount`
 * (tasks for the horizon's peak, with headroom), both stamped with the evaluated step.
 *
 * @example
 * export const handler = createPredictedLoad(awsPredictedLoadDeps(loadFunctionConfig("predicted-load", process.env)));
 */
export function createPredictedLoad(deps: PredictedLoadDeps) {
  return createJobHandler("predicted-load", deps, async (run) => {
    const { slos, problems } = await deps.loadSlos();
    const failed: JobFailure[] = problems.map((p) => ({
      scope: "definitions",
      name: "slos",
      reason: p,
    }));
    const endMs = Math.floor(run.nowMs / deps.stepMs) * deps.stepMs;
    const range: TimeRange = {
      startMs: endMs - Math.ceil(deps.historyMs / deps.stepMs) * deps.stepMs,
      endMs,
      stepMs: deps.stepMs,
    };
    const services = [...new Set(slos.map((s) => s.service))].sort();
    const units: Array<readonly [string, MetricPoint[]]> = [];
    const complete = new Set<string>();
    for (const service of services) {
      try {
        run.budget.ensure(`the forecast of ${service}`);
        const { forecast, capacityProblem } = await forecastService(deps, service, range, run);
        const points = ecsCapacityPoints({
          service,
          stage: deps.stage,
          timestampMs: endMs,
          predictedLoad: forecast.predictedLoad,
          recommendedTaskCount: forecast.recommendedTaskCount ?? Number.NaN,
          ...(forecast.observedLoad === undefined ? {} : { observedLoad: forecast.observedLoad }),
        }).filter((p) => Number.isFinite(p.value));
        units.push([service, points]);
        if (capacityProblem) {
          failed.push({
            scope: "service",
            name: `${service}/RecommendedTaskCount`,
            reason: capacityProblem,
          });
        } else {
          complete.add(service);
        }
      } catch (error) {
        failed.push({ scope: "service", name: service, reason: errorMessage(error) });
      }
    }
    const published = await publishUnits(deps.sink(run.budget.signal), units);
    return {
      evaluatedAt: new Date(endMs).toISOString(),
      succeeded: published.publishedUnits.filter((s) => complete.has(s)),
      failed: [...failed, ...published.failed],
      published: published.published,
    };
  });
}
