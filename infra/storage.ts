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
        id: "expire-shard-results",
        status: "Enabled",
        filter: { prefix: "shard-results/" },
        expiration: { days: 1 },
      },
    ],
  });
  return bucket;
}
