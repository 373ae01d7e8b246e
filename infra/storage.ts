import { STAGE_REPORT_PREFIX } from "../packages/core/src/stage-report/model.ts";
import { SHARD_RESULTS_PREFIX } from "./sharded-evaluation.ts";

/** Days a replaced rollup object version is kept: enough to restore after a bad run. */
export const ROLLUP_NONCURRENT_DAYS = 30;

/**
 * The rollup store: one S3 object per SLO objective holding its per-step good/total
 * arrays (WIRING.md explains S3 over DynamoDB). Versioned, so a bad job run can be
 * undone by restoring the previous object versions; replaced versions expire.
 *
 * @example
 * const rollups = createRollupStore();
 */
export function createRollupStore() {
  const bucket = new sst.aws.Bucket("Rollups", { versioning: true });
  new aws.s3.BucketLifecycleConfiguration("RollupsLifecycle", {
    bucket: bucket.name,
    rules: [
      {
        id: "expire-replaced-rollups",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: ROLLUP_NONCURRENT_DAYS },
      },
      {
        // Sharded runs hand alert observations to their merge step here; a day is plenty.
        // Expiring a current version only hides it behind a delete marker in a versioned
        // bucket: the noncurrent copy goes a day later, not after the rollups' 30 days.
        id: "expire-shard-results",
        status: "Enabled",
        filter: { prefix: SHARD_RESULTS_PREFIX },
        expiration: { days: 1 },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
      },
      {
        // The stage report is rewritten every run (8,640 versions a month): a day of them
        // answers "what did the gate see at 14:05" without keeping a month.
        id: "expire-replaced-stage-reports",
        status: "Enabled",
        filter: { prefix: STAGE_REPORT_PREFIX },
        noncurrentVersionExpiration: { noncurrentDays: 1 },
      },
    ],
  });
  return bucket;
}
