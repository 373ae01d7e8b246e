import { ECS_NAMESPACE, serviceDimensions } from "../monitoring/metrics.ts";
import { CapacityError } from "./errors.ts";

/**
 * Where the `PredictedLoad` metric lives: requests per minute, one series per service,
 * one datapoint per minute (the predicted-load job publishes each run's coming minutes).
 */
export const PREDICTED_LOAD_METRIC = {
  Namespace: ECS_NAMESPACE,
  MetricName: "PredictedLoad",
} as const;

/**
 * The dimensions of a service's `Custom/ECS` metrics. Every producer (the predicted-load
 * job) and every reader (the forecast tracking policy) takes them from here, so a new
 * dimension (e.g. `Stage`) is added in one place and the two never disagree.
 *
 * @example
 * ecsMetricDimensions("order-service", "dev"); // { Stage: "dev", Service: "order-service" }
 */
export function ecsMetricDimensions(
  service: string,
  stage: string,
): Readonly<Record<string, string>> {
  // The platform-wide rule (Stage first), so two stages in one account never mix.
  return serviceDimensions(service, stage);
}

/** `ecsMetricDimensions` as CloudWatch's `[{ Name, Value }]` list. */
function dimensionList(service: string, stage: string): { Name: string; Value: string }[] {
  return Object.entries(ecsMetricDimensions(service, stage)).map(([Name, Value]) => ({
    Name,
    Value,
  }));
}

