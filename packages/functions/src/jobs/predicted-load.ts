import { ecsCapacityPoints, type MetricPoint } from "@slo/aws";
import {
  FORECAST_FEED,
  forecastFeedHorizonMs,
  type PredictedLoadPoint,
  predictedLoadSeries,
} from "@slo/core/capacity";
import { forecastLoad } from "@slo/core/forecast";
import type { TimeRange } from "@slo/core/metrics";
import type { PredictedLoadDeps } from "../runtime/deps.ts";
import { errorMessage } from "../runtime/errors.ts";
import { createJobHandler, type JobFailure, type RunContext } from "../runtime/job.ts";
import { publishUnits } from "./evaluate-fleet.ts";

/** One service's forecast, ready to publish. */
export interface ServiceForecast {
  readonly service: string;
  /** Requests per minute expected, one point per minute until the next run (`FORECAST_FEED`). */
  readonly predictedLoad: readonly PredictedLoadPoint[];
  readonly model: string;
}

/**
 * Forecasts one service from its request history: the next run's minutes, each with the
 * busiest rate in the lead after it. Per-task capacity is not this job's business: the
 * forecast tracking policy divides by running tasks and compares with the fleet's
 * `requestsPerTarget`, the one per-task capacity every policy uses.
 * Throws (for this service only) when the request history is partial or empty.
 */
async function forecastService(
  deps: PredictedLoadDeps,
  service: string,
  range: TimeRange,
  run: RunContext,
): Promise<ServiceForecast> {
  const [fetched] = await deps
    .metricsSource(run.budget.signal)
    .fetch([{ id: "requests", query: deps.capacityMetrics(service).requests }], range);
  if (!fetched?.complete) {
    throw new Error(`request history for ${service} is partial; no forecast published from it`);
  }
  // The minutes start at the run's minute, not the last whole step, so a step longer than
  // the schedule still leaves no minute unpublished.
  const fromMs = Math.floor(run.nowMs / 60_000) * 60_000;
  const f = forecastLoad(
    { startMs: range.startMs, stepMs: range.stepMs, values: fetched.values },
    {
      horizonMs: forecastFeedHorizonMs(FORECAST_FEED, range.endMs, fromMs),
      maxHistoryMs: deps.historyMs,
    },
  );
  return {
    service,
    predictedLoad: predictedLoadSeries(f, { fromMs, ...FORECAST_FEED }),
    model: f.model,
  };
}

/**
 * The `predicted-load` handler: for each service behind the SLOs, forecasts its request
 * rate from `historyMs` of history and publishes `Custom/ECS` `PredictedLoad`: one point
 * per minute from the evaluated step until the next run, each the busiest forecast rate
 * (requests per minute) in the `FORECAST_FEED.leadMs` after its minute. That series is
 * the forecast tracking policy's numerator; AWS predictive scaling never reads it.
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
    for (const service of services) {
      try {
        run.budget.ensure(`the forecast of ${service}`);
        const forecast = await forecastService(deps, service, range, run);
        const points = ecsCapacityPoints({ ...forecast, stage: deps.stage });
        units.push([service, points.filter((p) => Number.isFinite(p.value))]);
      } catch (error) {
        failed.push({ scope: "service", name: service, reason: errorMessage(error) });
      }
    }
    const published = await publishUnits(deps.sink(run.budget.signal), units);
    return {
      evaluatedAt: new Date(endMs).toISOString(),
      succeeded: published.publishedUnits,
      failed: [...failed, ...published.failed],
      published: published.published,
    };
  });
}
