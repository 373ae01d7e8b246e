import path from "node:path";
// One packaging path for the canary: the package's own bundler (it rewrites
// import.meta.url so the lazy Synthetics require works in the CommonJS bundle).
import {
  bundleCanaryHandler,
  CANARY_HANDLER,
  CANARY_RUNTIME_VERSION,
  CANARY_ZIP_ENTRY,
} from "../packages/canaries/src/package.ts";
import { canaryName } from "../packages/core/src/monitoring/names.ts";
import type { FleetService } from "../stacks/fleet.ts";
import type { StageProfile } from "../stacks/profile.ts";
import { servicePathPrefix } from "./load-balancer.ts";
import { componentName } from "./services.ts";

/**
 * One Synthetics canary per service probing its health path and one API path through
 * the shared ALB, an artifacts bucket whose objects expire, and one execution role
 * limited to that bucket, its log groups and the `CloudWatchSynthetics` namespace.
 *
 * @example
 * const canaries = createCanaries({ root, profile, fleet: FLEET, albUrl: alb.url });
 */
export function createCanaries(input: {
  root: string;
  profile: StageProfile;
  fleet: readonly FleetService[];
  albUrl: $util.Input<string>;
}) {
  const { root, profile, fleet, albUrl } = input;
  const artifacts = new sst.aws.Bucket("CanaryArtifacts", {
    lifecycle: [
      { id: "expire-artifacts", expiresIn: `${profile.canaries.artifactRetentionDays} days` },
    ],
  });
  const code = new aws.s3.BucketObjectv2("CanaryCode", {
    bucket: artifacts.name,
    key: "code/slo-canary.zip",
    source: new $util.asset.AssetArchive({
      [CANARY_ZIP_ENTRY]: new $util.asset.StringAsset(
        bundleCanaryHandler(path.join(root, "packages", "canaries", "src", "handler.ts")),
      ),
    }),
  });
  const role = createCanaryRole(artifacts);
  const canaries = fleet.map(
    (spec) =>
      new aws.synthetics.Canary(`${componentName(spec.name)}Canary`, {
        name: canaryName(spec.name, $app.stage),
        runtimeVersion: CANARY_RUNTIME_VERSION,
        handler: CANARY_HANDLER,
        s3Bucket: code.bucket,
        s3Key: code.key,
        s3Version: code.versionId,
        executionRoleArn: role.arn,
        artifactS3Location: $interpolate`s3://${artifacts.name}/runs/${spec.name}/`,
        schedule: { expression: profile.canaries.schedule },
        // `sst dev` deploys no service behind the ALB (they run locally), so a running
        // canary would only record failures and bill each run; it is declared stopped.
        startCanary: !$dev,
        successRetentionPeriod: profile.canaries.artifactRetentionDays,
        failureRetentionPeriod: profile.canaries.artifactRetentionDays,
        runConfig: {
          timeoutInSeconds: 60,
          environmentVariables: {
            CANARY_BASE_URL: $interpolate`${albUrl}`.apply(
              (url) => `${url.replace(/\/$/, "")}${servicePathPrefix(spec.name)}`,
            ),
            CANARY_HEALTH_PATH: spec.healthPath,
            CANARY_API_PATH: spec.apiPath,
          },
        },
        tags: { Service: spec.name },
      }),
  );
  return { artifacts, role, canaries };
}

function createCanaryRole(artifacts: sst.aws.Bucket) {
  const partition = aws.getPartitionOutput().partition;
  const region = aws.getRegionOutput().region;
  const accountId = aws.getCallerIdentityOutput().accountId;
  return new aws.iam.Role("CanaryRole", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
    inlinePolicies: [
      {
        name: "canary",
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [
            {
              actions: ["s3:PutObject", "s3:GetObject"],
              resources: [$interpolate`${artifacts.arn}/*`],
            },
            { actions: ["s3:GetBucketLocation"], resources: [artifacts.arn] },
            // Synthetics lists buckets to validate the artifact location; no resource scoping exists.
            { actions: ["s3:ListAllMyBuckets"], resources: ["*"] },
            {
              actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
              resources: [
                $interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:/aws/lambda/cwsyn-*`,
              ],
            },
            {
              actions: ["cloudwatch:PutMetricData"],
              resources: ["*"],
              conditions: [
                {
                  test: "StringEquals",
                  variable: "cloudwatch:namespace",
                  values: ["CloudWatchSynthetics"],
                },
              ],
            },
          ],
        }).json,
      },
    ],
  });
}
