/**
 * Least-privilege IAM statements for the scheduled jobs, in SST's `permissions`
 * shape. Rules: no wildcard actions; `cloudwatch:PutMetricData` only with a
 * `cloudwatch:namespace` condition; resources scoped wherever the action supports it
 * (`cloudwatch:GetMetricData`, `cloudwatch:PutMetricData` and
 * `elasticloadbalancing:Describe*` have no resource-level permissions, hence `*`).
 */

type Str = $util.Input<string>;

export interface PermissionStatement {
  readonly actions: string[];
  readonly resources: Str[];
  readonly conditions?: { test: string; variable: string; values: Str[] }[];
}

/** Reading any CloudWatch metric (the SLIs come from AWS/ApplicationELB and friends). */
export function readMetrics(): PermissionStatement {
  return { actions: ["cloudwatch:GetMetricData"], resources: ["*"] };
}

/**
 * Publishing metrics into exactly one namespace.
 *
 * @example
 * publishMetrics("Custom/SLO").conditions?.[0]?.variable; // "cloudwatch:namespace"
 */
export function publishMetrics(namespace: string): PermissionStatement {
  return {
    actions: ["cloudwatch:PutMetricData"],
    resources: ["*"],
    conditions: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: [namespace] }],
  };
}

/** ECS discovery of the cluster's services (Service -> target group -> load balancer). */
export function discoverServices(input: {
  clusterArn: Str;
  clusterName: Str;
  partition: Str;
  region: Str;
  accountId: Str;
}): PermissionStatement[] {
  const { clusterArn, clusterName, partition, region, accountId } = input;
  return [
    { actions: ["ecs:DescribeClusters"], resources: [clusterArn] },
    {
      actions: ["ecs:ListServices"],
      resources: ["*"],
      conditions: [{ test: "ArnEquals", variable: "ecs:cluster", values: [clusterArn] }],
    },
    {
      actions: ["ecs:DescribeServices"],
      resources: [
        $interpolate`arn:${partition}:ecs:${region}:${accountId}:service/${clusterName}/*`,
      ],
    },
    {
      actions: [
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeLoadBalancers",
      ],
      resources: ["*"],
    },
  ];
}

/** Reading (and optionally rewriting) the rollup objects. */
export function rollupAccess(bucketArn: Str, write: boolean): PermissionStatement[] {
  return [
    { actions: ["s3:ListBucket"], resources: [bucketArn] },
    {
      actions: write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
      resources: [$interpolate`${bucketArn}/*`],
    },
  ];
}

/** Publishing alert notifications. */
export function publishAlerts(topicArns: Str[]): PermissionStatement {
  return { actions: ["sns:Publish"], resources: topicArns };
}
