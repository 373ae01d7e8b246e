import { createS3Client, S3ShardObjectStore } from "@slo/aws";
import { DEFAULT_SHARD_OPTIONS, type ShardOptions } from "@slo/core/shard";
import {
  createBurnRateShard,
  createShardMerge,
  createSloCalculatorShard,
  currentShards,
  type ShardedDeps,
} from "../../jobs/sharded.ts";
import type { FunctionConfig } from "../config.ts";
import { FunctionConfigError } from "../errors.ts";
import { eventTimeMs } from "../job.ts";
import { S3ShardResults } from "../shard-results.ts";
import { awsBurnRateDeps } from "./burn-rate.ts";
import type { AwsDepsOptions } from "./common.ts";
import { requireBucket } from "./slo.ts";

/**
 * Shard options from `SLO_SHARD_ABOVE` / `SLO_SLOS_PER_SHARD` (set by
 * infra/sharded-evaluation.ts from the stage profile); defaults when unset.
 *
 * @example
 * shardOptionsFromEnv({ SLO_SHARD_ABOVE: "500", SLO_SLOS_PER_SHARD: "500" });
 */
export function shardOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): ShardOptions {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      throw new FunctionConfigError(
        `${name}="${raw}" is not a whole number >= ${min}; set it from the stage profile (jobs.shardAbove / jobs.slosPerShard)`,
      );
    }
    return n;
  };
  return {
    threshold: read("SLO_SHARD_ABOVE", DEFAULT_SHARD_OPTIONS.threshold, 0),
    targetSlosPerShard: read("SLO_SLOS_PER_SHARD", DEFAULT_SHARD_OPTIONS.targetSlosPerShard, 1),
  };
}

/**
 * AWS dependencies of the sharded jobs: the burn-rate evaluator's (CloudWatch, alert
 * state, SNS) plus one rollup object per shard and the shard results, both in the linked
 * rollup bucket.
 *
 * @example
 * export const shard = createBurnRateShard(awsShardedDeps(loadFunctionConfig("burn-rate-evaluator", process.env), process.env));
 */
export function awsShardedDeps(
  config: FunctionConfig,
  env: Readonly<Record<string, string | undefined>>,
  opts: AwsDepsOptions = {},
): ShardedDeps {
  const base = awsBurnRateDeps(config, opts);
  const bucket = requireBucket(config);
  const region = config.region !== undefined ? { region: config.region } : {};
  const s3 = base.obs.tracer.captureAWSv3Client(createS3Client({ ...region, ...opts.clients }));
  return {
    ...base,
    shardOptions: shardOptionsFromEnv(env),
    shardObjects: (signal) => new S3ShardObjectStore({ client: s3, bucket, signal }),
    shardResults: new S3ShardResults(s3, bucket),
  };
}

/**
 * The four entry points of the sharded jobs over the AWS wiring (what
 * `handlers/sharded.ts` exports; infra/contract runs them with recording clients):
 * `plan` lists the shards for the state machine's Map, `calculator` and `evaluator` run
 * one shard, `merge` notifies once after the evaluator's shards.
 *
 * @example
 * const { plan } = awsShardedHandlers(config, process.env, { clients });
 * await plan({ time: "2026-12-01T00:05:00Z" }); // { shards: [{ time, shard: "shard-0-of-4" }, ...] }
 */
export function awsShardedHandlers(
  config: FunctionConfig,
  env: Readonly<Record<string, string | undefined>>,
  opts: AwsDepsOptions = {},
) {
  const deps = awsShardedDeps(config, env, opts);
  return {
    /** `{ time }` -> `{ shards: [{ time, shard }] }`. */
    async plan(event: unknown): Promise<{ shards: { time: string; shard: string }[] }> {
      const time = new Date(eventTimeMs(event, deps.now)).toISOString();
      return { shards: (await currentShards(deps)).map((s) => ({ time, shard: s.id })) };
    },
    calculator: createSloCalculatorShard(deps),
    evaluator: createBurnRateShard(deps),
    merge: createShardMerge(deps),
  };
}
