import type { CloudWatchMetricStat } from "@slo/core/spec";
import type { FunctionConfig } from "../config.ts";
import type { CapacityMetrics, PredictedLoadDeps } from "../deps.ts";
import { type AwsDepsOptions, awsBaseDeps } from "./common.ts";

const DAY_MS = 86_400_000;

function metric(
  namespace: string,
  metricName: string,
  stat: string,
  service: string,
): CloudWatchMetricStat {
  return { kind: "metric", namespace, metricName, stat, dimensions: { Service: service } };
}

/**
 * Where a service's load history lives in AWS: ALB `RequestCount`, Container Insights
 * `RunningTaskCount` (the metric ECS predictive scaling also reads) and `AWS/ECS`
 * `CPUUtilization`; the logical `Service` dimension is mapped by ECS discovery.
 */
export function awsCapacityMetrics(service: string): CapacityMetrics {
  return {
    requests: metric("AWS/ApplicationELB", "RequestCount", "Sum", service),
    tasks: metric("ECS/ContainerInsights", "RunningTaskCount", "Average", service),
    cpu: metric("AWS/ECS", "CPUUtilization", "Average", service),
  };
}

/** Defaults of the forecast: 14 days of history (as ECS uses), 1 hour ahead, 70 % CPU. */
export const PREDICTED_LOAD_DEFAULTS = {
  historyMs: 14 * DAY_MS,
  horizonMs: 3_600_000,
  targetCpuPercent: 70,
  minTasks: 1,
} as const;

/**
 * AWS dependencies of the predicted-load job.
 *
 * @example
 * export const handler = createPredictedLoad(awsPredictedLoadDeps(loadFunctionConfig("predicted-load", process.env)));
 */
export function awsPredictedLoadDeps(
  config: FunctionConfig,
  opts: AwsDepsOptions = {},
): PredictedLoadDeps {
  return {
    ...awsBaseDeps(config, opts),
    capacityMetrics: awsCapacityMetrics,
    ...PREDICTED_LOAD_DEFAULTS,
  };
}
