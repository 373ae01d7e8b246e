/**
 * `@slo/core/shard`: splitting a large fleet's evaluation by service and merging the
 * shards' results back into one evaluation for the notifier. Pure planning; the jobs and
 * infra run the shards.
 */
export { ShardPlanError } from "./errors.ts";
export { type MergedOutcome, mergeShardOutcomes, type ShardOutcome } from "./merge.ts";
export {
  DEFAULT_SHARD_OPTIONS,
  fnv1a,
  planShards,
  SHARD_MAP_CONCURRENCY,
  type Shard,
  type ShardOptions,
  shardDefinitions,
  shardId,
} from "./plan.ts";
