import type { AnyClientPlugin } from "../../packages/aws/src/clients.ts";
import { fakeGetMetricData } from "../../packages/aws/testing/fake-cloudwatch.ts";
import type { AwsEnv } from "./iam-requests.ts";

/** The deployed stage as the fake sees it: names come from the planned stage. */
export interface FakeWorld {
  readonly env: AwsEnv;
  readonly clusterName: string;
  readonly services: readonly string[];
  readonly bucket: string;
  readonly topicArns: readonly string[];
  /** The one service whose error ratio pages (5 %); the rest run at 0.01 %. */
  readonly failingService: string;
  /** The zero-trust posture deployed as the stage declares it (infra/mesh.ts). */
  readonly mesh?: FakeMesh;
}

/** Who calls whom and which layers the stage turns on. */
export interface FakeMesh {
  readonly stage: string;
  readonly tls: boolean;
  readonly lattice: boolean;
  readonly ecsExec: boolean;
  readonly ports: Readonly<Record<string, number>>;
  readonly calls: Readonly<Record<string, readonly string[]>>;
}

type Input = Record<string, unknown>;
/** A GetMetricData answer per query and step (the SDK types stay in packages/aws). */
type ValueAt = Parameters<typeof fakeGetMetricData>[0];

/** A service error as the SDK's deserializer would raise it. */
function awsError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    Code: name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}

const TG_ID = "73e2d6bc24d8a067";
const TASK_FAMILY_REVISIONS = 3;

/**
 * Answers the commands the jobs and operator ops send, as one consistent account:
 * the planned cluster, bucket and topics exist, nothing else does; S3 writes are
 * conditional (If-None-Match / If-Match, 412 on a lost race); AWS's request limits
 * are refused like AWS refuses them. It answers at the `build` step, after the SDK has
 * serialized (validated) the request, so the real clients run every step up to the wire.
 *
 * @example
 * const fake = new FakeAws(world);
 * const s3 = createS3Client({ region, plugins: [recorder.plugin(), fake.plugin()] });
 */
export class FakeAws {
  readonly world: FakeWorld;
  readonly objects = new Map<string, { body: Uint8Array; etag: string }>();
  readonly published: Input[] = [];
  readonly #taskDefinition = new Map<string, string>();
  readonly #suspended = new Map<string, Record<string, boolean>>();
  /** Application Signals SLOs by name (none exist until the export creates them). */
  readonly slos = new Map<
    string,
    { arn: string; evaluationType: string; tags: Map<string, string>; windows: Input[] }
  >();
  #etag = 0;
  #deployment = 0;

  constructor(world: FakeWorld) {
    this.world = world;
    for (const s of world.services)
      this.#taskDefinition.set(s, this.#taskDefArn(s, TASK_FAMILY_REVISIONS));
  }

