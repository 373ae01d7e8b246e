import {
  createBurnRateShard,
  createShardMerge,
  createSloCalculatorShard,
  currentShards,
} from "../jobs/sharded.ts";
import { awsShardedDeps } from "../runtime/aws/sharded.ts";
import { loadFunctionConfig } from "../runtime/config.ts";
import { eventTimeMs } from "../runtime/job.ts";

/**
 * The sharded SLO jobs (infra/sharded-evaluation.ts), one bundle, four entry points:
 * `plan` lists the shards for the state machine's Map, `calculator` and `evaluator` run
 * one shard, `merge` notifies once after the evaluator's shards.
 */
const deps = awsShardedDeps(loadFunctionConfig("burn-rate-evaluator", process.env), process.env);

/** SST handler `packages/functions/src/handlers/sharded.plan`: `{ time }` -> `{ shards: [{ time, shard }] }`. */
export async function plan(event: unknown): Promise<{ shards: { time: string; shard: string }[] }> {
  const time = new Date(eventTimeMs(event, deps.now)).toISOString();
  return { shards: (await currentShards(deps)).map((s) => ({ time, shard: s.id })) };
}

/** SST handler `packages/functions/src/handlers/sharded.calculator` (one Map item). */
export const calculator = createSloCalculatorShard(deps);
/** SST handler `packages/functions/src/handlers/sharded.evaluator` (one Map item). */
export const evaluator = createBurnRateShard(deps);
/** SST handler `packages/functions/src/handlers/sharded.merge` (after the evaluator's Map). */
export const merge = createShardMerge(deps);
