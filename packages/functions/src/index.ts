/**
 * `@slo/functions`: the three scheduled Lambdas (`slo-calculator`, `burn-rate-evaluator`,
 * `predicted-load`) as factories over injected dependencies, plus the AWS and local
 * wirings. `src/handlers/<name>.ts` are the SST entry points (`handler` = factory(awsDeps)).
 */

export { createBurnRateEvaluator } from "./jobs/burn-rate-evaluator.ts";
export { createPredictedLoad } from "./jobs/predicted-load.ts";
export { createSloCalculator } from "./jobs/slo-calculator.ts";
export type {
  AlertNotification,
  AlertObservation,
  AlertStateDocument,
  Severity,
  StoredAlert,
} from "./runtime/alert-state.ts";
export {
  alertKey,
  observeAlerts,
  planAlertTransitions,
  revertAlerts,
} from "./runtime/alert-state.ts";
export type { AlertStateStore, LoadedAlertState } from "./runtime/alert-store.ts";
export {
  InMemoryAlertStateStore,
  ReadOnlyAlertStateStore,
  S3AlertStateStore,
} from "./runtime/alert-store.ts";
export { awsBurnRateDeps } from "./runtime/aws/burn-rate.ts";
export { type AwsDepsOptions, type AwsSinkMode, awsBaseDeps } from "./runtime/aws/common.ts";
export { awsPredictedLoadDeps, PREDICTED_LOAD_DEFAULTS } from "./runtime/aws/predicted-load.ts";
export { awsSloDeps } from "./runtime/aws/slo.ts";
export { capacityMetrics } from "./runtime/capacity-metrics.ts";
export type { FunctionConfig, FunctionName } from "./runtime/config.ts";
export { FUNCTION_NAMES, loadFunctionConfig } from "./runtime/config.ts";
export type {
  BaseDeps,
  BurnRateDeps,
  CapacityMetrics,
  LoadedSlos,
  PredictedLoadDeps,
  SloJobDeps,
} from "./runtime/deps.ts";
export { parseEmfLine, parseEmfOutput } from "./runtime/emf.ts";
export { AlertStateError, errorMessage, FunctionConfigError } from "./runtime/errors.ts";
export type { JobFailure, JobResult, ScheduledEvent } from "./runtime/job.ts";
export { createJobHandler, JobFailedError } from "./runtime/job.ts";
export { fakeLambdaContext } from "./runtime/lambda-context.ts";
export { readLinkedResources } from "./runtime/linked-resources.ts";
export {
  type LocalDeps,
  type LocalDepsOptions,
  localDeps,
} from "./runtime/local-deps.ts";
export {
  type Notifier,
  RecordingNotifier,
  renderNotification,
  SnsNotifier,
} from "./runtime/notifier.ts";
export { createObservability, inLambda, type Observability } from "./runtime/observability.ts";
export { formatPoints, RecordingSink } from "./runtime/recording-sink.ts";
export { awsHandler, type JobHandler, localHandler } from "./runtime/registry.ts";
export { cachedSloLoader } from "./runtime/slo-loader.ts";
