import type { CloudWatchMetricStat } from "@slo/core/spec";
import type { CapacityMetrics } from "./deps.ts";

function metric(
  namespace: string,
  metricName: string,
  stat: string,
  service: string,
): CloudWatchMetricStat {
  return { kind: "metric", namespace, metricName, stat, dimensions: { Service: service } };
}

/**
 * Where a service's load history lives: ALB `RequestCount`, the load AWS predictive
 * scaling also forecasts. The logical `Service` dimension is mapped by ECS discovery on AWS;
 * the embedded fleet answers the same names, so local runs take the same path.
 *
 * @example
 * capacityMetrics("order-service").requests.metricName; // "RequestCount"
 */
export function capacityMetrics(service: string): CapacityMetrics {
  return {
    requests: metric("AWS/ApplicationELB", "RequestCount", "Sum", service),
  };
}
