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

/** Days a replaced canary code version is kept: the window to roll a canary back by hand. */
export const CANARY_CODE_NONCURRENT_DAYS = 30;

/** Key of the canary's code zip in the code bucket (one key; versions tell builds apart). */
export const CANARY_CODE_KEY = "code/slo-canary.zip";

/**
 * One Synthetics canary per service probing its health path and one API path through
 * the shared ALB, an artifacts bucket whose run records expire, a versioned code bucket
 * whose current versions never do, and one execution role limited to the artifacts
 * bucket, its log groups and the `CloudWatchSynthetics` namespace.
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
  const code = createCanaryCode(root);
  const role = createCanaryRole(artifacts);
  const canaries = fleet.map(
    (spec) =>
      new aws.synthetics.Canary(`${componentName(spec.name)}Canary`, {
        name: canaryName(spec.name, $app.stage),
        runtimeVersion: CANARY_RUNTIME_VERSION,
        handler: CANARY_HANDLER,
        // A pinned version of an object no lifecycle rule expires: a canary created or
        // updated in any later deploy finds its code, and a code change reaches every
        // canary because a new upload is a new version id.
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
            // The mesh step (issue 11): only services that call someone have a path to prove.
            ...(spec.calls.length > 0 ? { CANARY_DOWNSTREAMS_PATH: "/downstreams" } : {}),
          },
        },
        tags: { Service: spec.name },
      }),
  );
  return { artifacts, role, canaries };
}

/**
 * The canary's code in its own bucket rather than under a prefix of the artifacts
 * bucket: a version id exists only on a versioned bucket, and versioning the artifacts
 * bucket would keep every expired run record as a noncurrent version. Here the current
 * version never expires; replaced versions expire after
 * {@link CANARY_CODE_NONCURRENT_DAYS}. The upload waits for versioning to be enabled,
 * because an object written before that has the version id `null` in S3.
 */
function createCanaryCode(root: string) {
  const bucket = new sst.aws.Bucket("CanaryCodeBucket");
  const versioning = new aws.s3.BucketVersioning("CanaryCodeVersioning", {
    bucket: bucket.name,
    versioningConfiguration: { status: "Enabled" },
  });
  new aws.s3.BucketLifecycleConfiguration(
    "CanaryCodeLifecycle",
    {
      bucket: bucket.name,
      rules: [
        {
          id: "expire-replaced-canary-code",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: CANARY_CODE_NONCURRENT_DAYS },
        },
      ],
    },
    { dependsOn: [versioning] },
  );
  return new aws.s3.BucketObjectv2(
    "CanaryCode",
    {
      bucket: bucket.name,
      key: CANARY_CODE_KEY,
      source: new $util.asset.AssetArchive({
        [CANARY_ZIP_ENTRY]: new $util.asset.StringAsset(
          bundleCanaryHandler(path.join(root, "packages", "canaries", "src", "handler.ts")),
        ),
      }),
    },
    { dependsOn: [versioning] },
  );
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
