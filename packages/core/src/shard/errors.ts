import { SloPlatformError } from "../errors.ts";
/**
 * Shard options that cannot be planned, or shard results that do not match their plan.
 *
 * @example
 * try { planShards(defs, { threshold: -1, targetSlosPerShard: 0 }); } catch (e) { e instanceof ShardPlanError; }
 */
export class ShardPlanError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "ShardPlanError";
  }
}
