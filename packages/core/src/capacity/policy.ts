import { serviceDimensions } from "../monitoring/metrics.ts";
import { CapacityError } from "./errors.ts";

/** Where the `PredictedLoad` metric lives: requests per minute, one series per service. */
export const PREDICTED_LOAD_METRIC = {
  Namespace: "Custom/ECS",
  MetricName: "PredictedLoad",
  DimensionName: "Service",
  Unit: "Count/Minute",
} as const;

/**
 * The request rate the predicted-load job observed (requests per minute over its last
 * interval), published next to `PredictedLoad`. It is the scaling metric's numerator
 * when the ALB target group is not known: per-task load must be measured, not the
 * forecast divided by tasks, or the policy would learn the forecast from itself.
 */
export const OBSERVED_LOAD_METRIC = {
  Namespace: "Custom/ECS",
  MetricName: "ObservedLoad",
  DimensionName: "Service",
  Unit: "Count/Minute",
} as const;

/**
 * Dimensions of a service's `Custom/ECS` metrics in Application Auto Scaling's shape,
 * from the one dimension rule the predicted-load job publishes with (`Stage`, `Service`).
 */
function customEcsDimensions(input: { readonly service: string; readonly stage: string }) {
  return Object.entries(serviceDimensions(input.service, input.stage)).map(([Name, Value]) => ({
    Name,
    Value,
  }));
}

/** A CloudWatch metric as Application Auto Scaling's `PredictiveScalingMetric`. */
export interface PredictiveScalingMetric {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

/** Application Auto Scaling `PredictiveScalingMetricDataQuery`. */
export interface PredictiveScalingMetricDataQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Metric: PredictiveScalingMetric;
    readonly Stat: string;
    readonly Unit?: string;
  };
  readonly Label?: string;
  readonly ReturnData: boolean;
}

/** Application Auto Scaling `PredictiveScalingCustomizedMetricSpecification`. */
export interface PredictiveScalingCustomizedMetricSpecification {
  readonly MetricDataQueries: readonly PredictiveScalingMetricDataQuery[];
}

/** Application Auto Scaling `PredictiveScalingPolicyConfiguration` (the fields this platform sets). */
export interface PredictiveScalingPolicyConfiguration {
  readonly MetricSpecifications: readonly {
    readonly TargetValue: number;
    readonly CustomizedLoadMetricSpecification: PredictiveScalingCustomizedMetricSpecification;
    readonly CustomizedScalingMetricSpecification: PredictiveScalingCustomizedMetricSpecification;
    readonly CustomizedCapacityMetricSpecification: PredictiveScalingCustomizedMetricSpecification;
  }[];
  readonly Mode: "ForecastOnly" | "ForecastAndScale";
  /** Seconds capacity is launched ahead of the forecast hour (0-3600). */
  readonly SchedulingBufferTime: number;
  readonly MaxCapacityBreachBehavior: "HonorMaxCapacity" | "IncreaseMaxCapacity";
  /** Percent over max capacity allowed with IncreaseMaxCapacity (0-100). */
  readonly MaxCapacityBuffer?: number;
}

/** Inputs of {@link predictiveScalingPolicy}. */
export interface PredictiveScalingPolicyInput {
  /** The logical service name: the `Service` dimension of `PredictedLoad`. */
  readonly service: string;
  /** The stage the predicted-load job publishes under (the `Stage` dimension). */
  readonly stage: string;
  readonly clusterName: string;
  /** ECS service name when it differs from `service`. */
  readonly ecsServiceName?: string;
  /** Requests per minute one task serves at the target utilisation: the TargetValue. */
  readonly requestsPerTaskPerMinute: number;
  /** Measure actual per-task load on this ALB target group (ARN suffixes); without it the scaling metric is PredictedLoad per task. */
  readonly targetGroup?: { readonly loadBalancer: string; readonly targetGroup: string };
  readonly mode?: "ForecastOnly" | "ForecastAndScale";
  readonly schedulingBufferTimeSeconds?: number;
  readonly maxCapacityBreachBehavior?: "HonorMaxCapacity" | "IncreaseMaxCapacity";
  readonly maxCapacityBuffer?: number;
}

/**
 * Builds the `PredictiveScalingPolicyConfiguration` for an ECS service, as data, so the
 * infra (`aws.appautoscaling.Policy` with `policyType: "PredictiveScaling"`) and the
 * predicted-load Lambda share one definition. Load = `Custom/ECS` `PredictedLoad`
 * (Service = `service`, Average, requests per minute); scaling = requests per minute
 * per running task (ALB `RequestCount` when `targetGroup` is given, else the job's
 * `ObservedLoad`, divided by Container Insights `RunningTaskCount`); capacity =
 * `RunningTaskCount`.
 *
 * @throws CapacityError for a non-positive target, a buffer outside 0-3600 s or a
 *   MaxCapacityBuffer without IncreaseMaxCapacity.
 * @example
 * const config = predictiveScalingPolicy({ service: "order-service", clusterName: "fleet", requestsPerTaskPerMinute: 1200 });
 * new aws.appautoscaling.Policy("order-predictive", {
 *   policyType: "PredictiveScaling", resourceId, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs",
 *   // Pulumi takes the same structure with camelCase keys (metricSpecifications, targetValue, ...).
 *   predictiveScalingPolicyConfiguration: camelCaseKeys(config),
 * });
 */
