import {
  type ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  GetPredictiveScalingForecastCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type {
  ObservedAlarm,
  ObservedPoint,
  ObservedScaling,
  ObservedService,
  ObservedTargetGroup,
  StageObservation,
} from "@slo/core/doctor";
import { callAws } from "../../budget.ts";

/** Clients doctor reads a stage with. */
export interface DoctorClients {
  readonly ecs: ECSClient;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly autoScaling: ApplicationAutoScalingClient;
  readonly cloudWatch: CloudWatchClient;
}

/** One metric doctor wants the recent datapoints of. */
export interface DoctorMetric {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly periodSeconds: number;
}

/** What to read: the cluster, its services, the alarm prefix and the metrics. */
export interface StageReadRequest {
  readonly cluster: string;
  readonly services: readonly string[];
  readonly alarmPrefix: string;
  readonly metrics: readonly DoctorMetric[];
  /** How far back the metrics are read (default 2 h). */
  readonly lookbackMs?: number;
  readonly nowMs?: number;
}

/** AWS limits the reads are batched to. */
export const DESCRIBE_SERVICES_BATCH = 10;
export const DESCRIBE_TASKS_BATCH = 100;
export const DESCRIBE_TARGET_GROUPS_BATCH = 20;
export const SCALABLE_TARGETS_BATCH = 50;
export const METRIC_QUERIES_PER_CALL = 500;

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const ecsResource = (cluster: string, service: string) => `service/${cluster}/${service}`;
const clusterName = (cluster: string) => cluster.split("/").pop() ?? cluster;

async function readServices(
  ecs: ECSClient,
  cluster: string,
  names: readonly string[],
): Promise<{ services: ObservedService[]; missing: string[] }> {
  const services: ObservedService[] = [];
  const missing: string[] = [];
  for (const batch of chunks(names, DESCRIBE_SERVICES_BATCH)) {
    const out = await callAws("ecs:DescribeServices", () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: batch })),
    );
    for (const f of out.failures ?? []) {
      const name = f.arn?.split("/").pop();
      if (name) missing.push(name);
    }
    for (const s of out.services ?? []) {
      const primary = s.deployments?.find((d) => d.status === "PRIMARY");
      services.push({
        name: s.serviceName ?? "",
        status: s.status ?? "UNKNOWN",
        running: s.runningCount ?? 0,
        desired: s.desiredCount ?? 0,
        ...(primary?.rolloutState ? { rolloutState: primary.rolloutState } : {}),
        ...(primary?.rolloutStateReason ? { rolloutReason: primary.rolloutStateReason } : {}),
        tasksByZone: {},
        targetGroupArns: (s.loadBalancers ?? []).flatMap((lb) =>
          lb.targetGroupArn ? [lb.targetGroupArn] : [],
        ),
      });
    }
  }
  // Zones of running tasks: one ListTasks per service (paginated), DescribeTasks by 100.
  const taskService = new Map<string, ObservedService>();
  const arns: string[] = [];
  for (const s of services) {
    let nextToken: string | undefined;
    do {
      const page = await callAws("ecs:ListTasks", () =>
        ecs.send(
          new ListTasksCommand({
            cluster,
            serviceName: s.name,
            desiredStatus: "RUNNING",
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      );
      for (const arn of page.taskArns ?? []) {
        arns.push(arn);
        taskService.set(arn, s);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const zones = new Map<ObservedService, Record<string, number>>();
  for (const batch of chunks(arns, DESCRIBE_TASKS_BATCH)) {
    const out = await callAws("ecs:DescribeTasks", () =>
      ecs.send(new DescribeTasksCommand({ cluster, tasks: batch })),
    );
    for (const t of out.tasks ?? []) {
      const s = t.taskArn ? taskService.get(t.taskArn) : undefined;
      if (!s || t.lastStatus !== "RUNNING") continue;
      const z = zones.get(s) ?? {};
      const zone = t.availabilityZone ?? "unknown";
      z[zone] = (z[zone] ?? 0) + 1;
      zones.set(s, z);
    }
  }
  return {
    services: services.map((s) => ({ ...s, tasksByZone: zones.get(s) ?? {} })),
    missing,
  };
}

async function readTargetGroups(
  elb: ElasticLoadBalancingV2Client,
  arns: readonly string[],
): Promise<ObservedTargetGroup[]> {
  const groups: ObservedTargetGroup[] = [];
  for (const batch of chunks([...new Set(arns)], DESCRIBE_TARGET_GROUPS_BATCH)) {
    const out = await callAws("elasticloadbalancing:DescribeTargetGroups", () =>
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: batch })),
    );
    for (const tg of out.TargetGroups ?? []) {
      if (!tg.TargetGroupArn) continue;
      const arn = tg.TargetGroupArn;
      const health = await callAws("elasticloadbalancing:DescribeTargetHealth", () =>
        elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
      );
      groups.push({
        arn,
        ...(tg.HealthCheckPath ? { healthCheckPath: tg.HealthCheckPath } : {}),
        targets: (health.TargetHealthDescriptions ?? []).map((d) => ({
          id: `${d.Target?.Id ?? "?"}:${d.Target?.Port ?? "?"}`,
          state: d.TargetHealth?.State ?? "unknown",
          ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
        })),
      });
    }
  }
  return groups;
}

async function readScaling(
  aas: ApplicationAutoScalingClient,
  cluster: string,
  services: readonly string[],
  nowMs: number,
): Promise<ObservedScaling[]> {
  const name = clusterName(cluster);
  const resourceIds = services.map((s) => ecsResource(name, s));
  const targets = new Map<string, ObservedScaling>();
  for (const batch of chunks(resourceIds, SCALABLE_TARGETS_BATCH)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws("application-autoscaling:DescribeScalableTargets", () =>
        aas.send(
          new DescribeScalableTargetsCommand({
            ServiceNamespace: "ecs",
            ResourceIds: batch,
            ScalableDimension: "ecs:service:DesiredCount",
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        ),
      );
      for (const t of page.ScalableTargets ?? []) {
        const service = t.ResourceId?.split("/").pop() ?? "";
        targets.set(t.ResourceId ?? "", {
          service,
          min: t.MinCapacity ?? 0,
          max: t.MaxCapacity ?? 0,
          suspended: {
            scaleIn: t.SuspendedState?.DynamicScalingInSuspended ?? false,
            scaleOut: t.SuspendedState?.DynamicScalingOutSuspended ?? false,
            scheduled: t.SuspendedState?.ScheduledScalingSuspended ?? false,
          },
          policies: [],
          activities: [],
          forecastPoints: null,
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  const found = [...targets.entries()];
  // Policies and activities per service: both APIs filter by one ResourceId.
  const out: ObservedScaling[] = [];
  for (const [resourceId, t] of found) {
    const policies: Array<{ name: string; type: string }> = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws("application-autoscaling:DescribeScalingPolicies", () =>
        aas.send(
          new DescribeScalingPoliciesCommand({
            ServiceNamespace: "ecs",
            ResourceId: resourceId,
            ScalableDimension: "ecs:service:DesiredCount",
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        ),
      );
      for (const p of page.ScalingPolicies ?? []) {
        policies.push({ name: p.PolicyName ?? "", type: p.PolicyType ?? "" });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    const acts = await callAws("application-autoscaling:DescribeScalingActivities", () =>
      aas.send(
        new DescribeScalingActivitiesCommand({
          ServiceNamespace: "ecs",
          ResourceId: resourceId,
          ScalableDimension: "ecs:service:DesiredCount",
          MaxResults: 10,
        }),
      ),
    );
    const predictive = policies.find((p) => p.type === "PredictiveScaling");
    let forecastPoints: number | null = null;
    if (predictive) {
      const f = await callAws("application-autoscaling:GetPredictiveScalingForecast", () =>
        aas.send(
          new GetPredictiveScalingForecastCommand({
            ServiceNamespace: "ecs",
            ResourceId: resourceId,
            ScalableDimension: "ecs:service:DesiredCount",
            PolicyName: predictive.name,
            StartTime: new Date(nowMs),
            EndTime: new Date(nowMs + 24 * 3_600_000),
          }),
        ),
      );
      forecastPoints = f.CapacityForecast?.Timestamps?.length ?? 0;
    }
    out.push({
      ...t,
      policies,
      forecastPoints,
      activities: (acts.ScalingActivities ?? [])
        .map((a) => ({
          startMs: a.StartTime?.getTime() ?? 0,
          status: a.StatusCode ?? "",
          cause: a.Cause ?? "",
          description: a.Description ?? "",
        }))
        .sort((a, b) => b.startMs - a.startMs),
    });
  }
  return out;
}

async function readAlarms(cw: CloudWatchClient, prefix: string): Promise<ObservedAlarm[]> {
  const alarms: ObservedAlarm[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("cloudwatch:DescribeAlarms", () =>
      cw.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: prefix,
          AlarmTypes: ["MetricAlarm"],
          MaxRecords: 100,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    for (const a of page.MetricAlarms ?? []) {
      alarms.push({
        name: a.AlarmName ?? "",
        state: (a.StateValue ?? "INSUFFICIENT_DATA") as ObservedAlarm["state"],
        stateSinceMs: a.StateUpdatedTimestamp?.getTime() ?? 0,
        actionsEnabled: a.ActionsEnabled ?? false,
        alarmActions: a.AlarmActions ?? [],
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return alarms;
}

async function readMetrics(
  cw: CloudWatchClient,
  metrics: readonly DoctorMetric[],
  startMs: number,
  endMs: number,
): Promise<Record<string, ObservedPoint[]>> {
  const points: Record<string, ObservedPoint[]> = {};
  for (const batch of chunks(metrics, METRIC_QUERIES_PER_CALL)) {
    const queries: MetricDataQuery[] = batch.map((m) => ({
      Id: m.id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: m.namespace,
          MetricName: m.metricName,
          Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: m.periodSeconds,
        Stat: m.stat,
      },
    }));
    let nextToken: string | undefined;
    do {
      const page = await callAws("cloudwatch:GetMetricData", () =>
        cw.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(startMs),
            EndTime: new Date(endMs),
            ScanBy: "TimestampDescending",
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        ),
      );
      for (const r of page.MetricDataResults ?? []) {
        const id = r.Id ?? "";
        const list = points[id] ?? [];
        points[id] = list;
        (r.Timestamps ?? []).forEach((t, i) => {
          const value = r.Values?.[i];
          if (value !== undefined) list.push({ value, atMs: t.getTime() });
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  for (const list of Object.values(points)) list.sort((a, b) => b.atMs - a.atMs);
  return points;
}

/**
 * Reads what doctor judges, batched as AWS allows: DescribeServices by 10, ListTasks per
 * service and DescribeTasks by 100 (zones), DescribeTargetGroups by 20 and
 * DescribeTargetHealth per group, scalable targets by 50 with their policies, recent
 * activities and predictive forecast, DescribeAlarms by the stage's name prefix, and one
 * GetMetricData for every freshness, error, canary and budget metric. Read-only.
 *
 * @example
 * const observed = await readStage(clients, { cluster, services, alarmPrefix: "slo-production-", metrics });
 */
export async function readStage(
  clients: DoctorClients,
  request: StageReadRequest,
): Promise<StageObservation> {
  const nowMs = request.nowMs ?? Date.now();
  const lookbackMs = request.lookbackMs ?? 2 * 3_600_000;
  const [{ services, missing }, scaling, alarms, metrics] = await Promise.all([
    readServices(clients.ecs, request.cluster, request.services),
    readScaling(clients.autoScaling, request.cluster, request.services, nowMs),
    readAlarms(clients.cloudWatch, request.alarmPrefix),
    readMetrics(clients.cloudWatch, request.metrics, nowMs - lookbackMs, nowMs),
  ]);
  const targetGroups = await readTargetGroups(
    clients.elb,
    services.flatMap((s) => s.targetGroupArns),
  );
  return { nowMs, services, missingServices: missing, targetGroups, scaling, alarms, metrics };
}
