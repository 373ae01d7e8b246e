/**
 * `@slo/core/capacity`: per-task capacity from history, desired task counts and the
 * `PredictedLoad` series from a forecast, and the ECS scaling policies as data (AWS
 * predictive on observed load, target tracking on our forecast).
 */
export { CapacityError } from "./errors.ts";
export { FORECAST_FEED, forecastFeedHorizonMs, predictedLoadSeries } from "./forecast-series.ts";
export type { CapacityPlan, CapacityPlanInput, ForecastInput, PredictedLoadPoint } from "./plan.ts";
export { planCapacity } from "./plan.ts";
export type {
  ForecastTrackingPolicyConfiguration,
  ForecastTrackingPolicyInput,
  PredictiveScalingPolicyConfiguration,
  PredictiveScalingPolicyInput,
  TrackingMetric,
  TrackingMetricDataQuery,
} from "./policy.ts";
export {
  albResourceLabel,
  ecsMetricDimensions,
  forecastTrackingPolicy,
  PREDICTED_LOAD_METRIC,
  predictiveScalingPolicy,
} from "./policy.ts";
export type { TaskCapacity, UtilisationSample } from "./task-capacity.ts";
export { estimateTaskCapacity } from "./task-capacity.ts";
