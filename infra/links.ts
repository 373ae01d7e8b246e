import type { AlertTopics } from "./alerts.ts";

/**
 * What the Lambdas link to (WIRING.md): `RollupBucket`, `AlertTopicPage`,
 * `AlertTopicTicket`. They are `sst.Linkable`s carrying the same properties the real
 * components expose (`name` for the bucket, `arn` for topics) but no permissions:
 * linking the components directly would grant `s3:*` / `sns:*`, so each job lists its
 * own least-privilege statements instead (`infra/permissions.ts`).
 *
 * @example
 * const links = createLinks(rollups, topics);
 * new sst.aws.Function("Job", { handler: "...", link: [links.rollupBucket] });
 */
export function createLinks(rollups: sst.aws.Bucket, topics: AlertTopics) {
  return {
    rollupBucket: new sst.Linkable("RollupBucket", { properties: { name: rollups.name } }),
    alertTopicPage: new sst.Linkable("AlertTopicPage", { properties: { arn: topics.page.arn } }),
    alertTopicTicket: new sst.Linkable("AlertTopicTicket", {
      properties: { arn: topics.ticket.arn },
    }),
  };
}

export type JobLinks = ReturnType<typeof createLinks>;
