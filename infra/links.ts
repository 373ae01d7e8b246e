import type { StageProfile } from "../stacks/profile.ts";
import { type AlertTopics, topicFor } from "./alerts.ts";

/**
 * What the Lambdas link to (WIRING.md): `RollupBucket`, `AlertTopicPage`,
 * `AlertTopicTicket`. They are `sst.Linkable`s carrying the same properties the real
 * components expose (`name` for the bucket, `arn` for topics) but no permissions:
 * linking the components directly would grant `s3:*` / `sns:*`, so each job lists its
 * own least-privilege statements instead (`infra/permissions.ts`). The topics follow
 * the profile's routing, so the evaluator's pages land where the alarms' would (the
 * ticket topic in dev).
 *
 * @example
 * const links = createLinks(rollups, topics, profile);
 * new sst.aws.Function("Job", { handler: "...", link: [links.rollupBucket] });
 */
export function createLinks(rollups: sst.aws.Bucket, topics: AlertTopics, profile: StageProfile) {
  return {
    rollupBucket: new sst.Linkable("RollupBucket", { properties: { name: rollups.name } }),
    alertTopicPage: new sst.Linkable("AlertTopicPage", {
      properties: { arn: topicFor(topics, profile, "page").arn },
    }),
    alertTopicTicket: new sst.Linkable("AlertTopicTicket", {
      properties: { arn: topicFor(topics, profile, "ticket").arn },
    }),
  };
}

export type JobLinks = ReturnType<typeof createLinks>;
