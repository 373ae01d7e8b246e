import { CapacityError } from "../packages/core/src/capacity/errors.ts";
import {
  albResourceLabel,
  type ForecastTrackingPolicyInput,
  forecastTrackingPolicy,
  type PredictiveScalingPolicyInput,
  predictiveScalingPolicy,
} from "../packages/core/src/capacity/policy.ts";
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

/** `MetricSpecifications` -> `metricSpecifications`, recursively; numbers stay numbers. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), camelKeys(v)]),
  );
}

/**
 * The AWS PredictiveScaling configuration of one ECS service in the Pulumi
 * `aws.appautoscaling.Policy` shape: `@slo/core/capacity`'s `predictiveScalingPolicy`
 * (the `ALBRequestCount` metric pair on the service's target group, i.e. observed
 * load) with camelCase keys and `targetValue` as the string the provider schema wants.
 *
 * @example
 * predictiveScalingConfiguration({ resourceLabel: "app/a/1/targetgroup/t/2",
 *   requestsPerTaskPerMinute: 1000, mode: "ForecastOnly" }).mode; // "ForecastOnly"
 */
export function predictiveScalingConfiguration(input: PredictiveScalingPolicyInput) {
  const config = camelKeys(predictiveScalingPolicy(input)) as {
    mode: string;
    schedulingBufferTime: number;
    maxCapacityBreachBehavior: string;
    maxCapacityBuffer?: number;
    metricSpecifications: Record<string, unknown>[];
  };
  return {
    ...config,
    metricSpecifications: config.metricSpecifications.map((m) => ({
      ...m,
      targetValue: String(m.targetValue),
    })),
  };
}

/**
 * The forecast's own target-tracking configuration (`PredictedLoad / RunningTaskCount`
 * at the per-task target) in the Pulumi shape: `CustomizedMetricSpecification.Metrics`
 * becomes `customizedMetricSpecification.metrics`.
 *
 * @example
 * forecastTrackingConfiguration({ service: "user-service", clusterName: "c",
 *   requestsPerTaskPerMinute: 1000, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 }).targetValue; // 1000
 */
export function forecastTrackingConfiguration(input: ForecastTrackingPolicyInput) {
  const c = forecastTrackingPolicy(input);
  // Spelled out rather than camelKeys: the provider types then check every field.
  return {
    targetValue: c.TargetValue,
    customizedMetricSpecification: {
      metrics: c.CustomizedMetricSpecification.Metrics.map((m) => ({
        id: m.Id,
        returnData: m.ReturnData,
        ...(m.Expression === undefined ? {} : { expression: m.Expression }),
        ...(m.Label === undefined ? {} : { label: m.Label }),
        ...(m.MetricStat === undefined
          ? {}
          : {
              metricStat: {
                stat: m.MetricStat.Stat,
                metric: {
                  namespace: m.MetricStat.Metric.Namespace,
                  metricName: m.MetricStat.Metric.MetricName,
                  dimensions: m.MetricStat.Metric.Dimensions.map((d) => ({
                    name: d.Name,
                    value: d.Value,
                  })),
                },
              },
            }),
      })),
    },
    scaleInCooldown: c.ScaleInCooldown,
    scaleOutCooldown: c.ScaleOutCooldown,
    disableScaleIn: c.DisableScaleIn,
  };
}

/**
 * The `ResourceLabel` of the target group an ECS service registers with, from the
 * service's `loadBalancers` (SST does not expose the target group node itself).
 *
 * @throws CapacityError when the service has no target group or the ARNs are malformed.
 */
export function serviceResourceLabel(
  loadBalancerArn: string,
  loadBalancers: readonly { readonly targetGroupArn?: string }[] | undefined,
): string {
  const targetGroupArn = loadBalancers?.[0]?.targetGroupArn;
  if (!targetGroupArn)
    throw new CapacityError(
      "the ECS service has no ALB target group: give the Service a loadBalancer rule, predictive scaling forecasts its RequestCount",
    );
  return albResourceLabel(loadBalancerArn, targetGroupArn);
}
