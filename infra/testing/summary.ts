import { DEAD_LETTER_MONTHLY_USD } from "../dead-letter.ts";
import { EXECUTION_ALARMS, SHARDED_ALARM_MONTHLY_USD } from "../sharded-evaluation.ts";
import type { ResourceRecord } from "./mocks.ts";
import type { PlanOutput } from "./plan-types.ts";

/** Inputs worth showing per resource type in a plan listing. */
const KEY_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  "aws:ec2/subnet:Subnet": ["availabilityZone", "cidrBlock", "mapPublicIpOnLaunch"],
  "aws:ec2/natGateway:NatGateway": ["connectivityType"],
  "aws:ec2/instance:Instance": ["instanceType"],
  "aws:ecs/cluster:Cluster": ["settings"],
  "aws:ecs/service:Service": [
    "name",
    "desiredCount",
    "availabilityZoneRebalancing",
    "deploymentCircuitBreaker",
  ],
  "aws:ecs/taskDefinition:TaskDefinition": ["cpu", "memory"],
  "aws:lb/targetGroup:TargetGroup": ["port", "healthCheck"],
  "aws:lb/listenerRule:ListenerRule": ["priority", "conditions"],
  "aws:appautoscaling/target:Target": ["minCapacity", "maxCapacity"],
  "aws:appautoscaling/policy:Policy": [
    "policyType",
    "targetTrackingScalingPolicyConfiguration",
    "predictiveScalingPolicyConfiguration",
  ],
  "aws:lambda/function:Function": ["runtime", "handler", "architectures"],
  "aws:scheduler/schedule:Schedule": ["scheduleExpression", "target"],
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": [
    "maximumRetryAttempts",
    "maximumEventAgeInSeconds",
  ],
  "aws:sqs/queue:Queue": ["messageRetentionSeconds"],
  "aws:sfn/stateMachine:StateMachine": ["type"],
  "aws:s3/bucketVersioning:BucketVersioning": ["versioningConfiguration"],
  "aws:s3/bucketObjectv2:BucketObjectv2": ["key"],
  "aws:synthetics/canary:Canary": ["name", "runtimeVersion", "schedule"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": ["name", "threshold", "comparisonOperator"],
  "aws:cloudwatch/dashboard:Dashboard": ["dashboardName"],
};

function settings(r: ResourceRecord): string {
  const keys = KEY_SETTINGS[r.type] ?? [];
  const parts = keys
    .filter((k) => r.inputs[k] !== undefined)
    .map((k) => {
      const v = JSON.stringify(r.inputs[k]);
      return `${k}=${v.length > 120 ? `${v.slice(0, 117)}...` : v}`;
    });
  return parts.join(" ");
}

/**
 * Counts and lists a plan's resources: `byType` sorted by type name, one line per
 * resource (`type  name  key=value ...`).
 *
 * @example
 * summarizePlan(plan).byType["aws:ecs/service:Service"]; // 10
 */
export function summarizePlan(plan: Pick<PlanOutput, "resources">) {
  const byType: Record<string, number> = {};
  for (const r of plan.resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  const sorted = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  const lines = [...plan.resources]
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
    .map((r) => `${r.type}  ${r.name}  ${settings(r)}`.trimEnd());
  return { total: plan.resources.length, byType: sorted, lines };
}

/**
 * Resource count changes per type from the `sst deploy` plan to the `sst dev` plan of
 * the same stage (types whose count is unchanged are left out), sorted by type.
 *
 * @example
 * devModeChanges({ "aws:ecs/service:Service": 10 }, {}); // { "aws:ecs/service:Service": -10 }
 */
export function devModeChanges(
  deploy: Readonly<Record<string, number>>,
  dev: Readonly<Record<string, number>>,
): Record<string, number> {
  const types = [...new Set([...Object.keys(deploy), ...Object.keys(dev)])].sort();
  const changes: Record<string, number> = {};
  for (const type of types) {
    const delta = (dev[type] ?? 0) - (deploy[type] ?? 0);
    if (delta !== 0) changes[type] = delta;
  }
  return changes;
}

/**
 * What the jobs' dead-letter queue and its alarm cost a month at list price
 * (`DEAD_LETTER_MONTHLY_USD`), counted from the plan.
 *
 * @example
 * deadLetterCost(plan); // { queues: 1, alarms: 1, monthly_usd: 0.1 }
 */
export function deadLetterCost(plan: Pick<PlanOutput, "resources">) {
  const queues = plan.resources.filter((r) => r.type === "aws:sqs/queue:Queue").length;
  const alarms = plan.resources.filter(
    (r) =>
      r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
      (r.inputs.tags as Record<string, string> | undefined)?.AlarmKind === "dead-letter",
  ).length;
  const usd = queues * DEAD_LETTER_MONTHLY_USD.queue + alarms * DEAD_LETTER_MONTHLY_USD.alarm;
  return { queues, alarms, monthly_usd: Math.round(usd * 100) / 100 };
}

/**
 * The sharded SLO jobs in a plan: state machines, their failed/timed-out execution
 * alarms and what those cost a month (`SHARDED_ALARM_MONTHLY_USD` each), and how many
 * schedules send failed starts to the dead-letter queue.
 *
 * @example
 * shardedCost(plan); // { state_machines: 2, alarms: 4, dead_lettered_schedules: 3, monthly_usd: 0.4 }
 */
export function shardedCost(plan: Pick<PlanOutput, "resources">) {
  const kinds = new Set<string>(EXECUTION_ALARMS.map((a) => a.kind));
  const machines = plan.resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine");
  const alarms = plan.resources.filter(
    (r) =>
      r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
      kinds.has((r.inputs.tags as Record<string, string> | undefined)?.AlarmKind ?? ""),
  ).length;
  const deadLettered = plan.resources.filter(
    (r) =>
      r.type === "aws:scheduler/schedule:Schedule" &&
      (r.inputs.target as { deadLetterConfig?: { arn?: string } } | undefined)?.deadLetterConfig
        ?.arn !== undefined,
  ).length;
  return {
    state_machines: machines.length,
    alarms,
    dead_lettered_schedules: deadLettered,
    monthly_usd: Math.round(alarms * SHARDED_ALARM_MONTHLY_USD * 100) / 100,
  };
}
