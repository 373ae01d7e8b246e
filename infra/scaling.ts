import type { FleetService } from "../stacks/fleet.ts";
import type { StageProfile } from "../stacks/profile.ts";

/** Namespace and name of the forecast the predicted-load job publishes (WIRING.md). */
export const PREDICTED_LOAD_METRIC = {
  namespace: "Custom/ECS",
  metricName: "PredictedLoad",
} as const;

export interface TaskBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * A service's task bounds in a stage: the fleet's bounds times the stage's scale,
 * rounded up, with min raised to the stage floor and max never below min.
 *
 * @example
 * serviceBounds({ min: 2, max: 10 }, { scale: 0.25, minTasksFloor: 1 }); // { min: 1, max: 3 }
 */
export function serviceBounds(
  fleet: Pick<FleetService["scaling"], "min" | "max">,
  capacity: Pick<StageProfile["capacity"], "scale" | "minTasksFloor">,
): TaskBounds {
  const min = Math.max(capacity.minTasksFloor, Math.ceil(fleet.min * capacity.scale));
  const max = Math.max(min, Math.ceil(fleet.max * capacity.scale));
  return { min, max };
}

/**
 * The SST `capacity` option for a stage's spot share: all on-demand (undefined), all
 * spot, or a mix that keeps one on-demand task as a base so a spot reclaim never
 * takes the service to zero.
 *
 * @example
 * capacityStrategy(0.5); // { fargate: { base: 1, weight: 1 }, spot: { weight: 1 } }
 */
export function capacityStrategy(spotShare: number) {
  if (spotShare <= 0) return undefined;
  if (spotShare >= 1) return "spot" as const;
  const spotWeight = Math.round(spotShare * 100);
  return {
    fargate: { base: 1, weight: 100 - spotWeight },
    spot: { weight: spotWeight },
  };
}

/**
 * Application Auto Scaling PredictiveScaling configuration for one ECS service, in the
 * Pulumi `aws.appautoscaling.Policy` shape (`predictiveScalingPolicyConfiguration`).
 * The load metric is the platform's own forecast `Custom/ECS PredictedLoad`
 * (requests/min, averaged per hour and scaled to requests/hour as AWS expects a total
 * per period); the scaling metric is average CPU with the service's CPU target, so
 * predictive and reactive policies aim at the same utilisation.
 *
 * @example
 * predictiveScalingConfiguration("user-service", 60, "ForecastOnly").mode; // "ForecastOnly"
 */
export function predictiveScalingConfiguration(
  serviceName: string,
  cpuTarget: number,
  mode: StageProfile["capacity"]["predictiveMode"],
) {
  return {
    mode,
    // Launch tasks 5 minutes before the forecast hour: Fargate tasks need ~1-2 minutes
    // to pass health checks, and the ALB needs a few more to shift traffic.
    schedulingBufferTime: 300,
    maxCapacityBreachBehavior: "HonorMaxCapacity",
    metricSpecifications: [
      {
        targetValue: String(cpuTarget),
        predefinedScalingMetricSpecification: {
          predefinedMetricType: "ECSServiceAverageCPUUtilization",
        },
        customizedLoadMetricSpecification: {
          metricDataQueries: [
            {
              id: "load",
              metricStat: {
                metric: {
                  namespace: PREDICTED_LOAD_METRIC.namespace,
                  metricName: PREDICTED_LOAD_METRIC.metricName,
                  dimensions: [{ name: "Service", value: serviceName }],
                },
                stat: "Average",
              },
              returnData: false,
            },
            {
              id: "load_per_hour",
              expression: "load * 60",
              label: `${serviceName} predicted requests per hour`,
              returnData: true,
            },
          ],
        },
      },
    ],
  };
}