export function predictiveScalingPolicy(
  input: PredictiveScalingPolicyInput,
): PredictiveScalingPolicyConfiguration {
  if (!(input.requestsPerTaskPerMinute > 0)) {
    throw new CapacityError(
      `requestsPerTaskPerMinute is ${input.requestsPerTaskPerMinute}: give requests per minute per task at the target utilisation (> 0)`,
    );
  }
  const buffer = input.schedulingBufferTimeSeconds ?? 300;
  if (!(buffer >= 0 && buffer <= 3600))
    throw new CapacityError(`schedulingBufferTimeSeconds is ${buffer}: give 0-3600 seconds`);
  const behaviour = input.maxCapacityBreachBehavior ?? "HonorMaxCapacity";
  if (input.maxCapacityBuffer !== undefined && behaviour !== "IncreaseMaxCapacity") {
    throw new CapacityError(
      'maxCapacityBuffer only applies with maxCapacityBreachBehavior "IncreaseMaxCapacity": set that or drop maxCapacityBuffer',
    );
  }
  if (
    input.maxCapacityBuffer !== undefined &&
    !(input.maxCapacityBuffer >= 0 && input.maxCapacityBuffer <= 100)
  ) {
    throw new CapacityError(
      `maxCapacityBuffer is ${input.maxCapacityBuffer}: give a percentage 0-100`,
    );
  }
  const predicted: PredictiveScalingMetric = {
    Namespace: PREDICTED_LOAD_METRIC.Namespace,
    MetricName: PREDICTED_LOAD_METRIC.MetricName,
    Dimensions: customEcsDimensions(input),
  };
  const tasks: PredictiveScalingMetricDataQuery = {
    Id: "tasks",
    MetricStat: {
      Metric: {
        Namespace: "ECS/ContainerInsights",
        MetricName: "RunningTaskCount",
        Dimensions: [
          { Name: "ClusterName", Value: input.clusterName },
          { Name: "ServiceName", Value: input.ecsServiceName ?? input.service },
        ],
      },
      Stat: "Average",
    },
    ReturnData: false,
  };
  const load: PredictiveScalingMetricDataQuery = input.targetGroup
    ? {
        Id: "requests",
        MetricStat: {
          Metric: {
            Namespace: "AWS/ApplicationELB",
            MetricName: "RequestCount",
            Dimensions: [
              { Name: "LoadBalancer", Value: input.targetGroup.loadBalancer },
              { Name: "TargetGroup", Value: input.targetGroup.targetGroup },
            ],
          },
          Stat: "Sum",
        },
        ReturnData: false,
      }
    : {
        Id: "requests",
        MetricStat: {
          Metric: {
            Namespace: OBSERVED_LOAD_METRIC.Namespace,
            MetricName: OBSERVED_LOAD_METRIC.MetricName,
            Dimensions: customEcsDimensions(input),
          },
          Stat: "Average",
        },
        ReturnData: false,
      };
  // RequestCount is a per-period sum: turn it into per minute before dividing by tasks.
  const perMinute = input.targetGroup ? "requests / (PERIOD(requests) / 60)" : "requests";
  return {
    MetricSpecifications: [
      {
        TargetValue: input.requestsPerTaskPerMinute,
        CustomizedLoadMetricSpecification: {
          MetricDataQueries: [
            {
              Id: "load",
              MetricStat: { Metric: predicted, Stat: "Average" },
              Label: "Predicted requests per minute",
              ReturnData: true,
            },
          ],
        },
        CustomizedScalingMetricSpecification: {
          MetricDataQueries: [
            load,
            tasks,
            {
              Id: "per_task",
              Expression: `${perMinute} / tasks`,
              Label: "Requests per minute per task",
              ReturnData: true,
            },
          ],
        },
        CustomizedCapacityMetricSpecification: {
          MetricDataQueries: [
            { ...tasks, Id: "capacity", Label: "Running tasks", ReturnData: true },
          ],
        },
      },
    ],
    Mode: input.mode ?? "ForecastAndScale",
    SchedulingBufferTime: buffer,
    MaxCapacityBreachBehavior: behaviour,
    ...(input.maxCapacityBuffer !== undefined
      ? { MaxCapacityBuffer: input.maxCapacityBuffer }
      : {}),
  };
}
