import { awsShardedHandlers } from "../runtime/aws/sharded.ts";
import { loadFunctionConfig } from "../runtime/config.ts";

/**
 * The sharded jobs (infra/sharded-evaluation.ts), one bundle, four entry points:
 * `plan` lists the shards for the state machine's Map, `calculator` and `evaluator` run
 * one shard, `merge` notifies once after the evaluator's shards.
 */
const handlers = awsShardedHandlers(
  loadFunctionConfig("burn-rate-evaluator", process.env),
  process.env,
);

/** SST handler `packages/functions/src/handlers/sharded.plan`: `{ time }` -> `{ shards: [{ time, shard }] }`. */
export const plan = handlers.plan;
/** SST handler `packages/functions/src/handlers/sharded.calculator` (one Map item). */
export const calculator = handlers.calculator;
/** SST handler `packages/functions/src/handlers/sharded.evaluator` (one Map item). */
export const evaluator = handlers.evaluator;
/** SST handler `packages/functions/src/handlers/sharded.merge` (after the evaluator's Map). */
export const merge = handlers.merge;
