import { STAGE_REPORT_PREFIX } from "../packages/core/src/stage-report/model.ts";
import type { StageProfile } from "../stacks/profile.ts";
import type { PermissionStatement } from "./permissions.ts";

type Str = $util.Input<string>;

/**
 * What an operator (a person or a CI role) needs for `slo gate --aws`, `slo rollback`,
 * `slo scaling`, `slo doctor` (with its zero-trust posture check), `slo loadtest
 * --cluster` and `slo export application-signals --apply` against this stage, and
 * nothing else (doctor and loadtest only read; the export never deletes).
 * infra/contract/ checks every
 * call those commands make in their tests against it, both ways.
 *
 * @example
 * operatorStatements({ clusterName, bucketArn, partition: "aws", region: "eu-west-1", accountId, lattice: true });
 */
export function operatorStatements(input: {
  clusterName: Str;
  /** The rollup bucket, where the burn-rate evaluator writes the stage report. */
  bucketArn: Str;
  partition: Str;
  region: Str;
  accountId: Str;
  /** The stage authenticates callers with VPC Lattice (profile `zeroTrust.callerAuth`). */
  lattice: boolean;
}): PermissionStatement[] {
  const { clusterName, bucketArn, partition, region, accountId, lattice } = input;
  const services = $interpolate`arn:${partition}:ecs:${region}:${accountId}:service/${clusterName}/*`;
  const clusterArn = $interpolate`arn:${partition}:ecs:${region}:${accountId}:cluster/${clusterName}`;
  return [
    // slo gate --aws and slo doctor read the stage report, and nothing else of the bucket.
    {
      actions: ["s3:GetObject"],
      resources: [$interpolate`${bucketArn}/${STAGE_REPORT_PREFIX}*`],
    },
    // Without it S3 answers a stage with no report yet 403 instead of 404, and the gate
    // could not tell "deploy the stage and wait one run" from "this policy is missing".
    // S3 checks it with no s3:prefix in the request context, so it cannot be narrowed to
    // reports/; what it adds is listing the bucket's key names (SLO and shard names,
    // which the operator's slos/ already holds), not reading any object.
    { actions: ["s3:ListBucket"], resources: [bucketArn] },
    // slo doctor reads the jobs' heartbeats, the canaries and the dead-letter queue depth
    // (no resource-level permission).
    { actions: ["cloudwatch:GetMetricData"], resources: ["*"] },
    // slo rollback reads the service and updates it; slo scaling suspend/resume needs the
    // same two on the service when it re-registers the scalable target (AWS: "IAM
    // permissions required for Amazon ECS service auto scaling").
    { actions: ["ecs:DescribeServices", "ecs:UpdateService"], resources: [services] },
    // The family's revisions (no resource-level permission).
    { actions: ["ecs:ListTaskDefinitions"], resources: ["*"] },
    {
      actions: [
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
      ],
      resources: ["*"],
    },
    // slo doctor: where each service's tasks run (zones), in this cluster only.
    {
      actions: ["ecs:ListTasks"],
      resources: ["*"],
      conditions: [{ test: "ArnEquals", variable: "ecs:cluster", values: [clusterArn] }],
    },
    {
      actions: ["ecs:DescribeTasks"],
      resources: [$interpolate`arn:${partition}:ecs:${region}:${accountId}:task/${clusterName}/*`],
    },
    // slo doctor: target health and health check paths, scaling activities and the
    // predictive forecast (none has resource-level permissions), the stage's alarms.
    {
      actions: [
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        "application-autoscaling:DescribeScalingActivities",
        "application-autoscaling:GetPredictiveScalingForecast",
      ],
      resources: ["*"],
    },
    {
      actions: ["cloudwatch:DescribeAlarms"],
      resources: [$interpolate`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`],
    },
    // slo doctor's zero-trust posture check (packages/aws ops/posture.ts): read-only, and
    // neither has resource-level permissions.
    {
      actions: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"],
      resources: ["*"],
    },
    // Where callers authenticate through Lattice: task roles (the callers' identities) and
    // the auth policies of this account's Lattice services, nothing else of Lattice.
    ...(lattice
      ? [
          {
            actions: ["ecs:DescribeTaskDefinition", "vpc-lattice:ListServices"],
            resources: ["*"],
          },
          {
            actions: ["vpc-lattice:GetAuthPolicy"],
            resources: [
              $interpolate`arn:${partition}:vpc-lattice:${region}:${accountId}:service/*`,
            ],
          },
        ]
      : []),
    // Suspend/resume re-registers the service's existing target: ECS desired count only.
    {
      actions: ["application-autoscaling:RegisterScalableTarget"],
      resources: ["*"],
      conditions: [
        {
          test: "StringEquals",
          variable: "application-autoscaling:service-namespace",
          values: ["ecs"],
        },
        {
          test: "StringEquals",
          variable: "application-autoscaling:scalable-dimension",
          values: ["ecs:service:DesiredCount"],
        },
      ],
    },
    // slo export application-signals --apply: list and create have no resource-level
    // permission; the rest act on the SLOs by ARN (slo/<name>). No DeleteServiceLevelObjective.
    {
      actions: [
        "application-signals:ListServiceLevelObjectives",
        "application-signals:CreateServiceLevelObjective",
      ],
      resources: ["*"],
    },
    {
      actions: [
        "application-signals:UpdateServiceLevelObjective",
        "application-signals:ListTagsForResource",
        "application-signals:TagResource",
        "application-signals:ListServiceLevelObjectiveExclusionWindows",
        "application-signals:BatchUpdateExclusionWindows",
      ],
      resources: [$interpolate`arn:${partition}:application-signals:${region}:${accountId}:slo/*`],
    },
  ];
}

/**
 * The operator policy as an IAM customer managed policy (free; attach it to the CI
 * role or an SSO permission set by ARN, the `operatorPolicy` stack output).
 *
 * @example
 * const policy = createOperatorPolicy(cluster, rollups, profile);
 * policy.arn; // output as operatorPolicy
 */
export function createOperatorPolicy(
  cluster: sst.aws.Cluster,
  rollups: sst.aws.Bucket,
  profile: StageProfile,
): aws.iam.Policy {
  const statements = operatorStatements({
    lattice: profile.zeroTrust.callerAuth === "lattice-iam",
    clusterName: cluster.nodes.cluster.name,
    bucketArn: rollups.arn,
    partition: aws.getPartitionOutput().partition,
    region: aws.getRegionOutput().region,
    accountId: aws.getCallerIdentityOutput().accountId,
  });
  return new aws.iam.Policy("OperatorPolicy", {
    description: `slo gate --aws, rollback, scaling, doctor, loadtest and export application-signals --apply for stage ${$app.stage}`,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: statements.map((s) => ({
        actions: s.actions,
        resources: s.resources,
        ...(s.conditions ? { conditions: s.conditions } : {}),
      })),
    }).json,
  });
}
