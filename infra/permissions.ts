/**
 * Least-privilege IAM statements for the scheduled jobs, in SST's `permissions`
 * shape. Rules: no wildcard actions; `cloudwatch:PutMetricData` only with a
 * `cloudwatch:namespace` condition; resources scoped wherever the action supports it
 * (`cloudwatch:GetMetricData` and `elasticloadbalancing:Describe*` have no
 * resource-level permissions, hence `*`). The jobs publish their metrics as EMF log
 * lines, which needs no CloudWatch permission. infra/contract/ checks every statement
 * against the calls the jobs make in their tests, both ways.
 */

import { STAGE_REPORT_PREFIX } from "../packages/core/src/stage-report/model.ts";

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
      // The target groups carry their load balancer ARNs: no DescribeLoadBalancers.
      actions: ["elasticloadbalancing:DescribeTargetGroups"],
      resources: ["*"],
    },
  ];
}

/** Key prefix of the rollup objects (`S3RollupStore`'s default prefix). */
export const ROLLUP_PREFIX = "rollups/";
/** Key prefix of the burn-rate evaluator's alert state (`S3AlertStateStore`'s key). */
export const ALERT_STATE_PREFIX = "alert-state/";

/**
 * Reading (and optionally rewriting) the rollup objects under `rollups/`.
 * `s3:ListBucket` is what makes a GetObject of a missing key answer 404 `NoSuchKey`
 * instead of 403: the stores read "missing" as "nothing stored yet".
 *
 * @example
 * rollupAccess(bucket.arn, true); // ListBucket on the bucket, Get+Put on rollups/*
 */
export function rollupAccess(bucketArn: Str, write: boolean): PermissionStatement[] {
  return [
    // Without a prefix condition: S3 checks ListBucket (with no s3:prefix in the request
    // context) to decide between 404 and 403 for a missing key.
    { actions: ["s3:ListBucket"], resources: [bucketArn] },
    {
      actions: write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
      resources: [$interpolate`${bucketArn}/${ROLLUP_PREFIX}*`],
    },
  ];
}

/**
 * Reading and conditionally rewriting the burn-rate evaluator's alert state: only the
 * `alert-state/` prefix, so the pager keeps its state without being able to rewrite the
 * rollups it only reads (ListBucket comes with `rollupAccess`).
 *
 * @example
 * alertStateAccess(bucket.arn); // Get+Put on <bucket>/alert-state/*
 */
export function alertStateAccess(bucketArn: Str): PermissionStatement {
  return {
    actions: ["s3:GetObject", "s3:PutObject"],
    resources: [$interpolate`${bucketArn}/${ALERT_STATE_PREFIX}*`],
  };
}

/**
 * Writing the stage report (`reports/stage.json`, `@slo/core/stage-report`) that the gate
 * and doctor read: PUT only, under `reports/` only. The writer never reads it back, so
 * it gets no GetObject there, and it cannot touch the rollups or the alert state.
 *
 * @example
 * stageReportWrite(bucket.arn); // s3:PutObject on <bucket>/reports/*
 */
export function stageReportWrite(bucketArn: Str): PermissionStatement {
  return {
    actions: ["s3:PutObject"],
    resources: [$interpolate`${bucketArn}/${STAGE_REPORT_PREFIX}*`],
  };
}

/** Publishing alert notifications. */
export function publishAlerts(topicArns: Str[]): PermissionStatement {
  return { actions: ["sns:Publish"], resources: topicArns };
}
