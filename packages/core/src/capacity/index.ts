/**
 * `@slo/core/capacity`: per-task capacity from history, desired task counts and the
 * `PredictedLoad` series from a forecast, and the ECS predictive scaling policy as data.
 */
export { CapacityError } from "./errors.ts";
export type { CapacityPlan, CapacityPlanInput, ForecastInput, PredictedLoadPoint } from "./plan.ts";
export { planCapacity } from "./plan.ts";
export type {
  PredictiveScalingCustomizedMetricSpecification,
  PredictiveScalingMetric,
  PredictiveScalingMetricDataQuery,
  PredictiveScalingPolicyConfiguration,
  PredictiveScalingPolicyInput,
} from "./policy.ts";
export {
  OBSERVED_LOAD_METRIC,
  PREDICTED_LOAD_METRIC,
  predictiveScalingPolicy,
} from "./policy.ts";
export type { TaskCapacity, UtilisationSample } from "./task-capacity.ts";
export { estimateTaskCapacity } from "./task-capacity.ts";
