/**
 * `@slo/aws`: the platform's AWS adapters.
 *
 * - Reading: `CloudWatchMetricsSource` (a core `MetricsSource` over GetMetricData) with
 *   `ServiceDimensionResolver` + `EcsDiscovery` mapping the logical `Service` dimension.
 * - Incremental counts: `updateSloRollups` (or the generic `updateRollups`) over a
 *   `RollupStore` (`S3RollupStore` in AWS, `FileRollupStore`/`MemoryRollupStore` locally).
 * - Publishing: `EmfSink` (Lambda) and `PutMetricDataSink`, fed by `sloReportPoints` and
 *   `ecsCapacityPoints`.
 * - Operations: `planRollback`/`executeRollback` (ECS task definition rollback) and
 *   `suspendScaling`/`resumeScaling`/`describeScaling` (Application Auto Scaling).
 * - Plumbing: `create*Client` (adaptive retries, timeouts), `createRunBudget` (AbortSignal
 *   deadline per run), and the error classes.
 */
export type { RunBudget } from "./budget.ts";
export { callAws, createRunBudget } from "./budget.ts";
export type { AnyClientPlugin, AwsClientOptions } from "./clients.ts";
export {
  createAutoScalingClient,
  createCloudWatchClient,
  createEc2Client,
  createEcsClient,
  createElbv2Client,
  createLatticeClient,
  createS3Client,
  DEFAULT_MAX_ATTEMPTS,
  withPlugins,
} from "./clients.ts";
export { MAX_DATAPOINTS_PER_CALL, MAX_QUERIES_PER_CALL } from "./cloudwatch/batch.ts";
export type { DimensionResolver } from "./cloudwatch/dimensions.ts";
export { passThroughDimensions, ServiceDimensionResolver } from "./cloudwatch/dimensions.ts";
export {
  choosePeriodSeconds,
  finestRetainedPeriodMs,
  RETENTION_TIERS,
} from "./cloudwatch/period.ts";
export type {
  CloudWatchMetricSeries,
  CloudWatchMetricsSourceOptions,
  CloudWatchSourceStats,
} from "./cloudwatch/source.ts";
export { CloudWatchMetricsSource } from "./cloudwatch/source.ts";
export { loadBalancerDimension, targetGroupDimension } from "./ecs/arn.ts";
export type {
  DiscoveredService,
  EcsDiscoveryOptions,
  TargetGroupBinding,
} from "./ecs/discovery.ts";
export { EcsDiscovery } from "./ecs/discovery.ts";
export {
  AwsCallError,
  BudgetExceededError,
  CloudWatchQueryError,
  DiscoveryError,
  PublishError,
  RollupConflictError,
  RollupCorruptError,
  SinkValidationError,
} from "./errors.ts";
export type {
  ApplyAppSignalsOptions,
  AppSignalsApplyResult,
} from "./ops/application-signals.ts";
export {
  applyApplicationSignalsSlos,
  createApplicationSignalsClient,
  OWNER_TAG,
  SPEC_HASH_TAG,
  specHash,
} from "./ops/application-signals.ts";
export {
  type DoctorClients,
  type DoctorMetric,
  readStage,
  type StageReadRequest,
} from "./ops/doctor/read.ts";
export {
  PostureError,
  RollbackError,
  RollbackTimeoutError,
  ScalingOpError,
  StageReadError,
} from "./ops/errors.ts";
export {
  comparePosture,
  type DeclaredPosture,
  declaredPosture,
  type ObservedPosture,
  type ObservedService,
  type PostureCheck,
  type PostureClients,
  type PostureFinding,
  principalsOf,
  readPosture,
} from "./ops/posture.ts";
export type {
  DeploymentSummary,
  ExecuteRollbackOptions,
  PlanRollbackOptions,
  RollbackPlan,
  RollbackResult,
} from "./ops/rollback.ts";
export { DEFAULT_POLL_MS, executeRollback, planRollback } from "./ops/rollback.ts";
export type { TaskDefinitionRef } from "./ops/rollback-target.ts";
export { chooseRollbackTarget, parseTaskDefinitionArn } from "./ops/rollback-target.ts";
export type {
  ScalingChange,
  ScalingChangeResult,
  ScalingPolicySummary,
  ScalingStatus,
  ScalingTargetOptions,
  SuspendedFlags,
} from "./ops/scaling.ts";
export {
  describeScaling,
  ecsResourceId,
  nextSuspendedState,
  resumeScaling,
  suspendScaling,
} from "./ops/scaling.ts";
export { readTaskCounts, type TaskCounts } from "./ops/tasks.ts";
export type { AmpCredentials, FetchLike, PrometheusSourceOptions } from "./prometheus/index.ts";
export {
  ampFetch,
  ampRegion,
  MAX_POINTS_PER_SERIES,
  PrometheusMetricsSource,
  PrometheusQueryError,
} from "./prometheus/index.ts";
export type { RollupRecord } from "./rollup/codec.ts";
export { decodeRollup, encodeRollup, ROLLUP_FORMAT_VERSION } from "./rollup/codec.ts";
export { FileRollupStore } from "./rollup/file-store.ts";
export type {
  CountsFetcher,
  FetchedCounts,
  RollupOutcome,
  RollupResult,
  RollupSpec,
  UpdateRollupsOptions,
  UpdateRollupsResult,
} from "./rollup/incremental.ts";
export { maxBackfillMs, updateRollups } from "./rollup/incremental.ts";
export { rollupFingerprint, rollupKey, rollupRetentionMs } from "./rollup/keys.ts";
export { MemoryRollupStore } from "./rollup/memory-store.ts";
export {
  getObjectIfExists,
  putObject,
  putObjectIfUnchanged,
  type S3ObjectRef,
} from "./rollup/s3-object.ts";
export type { S3ShardObjectStoreOptions } from "./rollup/s3-shard-store.ts";
export { S3ShardObjectStore } from "./rollup/s3-shard-store.ts";
export type { S3RollupStoreOptions } from "./rollup/s3-store.ts";
export { S3RollupStore } from "./rollup/s3-store.ts";
export {
  decodeShardRollups,
  encodeShardRollups,
  SHARD_FORMAT_VERSION,
} from "./rollup/shard-codec.ts";
export type { ShardObjectStore } from "./rollup/shard-store.ts";
export {
  MemoryShardObjectStore,
  ShardRollupStore,
  shardObjectName,
} from "./rollup/shard-store.ts";
export type { SloRollupState, UpdateSloRollupsOptions } from "./rollup/slo-rollups.ts";
export { collectCountsFetcher, sloRollupSpecs, updateSloRollups } from "./rollup/slo-rollups.ts";
export type { RollupReadResult, RollupStore } from "./rollup/store.ts";
export type { EmfSinkOptions } from "./sinks/emf.ts";
export { EMF_MAX_METRICS, EmfSink, toEmfLines } from "./sinks/emf.ts";
export {
  ALERT_STATE_VALUE,
  ECS_NAMESPACE,
  ecsCapacityPoints,
  serviceAlertStatePoints,
  sloReportPoints,
} from "./sinks/points.ts";
export type { PutMetricDataSinkOptions } from "./sinks/put-metric-data.ts";
export {
  PUT_MAX_BYTES,
  PUT_MAX_METRICS,
  PutMetricDataSink,
  planPutCalls,
} from "./sinks/put-metric-data.ts";
export type { MetricPoint, MetricSink, MetricUnit, PublishResult } from "./sinks/types.ts";
export { MAX_DIMENSIONS, validatePoints } from "./sinks/types.ts";
export {
  MemoryStageReportStore,
  S3StageReportStore,
  type StageReportStore,
} from "./stage-report/store.ts";