  #taskDefArn(service: string, revision: number): string {
    const { partition, region, accountId } = this.world.env;
    return `arn:${partition}:ecs:${region}:${accountId}:task-definition/${service}:${revision}`;
  }

  #clusterArn(): string {
    const { partition, region, accountId } = this.world.env;
    return `arn:${partition}:ecs:${region}:${accountId}:cluster/${this.world.clusterName}`;
  }

  #requireCluster(input: Input): void {
    const c = input.cluster;
    if (c !== this.world.clusterName && c !== this.#clusterArn()) {
      throw awsError("ClusterNotFoundException", 400, `Cluster not found: ${String(c)}`);
    }
  }

  #requireBucket(input: Input): string {
    if (input.Bucket !== this.world.bucket) {
      throw awsError(
        "NoSuchBucket",
        404,
        `The specified bucket does not exist: ${String(input.Bucket)}`,
      );
    }
    return String(input.Key);
  }

  #targetGroupArn(service: string): string {
    const { partition, region, accountId } = this.world.env;
    return `arn:${partition}:elasticloadbalancing:${region}:${accountId}:targetgroup/${service}/${TG_ID}`;
  }

  #groupId(name: string): string {
    return `sg-${name}`;
  }

  #latticeArn(name: string): string {
    const { partition, region, accountId } = this.world.env;
    return `arn:${partition}:vpc-lattice:${region}:${accountId}:service/svc-${name}`;
  }

  /** An SLO by name or ARN, as Application Signals resolves `Id`. */
  #slo(id: unknown) {
    const found = [...this.slos.entries()].find(([name, s]) => s.arn === id || name === id);
    if (!found) throw awsError("ResourceNotFoundException", 404, `SLO ${String(id)} not found`);
    return found[1];
  }

  #taskRoleArn(name: string): string {
    const { partition, accountId } = this.world.env;
    return `arn:${partition}:iam::${accountId}:role/${name}-task`;
  }

  /** Ingress rules as the mesh declares them: the ALB, callers, Lattice's prefix list. */
  #ingressRules(group: string) {
    const mesh = this.world.mesh;
    if (!mesh) return [];
    const name = group.replace(/^sg-/, "");
    const port = mesh.ports[name];
    if (port === undefined) return [];
    const callers = Object.entries(mesh.calls)
      .filter(([, callees]) => callees.includes(name))
      .map(([caller]) => caller);
    const rule = (id: number, from: Record<string, unknown>) => ({
      SecurityGroupRuleId: `sgr-${name}-${id}`,
      GroupId: group,
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: port,
      ToPort: port,
      ...from,
    });
    return [
      rule(0, { ReferencedGroupInfo: { GroupId: "sg-alb" } }),
      ...callers.map((c, i) => rule(i + 1, { ReferencedGroupInfo: { GroupId: this.#groupId(c) } })),
      ...(mesh.lattice ? [rule(99, { PrefixListId: "pl-0lattice" })] : []),
      {
        SecurityGroupRuleId: `sgr-${name}-out`,
        GroupId: group,
        IsEgress: true,
        IpProtocol: "-1",
        CidrIpv4: "0.0.0.0/0",
      },
    ];
  }

  #serviceView(name: string) {
    const { partition, region, accountId } = this.world.env;
    const taskDefinition = this.#taskDefinition.get(name) as string;
    const mesh = this.world.mesh;
    const connect = mesh && {
      serviceConnectConfiguration: {
        enabled: true,
        services: [
          {
            portName: "http",
            ...(mesh.tls
              ? {
                  tls: {
                    issuerCertificateAuthority: {
                      awsPcaAuthorityArn: `arn:${partition}:acm-pca:${region}:${accountId}:certificate-authority/mesh`,
                    },
                  },
                }
              : {}),
          },
        ],
      },
    };
    return {
      serviceName: name,
      ...(mesh
        ? {
            enableExecuteCommand: mesh.ecsExec,
            networkConfiguration: {
              awsvpcConfiguration: { subnets: [], securityGroups: [this.#groupId(name)] },
            },
          }
        : {}),
      serviceArn: `arn:${partition}:ecs:${region}:${accountId}:service/${this.world.clusterName}/${name}`,
      status: "ACTIVE",
      taskDefinition,
      loadBalancers: [{ targetGroupArn: this.#targetGroupArn(name) }],
      deployments: [
        {
          id: `ecs-svc/${this.#deployment}`,
          status: "PRIMARY",
          taskDefinition,
          rolloutState: "COMPLETED",
          runningCount: 2,
          desiredCount: 2,
          ...connect,
        },
      ],
    };
  }

  /** Load follows the hour of day (0.5x-1.5x), CPU the load per task: fits the capacity model. */
  #valueAt: ValueAt = (q, tMs) => {
    const m = q.MetricStat;
    const load = 1 + 0.5 * Math.sin((2 * Math.PI * (tMs % 86_400_000)) / 86_400_000);
    const tg = m?.Metric?.Dimensions?.find((d) => d.Name === "TargetGroup")?.Value ?? "";
    const scale = (m?.Period ?? 300) / 300;
    const name = m?.Metric?.MetricName;
    const stat = m?.Stat ?? "";
    if (name === "HTTPCode_Target_5XX_Count") {
      return (tg.startsWith(`targetgroup/${this.world.failingService}/`) ? 50 : 0.1) * scale;
    }
    if (name === "TargetConnectionErrorCount") return 0;
    if (stat.startsWith("TC(")) return 998 * scale;
    if (name === "CPUUtilization") return 10 + 40 * load;
    if (name === "RunningTaskCount") return 2;
    return 1000 * load * scale;
  };

  /** The answer to one command (throws what AWS would). */
  answer(clientName: string, commandName: string, input: Input): Record<string, unknown> {
    const key = `${clientName}:${commandName.replace(/Command$/, "")}`;
    switch (key) {
      case "CloudWatchClient:GetMetricData": {
        const queries = (input.MetricDataQueries as unknown[] | undefined) ?? [];
        if (queries.length > 500) {
          throw awsError(
            "ValidationError",
            400,
            "The collection MetricDataQueries must not have a size greater than 500.",
          );
        }
        return { ...fakeGetMetricData(this.#valueAt)(input as never) };
      }
      case "CloudWatchClient:PutMetricData": {
        if (((input.MetricData as unknown[] | undefined) ?? []).length > 1000) {
          throw awsError(
            "InvalidParameterValue",
            400,
            "The collection MetricData must not have a size greater than 1000.",
          );
        }
        return {};
      }
      case "ECSClient:ListServices":
        this.#requireCluster(input);
        return { serviceArns: this.world.services.map((s) => this.#serviceView(s).serviceArn) };
      case "ECSClient:DescribeServices": {
        this.#requireCluster(input);
        const wanted = (input.services as string[] | undefined) ?? [];
        if (wanted.length > 10) {
          throw awsError("InvalidParameterException", 400, "services can have at most 10 items.");
        }
        const names = wanted.map((s) => s.split("/").pop() as string);
        return {
          services: names
            .filter((n) => this.#taskDefinition.has(n))
            .map((n) => this.#serviceView(n)),
          failures: names
            .filter((n) => !this.#taskDefinition.has(n))
            .map((n) => ({ arn: n, reason: "MISSING" })),
        };
      }
      case "ECSClient:ListTasks": {
        this.#requireCluster(input);
        const name = String(input.serviceName);
        if (!this.#taskDefinition.has(name)) {
          throw awsError("ServiceNotFoundException", 400, `Service not found: ${name}`);
        }
        const { partition, region, accountId } = this.world.env;
        return {
          taskArns: [0, 1].map(
            (k) =>
              `arn:${partition}:ecs:${region}:${accountId}:task/${this.world.clusterName}/${name.replace(/-/g, "")}${k}`,
          ),
        };
      }
      case "ECSClient:DescribeTasks": {
        this.#requireCluster(input);
        const tasks = (input.tasks as string[] | undefined) ?? [];
        if (tasks.length > 100) {
          throw awsError("InvalidParameterException", 400, "tasks can have at most 100 items.");
        }
        return {
          tasks: tasks.map((taskArn, k) => ({
            taskArn,
            lastStatus: "RUNNING",
            availabilityZone: `${this.world.env.region}${"ab"[k % 2]}`,
          })),
        };
      }
      case "ECSClient:ListTaskDefinitions": {
        const family = String(input.familyPrefix);
        const arns = [];
        for (let r = TASK_FAMILY_REVISIONS; r >= 1; r--) arns.push(this.#taskDefArn(family, r));
        return { taskDefinitionArns: input.sort === "ASC" ? arns.reverse() : arns };
      }
      case "ECSClient:UpdateService": {
        this.#requireCluster(input);
        const name = String(input.service).split("/").pop() as string;
        if (!this.#taskDefinition.has(name)) {
          throw awsError("ServiceNotFoundException", 400, `Service not found: ${name}`);
        }
        if (typeof input.taskDefinition === "string")
          this.#taskDefinition.set(name, input.taskDefinition);
        this.#deployment++;
        return { service: this.#serviceView(name) };
      }
      case "ElasticLoadBalancingV2Client:DescribeTargetGroups": {
        const { partition, region, accountId } = this.world.env;
        return {
          TargetGroups: ((input.TargetGroupArns as string[] | undefined) ?? []).map((arn) => ({
            TargetGroupArn: arn,
            LoadBalancerArns: [
              `arn:${partition}:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/fleet/50dc6c495c0c9188`,
            ],
          })),
        };
      }
      case "ElasticLoadBalancingV2Client:DescribeTargetHealth":
        return {
          TargetHealthDescriptions: [
            { Target: { Id: "10.0.1.10", Port: 8080 }, TargetHealth: { State: "healthy" } },
          ],
        };
      case "CloudWatchClient:DescribeAlarms": {
        if (typeof input.MaxRecords === "number" && input.MaxRecords > 100) {
          throw awsError("InvalidParameterValue", 400, "MaxRecords must be at most 100.");
        }
        return { MetricAlarms: [] };
      }
      case "S3Client:GetObject": {
        const obj = this.objects.get(this.#requireBucket(input));
        if (!obj) throw awsError("NoSuchKey", 404, "The specified key does not exist.");
        return {
          ETag: obj.etag,
          Body: {
            transformToByteArray: async () => obj.body,
            transformToString: async () => Buffer.from(obj.body).toString("utf8"),
          },
        };
      }
      case "S3Client:PutObject": {
        const k = this.#requireBucket(input);
        const current = this.objects.get(k);
        const ok =
          input.IfNoneMatch === "*"
            ? current === undefined
            : input.IfMatch === undefined || current?.etag === input.IfMatch;
        if (!ok)
          throw awsError(
            "PreconditionFailed",
            412,
            "At least one of the pre-conditions you specified did not hold",
          );
        const raw = input.Body;
        const body = typeof raw === "string" ? Buffer.from(raw) : (raw as Uint8Array);
        const etag = `"${++this.#etag}"`;
        this.objects.set(k, { body, etag });
        return { ETag: etag };
      }
      case "SNSClient:Publish": {
        if (!this.world.topicArns.includes(String(input.TopicArn))) {
          throw awsError("NotFound", 404, `Topic does not exist: ${String(input.TopicArn)}`);
        }
        this.published.push(input);
        return { MessageId: `m-${this.published.length}` };
      }
      case "ApplicationAutoScalingClient:DescribeScalableTargets":
        return {
          ScalableTargets: ((input.ResourceIds as string[] | undefined) ?? []).map((id) => ({
            ServiceNamespace: "ecs",
            ScalableDimension: "ecs:service:DesiredCount",
            ResourceId: id,
            MinCapacity: 2,
            MaxCapacity: 10,
            SuspendedState: this.#suspended.get(id) ?? {},
          })),
        };
      case "ApplicationAutoScalingClient:DescribeScalingPolicies":
        return {
          ScalingPolicies: [
            { PolicyName: "cpu", PolicyType: "TargetTrackingScaling" },
            {
              PolicyName: "predictive",
              PolicyType: "PredictiveScaling",
              PredictiveScalingPolicyConfiguration: { Mode: "ForecastOnly" },
            },
          ],
        };
      case "ApplicationAutoScalingClient:DescribeScalingActivities":
        return { ScalingActivities: [] };
      case "ApplicationAutoScalingClient:GetPredictiveScalingForecast":
        return { CapacityForecast: { Timestamps: [], Values: [] }, LoadForecast: [] };
      case "ApplicationAutoScalingClient:RegisterScalableTarget":
        this.#suspended.set(String(input.ResourceId), {
          ...(input.SuspendedState as object),
        } as Record<string, boolean>);
        return {};
      case "ECSClient:DescribeTaskDefinition": {
        const family = String(input.taskDefinition).split("/").pop()?.split(":")[0] ?? "";
        if (!this.#taskDefinition.has(family)) {
          throw awsError("ClientException", 400, `Unable to describe task definition.`);
        }
        return { taskDefinition: { family, taskRoleArn: this.#taskRoleArn(family) } };
      }
      case "EC2Client:DescribeSecurityGroupRules": {
        const filters = (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? [];
        const groups = filters.find((f) => f.Name === "group-id")?.Values ?? [];
        return { SecurityGroupRules: groups.flatMap((g) => this.#ingressRules(g)) };
      }
      case "EC2Client:DescribeSecurityGroups": {
        const ids = (input.GroupIds as string[] | undefined) ?? [];
        const known = new Set(["sg-alb", ...this.world.services.map((s) => this.#groupId(s))]);
        const missing = ids.find((id) => !known.has(id));
        if (missing) {
          throw awsError(
            "InvalidGroup.NotFound",
            400,
            `The security group '${missing}' does not exist`,
          );
        }
        return {
          SecurityGroups: ids.map((id) => ({
            GroupId: id,
            Tags: [{ Key: "Service", Value: id === "sg-alb" ? "alb" : id.replace(/^sg-/, "") }],
          })),
        };
      }
      case "VPCLatticeClient:ListServices": {
        const mesh = this.world.mesh;
        if (!mesh?.lattice) return { items: [] };
        return {
          items: this.world.services.map((s) => ({
            name: `${mesh.stage}-${s}`,
            arn: this.#latticeArn(s),
          })),
        };
      }
      case "VPCLatticeClient:GetAuthPolicy": {
        const mesh = this.world.mesh;
        const name = this.world.services.find(
          (s) => this.#latticeArn(s) === input.resourceIdentifier,
        );
        if (!mesh?.lattice || !name) {
          throw awsError(
            "ResourceNotFoundException",
            404,
            `Service not found: ${String(input.resourceIdentifier)}`,
          );
        }
        const callers = Object.entries(mesh.calls)
          .filter(([, callees]) => callees.includes(name))
          .map(([caller]) => this.#taskRoleArn(caller));
        return {
          state: "Active",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: callers.length
              ? [
                  {
                    Effect: "Allow",
                    Principal: { AWS: callers },
                    Action: "vpc-lattice-svcs:Invoke",
                    Resource: `${this.#latticeArn(name)}/*`,
                  },
                ]
              : [],
          }),
        };
      }
      case "ApplicationSignalsClient:ListServiceLevelObjectives": {
        const max = Number(input.MaxResults ?? 50);
        if (max < 1 || max > 50) {
          throw awsError("ValidationException", 400, "MaxResults must be between 1 and 50.");
        }
        const all = [...this.slos.entries()];
        const start = input.NextToken ? Number(input.NextToken) : 0;
        return {
          SloSummaries: all.slice(start, start + max).map(([Name, s]) => ({
            Arn: s.arn,
            Name,
            EvaluationType: s.evaluationType,
          })),
          ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
        };
      }
      case "ApplicationSignalsClient:CreateServiceLevelObjective": {
        const name = String(input.Name);
        // The API reference's Name pattern (2-128 characters, alphanumeric ends).
        if (!/^[0-9A-Za-z][-._0-9A-Za-z ]{0,126}[0-9A-Za-z]$/.test(name)) {
          throw awsError("ValidationException", 400, `Name "${name}" does not match the pattern.`);
        }
        if (input.SliConfig && input.RequestBasedSliConfig) {
          throw awsError(
            "ValidationException",
            400,
            "SliConfig and RequestBasedSliConfig both set.",
          );
        }
        if (this.slos.has(name)) throw awsError("ConflictException", 409, `SLO ${name} exists.`);
        const { partition, region, accountId } = this.world.env;
        const arn = `arn:${partition}:application-signals:${region}:${accountId}:slo/${name}`;
        const tags = (input.Tags ?? []) as { Key: string; Value: string }[];
        this.slos.set(name, {
          arn,
          evaluationType: input.RequestBasedSliConfig ? "RequestBased" : "PeriodBased",
          tags: new Map(tags.map((t) => [t.Key, t.Value])),
          windows: [],
        });
        return { Slo: { Arn: arn, Name: name, Goal: input.Goal } };
      }
      case "ApplicationSignalsClient:UpdateServiceLevelObjective": {
        const slo = this.#slo(input.Id);
        const kind = input.RequestBasedSliConfig
          ? "RequestBased"
          : input.SliConfig
            ? "PeriodBased"
            : slo.evaluationType;
        if (kind !== slo.evaluationType) {
          throw awsError("ValidationException", 400, "The evaluation type cannot be changed.");
        }
        return { Slo: { Arn: slo.arn, Goal: input.Goal } };
      }
      case "ApplicationSignalsClient:ListTagsForResource":
        return {
          Tags: [...this.#slo(input.ResourceArn).tags].map(([Key, Value]) => ({ Key, Value })),
        };
      case "ApplicationSignalsClient:TagResource": {
        const slo = this.#slo(input.ResourceArn);
        for (const t of (input.Tags ?? []) as { Key: string; Value: string }[]) {
          slo.tags.set(t.Key, t.Value);
        }
        return {};
      }
      case "ApplicationSignalsClient:ListServiceLevelObjectiveExclusionWindows":
        return { ExclusionWindows: this.#slo(input.Id).windows };
      case "ApplicationSignalsClient:BatchUpdateExclusionWindows": {
        const ids = (input.SloIds ?? []) as string[];
        if (ids.length === 0) throw awsError("ValidationException", 400, "SloIds is empty.");
        for (const id of ids) {
          const slo = this.#slo(id);
          const gone = new Set(
            ((input.RemoveExclusionWindows ?? []) as Input[]).map((w) => String(w.StartTime)),
          );
          slo.windows = [
            ...slo.windows.filter((w) => !gone.has(String(w.StartTime))),
            ...((input.AddExclusionWindows ?? []) as Input[]),
          ];
        }
        return { SloIds: ids, Errors: [] };
      }
      default:
        throw new Error(`FakeAws has no answer for ${key}: add one in infra/contract/fake-aws.ts`);
    }
  }

  /** SDK plugin answering at the `build` step (after serialization). */
  plugin(): AnyClientPlugin {
    const respond =
      (_next: unknown, context: { clientName?: string; commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => ({
        output: {
          ...this.answer(context.clientName ?? "?", context.commandName ?? "?", args.input),
          $metadata: { httpStatusCode: 200 },
        },
        response: { statusCode: 200, headers: {} },
      });
    return {
      applyToStack: (stack) => {
        stack.add(respond as never, {
          step: "build",
          priority: "low",
          name: "permissionContractFake",
        });
      },
    };
  }
}