/** Application Auto Scaling `PredictiveScalingPolicyConfiguration` (the fields this platform sets). */
export interface PredictiveScalingPolicyConfiguration {
  readonly MetricSpecifications: readonly {
    readonly TargetValue: number;
    readonly PredefinedMetricPairSpecification: {
      readonly PredefinedMetricType: "ALBRequestCount";
      readonly ResourceLabel: string;
    };
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
  /**
   * The service's ALB target group as `app/<lb>/<id>/targetgroup/<tg>/<id>` (see
   * {@link albResourceLabel}): its `RequestCount` is the observed load AWS forecasts.
   */
  readonly resourceLabel: string;
  /** Requests per minute one task serves at the target utilisation: the TargetValue. */
  readonly requestsPerTaskPerMinute: number;
  readonly mode?: "ForecastOnly" | "ForecastAndScale";
  readonly schedulingBufferTimeSeconds?: number;
  readonly maxCapacityBreachBehavior?: "HonorMaxCapacity" | "IncreaseMaxCapacity";
  readonly maxCapacityBuffer?: number;
}

const RESOURCE_LABEL = /^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/;

/**
 * The `ResourceLabel` of an ALB target group from the two ARNs, as Application Auto
 * Scaling documents it: the load balancer ARN's final `app/<name>/<id>` and the target
 * group ARN's final `targetgroup/<name>/<id>`, joined by `/`.
 *
 * @throws CapacityError when either ARN is not an ALB / target group ARN.
 * @example
 * albResourceLabel(
 *   "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/fleet/50dc6c495c0c9188",
 *   "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/order/943f017f100becff",
 * ); // "app/fleet/50dc6c495c0c9188/targetgroup/order/943f017f100becff"
 */
export function albResourceLabel(loadBalancerArn: string, targetGroupArn: string): string {
  const lb = /:loadbalancer\/(app\/[^/]+\/[^/]+)$/.exec(loadBalancerArn)?.[1];
  const tg = /:(targetgroup\/[^/]+\/[^/]+)$/.exec(targetGroupArn)?.[1];
  if (!lb)
    throw new CapacityError(
      `loadBalancerArn "${loadBalancerArn}" is not an Application Load Balancer ARN (…:loadbalancer/app/<name>/<id>)`,
    );
  if (!tg)
    throw new CapacityError(
      `targetGroupArn "${targetGroupArn}" is not a target group ARN (…:targetgroup/<name>/<id>)`,
    );
  return `${lb}/${tg}`;
}

function checkTarget(requestsPerTaskPerMinute: number): void {
  if (!(requestsPerTaskPerMinute > 0)) {
    throw new CapacityError(
      `requestsPerTaskPerMinute is ${requestsPerTaskPerMinute}: give requests per minute per task at the target utilisation (> 0), the fleet's requestsPerTarget`,
    );
  }
}

/**
 * The ECS service's AWS PredictiveScaling configuration, as data. AWS does its own
 * forecasting (14 days of history, hourly, 48 h ahead), so its load metric must be what
 * the service actually served: the `ALBRequestCount` metric pair makes the target
 * group's `RequestCount` the load and `RequestCountPerTarget` the scaling metric, with
 * the same per-task target as the `ALBRequestCountPerTarget` tracking policy. Our own
 * forecast never feeds it (that would be forecasting a forecast); it drives
 * {@link forecastTrackingPolicy} instead.
 *
 * @throws CapacityError for a non-positive target, a malformed resource label, a
 *   buffer outside 0-3600 s or a MaxCapacityBuffer without IncreaseMaxCapacity.
 * @example
 * const config = predictiveScalingPolicy({ resourceLabel: albResourceLabel(lbArn, tgArn), requestsPerTaskPerMinute: 1000 });
 * config.MetricSpecifications[0].PredefinedMetricPairSpecification.PredefinedMetricType; // "ALBRequestCount"
 */
export function predictiveScalingPolicy(
  input: PredictiveScalingPolicyInput,
): PredictiveScalingPolicyConfiguration {
  checkTarget(input.requestsPerTaskPerMinute);
  if (!RESOURCE_LABEL.test(input.resourceLabel)) {
    throw new CapacityError(
      `resourceLabel "${input.resourceLabel}" is not app/<lb>/<id>/targetgroup/<tg>/<id>: build it with albResourceLabel(loadBalancerArn, targetGroupArn)`,
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
  return {
    MetricSpecifications: [
      {
        TargetValue: input.requestsPerTaskPerMinute,
        PredefinedMetricPairSpecification: {
          PredefinedMetricType: "ALBRequestCount",
          ResourceLabel: input.resourceLabel,
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

/** A CloudWatch metric in Application Auto Scaling's `TargetTrackingMetric` shape. */
export interface TrackingMetric {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

/** Application Auto Scaling `TargetTrackingMetricDataQuery`. */
export interface TrackingMetricDataQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: { readonly Metric: TrackingMetric; readonly Stat: string };
  readonly Label?: string;
  readonly ReturnData: boolean;
}

/** Application Auto Scaling `TargetTrackingScalingPolicyConfiguration` with a metric-math customized metric. */
export interface ForecastTrackingPolicyConfiguration {
  readonly TargetValue: number;
  readonly CustomizedMetricSpecification: { readonly Metrics: readonly TrackingMetricDataQuery[] };
  readonly ScaleInCooldown: number;
  readonly ScaleOutCooldown: number;
  readonly DisableScaleIn: false;
}

/** Inputs of {@link forecastTrackingPolicy}. */
export interface ForecastTrackingPolicyInput {
  /** The logical service name: the `Service` dimension of `PredictedLoad`. */
  readonly service: string;
  /** The stage the predicted-load job publishes under (the `Stage` dimension). */
  readonly stage: string;
  readonly clusterName: string;
  /** ECS service name when it differs from `service`. */
  readonly ecsServiceName?: string;
  /** Requests per minute one task serves at the target utilisation: the TargetValue. */
  readonly requestsPerTaskPerMinute: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

/**
 * Our forecast's own policy: target tracking on `PredictedLoad / RunningTaskCount`
 * (forecast requests per minute per running task) at the same per-task target as the
 * request-count policy. It asks for ceil(forecast / target) tasks a few minutes before
 * the load arrives; because Application Auto Scaling scales in only when every tracking
 * policy agrees, it also keeps that many while the forecast says they are needed. So it
 * acts as a forecast-set minimum that moves every minute, complementary to the AWS
 * predictive policy (hourly blocks from observed load) and to the reactive policies
 * (what is happening now); none of them reads another's output.
 *
 * @throws CapacityError for a non-positive target.
 * @example
 * const c = forecastTrackingPolicy({ service: "order-service", clusterName: "fleet",
 *   requestsPerTaskPerMinute: 1000, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 });
 * c.CustomizedMetricSpecification.Metrics.at(-1)?.Expression; // "forecast / tasks"
 */
export function forecastTrackingPolicy(
  input: ForecastTrackingPolicyInput,
): ForecastTrackingPolicyConfiguration {
  checkTarget(input.requestsPerTaskPerMinute);
  return {
    TargetValue: input.requestsPerTaskPerMinute,
    CustomizedMetricSpecification: {
      Metrics: [
        {
          Id: "forecast",
          MetricStat: {
            Metric: {
              Namespace: PREDICTED_LOAD_METRIC.Namespace,
              MetricName: PREDICTED_LOAD_METRIC.MetricName,
              Dimensions: dimensionList(input.service, input.stage),
            },
            Stat: "Average",
          },
          ReturnData: false,
        },
        {
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
        },
        {
          Id: "per_task",
          Expression: "forecast / tasks",
          Label: "Forecast requests per minute per running task",
          ReturnData: true,
        },
      ],
    },
    ScaleInCooldown: input.scaleInCooldownSeconds,
    ScaleOutCooldown: input.scaleOutCooldownSeconds,
    // Scale-in stays on: it is what lets this policy hold capacity the forecast needs
    // while the reactive policies, seeing a quiet present, would give it back.
    DisableScaleIn: false,
  };
}
