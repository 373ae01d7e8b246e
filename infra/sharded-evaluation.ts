import {
  planShards,
  SHARD_MAP_CONCURRENCY,
  type ShardOptions,
} from "../packages/core/src/shard/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import type { StageProfile } from "../stacks/profile.ts";
import { type AlertTopics, topicFor } from "./alerts.ts";
import {
  intervalSeconds,
  JOB_RETRIES,
  type JobDeadLetter,
  maximumRunAgeSeconds,
} from "./dead-letter.ts";
import type { JobLinks } from "./links.ts";
import {
  alertStateAccess,
  type PermissionStatement,
  publishAlerts,
  readMetrics,
  stageReportWrite,
} from "./permissions.ts";

/** Entry points of the sharded jobs' one bundle. */
export const SHARDED_HANDLERS = {
  plan: "packages/functions/src/handlers/sharded.plan",
  calculator: "packages/functions/src/handlers/sharded.calculator",
  evaluator: "packages/functions/src/handlers/sharded.evaluator",
  merge: "packages/functions/src/handlers/sharded.merge",
} as const;

export { SHARD_MAP_CONCURRENCY };

/** Key prefix of the one rollup object per shard (`S3ShardObjectStore`'s default prefix). */
export const SHARD_ROLLUP_PREFIX = "rollup-shards/";
/** Key prefix of the evaluator shards' hand-off to the merge (`shardResultKey`). */
export const SHARD_RESULTS_PREFIX = "shard-results/";

/**
 * Monthly list price (us-east-1, December 2026) of each state-machine alarm: one
 * standard-resolution metric, $0.10. A sharded stage declares four (failed and timed-out
 * executions of two state machines): $0.40 a month.
 */
export const SHARDED_ALARM_MONTHLY_USD = 0.1;

/**
 * The profile's shard options, or `undefined` when the fleet stays one invocation
 * (at or below `jobs.shardAbove` SLOs: the 40-SLO fleet always does, unless the stage
 * lowers the threshold, e.g. `SLO_SHARD_ABOVE=10`, see stacks/index.ts).
 *
 * @example
 * shardingFor(slos, profile); // undefined for the embedded fleet
 */
export function shardingFor(
  slos: readonly SloDefinition[],
  profile: StageProfile,
): ShardOptions | undefined {
  const opts: ShardOptions = {
    threshold: profile.jobs.shardAbove ?? 500,
    targetSlosPerShard: profile.jobs.slosPerShard ?? 500,
  };
  return planShards(slos, opts).length > 1 ? opts : undefined;
}

/**
 * What each sharded function does in the rollup bucket, and nothing more. `s3:ListBucket`
 * (no prefix condition: S3 checks it without `s3:prefix` to answer a missing key 404
 * instead of 403) is needed by every function that reads a key that may not exist yet.
 * The plan step reads only its bundled definitions: no statement at all.
 */
export function shardedPermissions(input: {
  bucketArn: $util.Input<string>;
  topicArns: $util.Input<string>[];
  discovery: PermissionStatement[];
}): Record<"plan" | "calculator" | "evaluator" | "merge", PermissionStatement[]> {
  const { bucketArn, topicArns, discovery } = input;
  const listBucket: PermissionStatement = { actions: ["s3:ListBucket"], resources: [bucketArn] };
  const under = (prefix: string) => $interpolate`${bucketArn}/${prefix}*`;
  // A shard reads its one rollup object and writes it back (conditional PUT).
  const shardRollups: PermissionStatement = {
    actions: ["s3:GetObject", "s3:PutObject"],
    resources: [under(SHARD_ROLLUP_PREFIX)],
  };
  return {
    plan: [],
    calculator: [readMetrics(), ...discovery, listBucket, shardRollups],
    evaluator: [
      readMetrics(),
      ...discovery,
      listBucket,
      shardRollups,
      // Its alert observations for the merge: written, never read back by the shard.
      { actions: ["s3:PutObject"], resources: [under(SHARD_RESULTS_PREFIX)] },
    ],
    merge: [
      listBucket,
      { actions: ["s3:GetObject"], resources: [under(SHARD_RESULTS_PREFIX)] },
      // The pager's memory, as the single evaluator keeps it.
      alertStateAccess(bucketArn),
      // The merged stage report the gate and doctor read (the shards write none).
      stageReportWrite(bucketArn),
      publishAlerts(topicArns),
    ],
  };
}

/**
 * The SLO calculator and the burn-rate evaluator for a fleet above the shard threshold:
 * each a Step Functions EXPRESS state machine started by EventBridge Scheduler at the
 * single jobs' offsets (calculator 2 minutes into the step, evaluator 4), running
 * Plan -> Map over shards (inline, `SHARD_MAP_CONCURRENCY` at a time, Lambda throttles
 * and service errors retried with jittered backoff, a failed shard caught so the others
 * still count) -> for the evaluator, Merge, which notifies once.
 *
 * Why Express + inline Map (not a Standard Distributed Map, not SQS): a run has tens of
 * shards, well inside an inline Map; Express bills $1 per million executions plus
 * duration (~$0.02 a month for 17,280 runs) where Standard bills ~70 transitions a run
 * ($25 per million: ~$30 a month); its 5-minute limit is the cycle we must meet anyway;
 * and the Map's end is the fan-in the notifier needs, which SQS would leave to us.
 * Express runs at least once: every step is idempotent (same step timestamp, conditional
 * writes, the merge re-reads the saved alert state).
 *
 * Failures, as the single jobs have them (infra/dead-letter.ts): Scheduler retries a
 * StartExecution it could not make (`JOB_RETRIES.schedule`, while younger than the
 * job's interval) and then sends the event to the shared dead-letter queue, whose alarm
 * pages. An Express start returns once the execution is accepted, so a run that fails
 * later is no failed delivery and never reaches the queue: Plan and Merge retry a
 * handler error once (`JOB_RETRIES.lambda`) inside the execution, and an alarm per state
 * machine on `AWS/States` ExecutionsFailed and ExecutionsTimedOut pages on what still
 * fails ({@link SHARDED_ALARM_MONTHLY_USD}). A failed shard is caught (the others still
 * count) and shows as the shard function's `Errors`, which the job alarms watch
 * (infra/monitoring.ts gets the shard functions as the two SLO jobs' functions).
 *
 * @example
 * const sharded = createShardedEvaluation({ profile, options, rollups, topics, links, deadLetter, ... });
 * sharded.functions.calculator; // what the sloCalculator job alarms watch
 */
export function createShardedEvaluation(input: {
  profile: StageProfile;
  options: ShardOptions;
  rollups: sst.aws.Bucket;
  topics: AlertTopics;
  links: JobLinks;
  deadLetter: JobDeadLetter;
  /** `copyFiles` entry of the compiled definitions (as the single jobs bundle them). */
  copyFiles: { from: string; to: string }[];
  environment: Record<string, $util.Input<string>>;
  discovery: PermissionStatement[];
  schedules: {
    calculator: { expression: `cron(${string})`; every: string };
    evaluator: { expression: `cron(${string})`; every: string };
  };
  /** POWERTOOLS_SERVICE_NAME of each job (the job alarms read its metrics by it). */
  services: { calculator: string; evaluator: string };
  namespace: string;
}) {
  const { profile, options, rollups, topics, links, deadLetter } = input;
  const permissions = shardedPermissions({
    bucketArn: rollups.arn,
    topicArns: [topics.page.arn, topics.ticket.arn],
    discovery: input.discovery,
  });
  const fn = (
    name: string,
    handler: string,
    service: string,
    memory: `${number} MB`,
    timeout: `${number} minute${"" | "s"}`,
    statements: PermissionStatement[],
  ) =>
    new sst.aws.Function(name, {
      handler,
      runtime: "nodejs24.x",
      architecture: "arm64",
      memory,
      timeout,
      copyFiles: input.copyFiles,
      // Every entry point of the one bundle loads the same config (links carry no grants).
      link: [links.rollupBucket, links.alertTopicPage, links.alertTopicTicket],
      permissions: statements,
      environment: {
        ...input.environment,
        SLO_SHARD_ABOVE: String(options.threshold),
        SLO_SLOS_PER_SHARD: String(options.targetSlosPerShard),
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: input.namespace,
      },
      logging: { retention: profile.jobs.logRetention },
    });
  const planFn = fn(
    "SloShardPlan",
    SHARDED_HANDLERS.plan,
    "SloShardPlan",
    "512 MB",
    "1 minute",
    permissions.plan,
  );
  // 1,024 MB: bench:fleet peaks at ~370 MB per 500-SLO shard; 4 minutes fits the cycle.
  // The shards and the merge publish under the job's own service name, so the job's
  // heartbeat and JobErrors alarms read what the sharded run published.
  const calculatorFn = fn(
    "SloShardCalculator",
    SHARDED_HANDLERS.calculator,
    input.services.calculator,
    "1024 MB",
    "4 minutes",
    permissions.calculator,
  );
  const evaluatorFn = fn(
    "SloShardEvaluator",
    SHARDED_HANDLERS.evaluator,
    input.services.evaluator,
    "1024 MB",
    "4 minutes",
    permissions.evaluator,
  );
  const mergeFn = fn(
    "SloShardMerge",
    SHARDED_HANDLERS.merge,
    input.services.evaluator,
    "512 MB",
    "1 minute",
    permissions.merge,
  );
  const page = topicFor(topics, profile, "page").arn;

  const machine = (
    name: string,
    job: string,
    schedule: { expression: `cron(${string})`; every: string },
    shardArn: $util.Output<string>,
    mergeArn?: $util.Output<string>,
  ) => {
    const invoked = mergeArn ? [planFn.arn, shardArn, mergeArn] : [planFn.arn, shardArn];
    const role = new aws.iam.Role(`${name}Role`, {
      assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "states.amazonaws.com" }),
      inlinePolicies: [
        {
          name: "invoke",
          policy: $resolve(invoked).apply((arns) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arns }],
            }),
          ),
        },
      ],
    });
    const definition = $resolve([planFn.arn, shardArn, mergeArn ?? shardArn]).apply(([p, s, m]) =>
      JSON.stringify(stateMachineDefinition(`${p}`, `${s}`, mergeArn ? `${m}` : undefined)),
    );
    const sm = new aws.sfn.StateMachine(name, {
      type: "EXPRESS",
      roleArn: role.arn,
      definition,
      tags: { Stage: $app.stage },
    });
    const schedulerRole = new aws.iam.Role(`${name}SchedulerRole`, {
      assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({
        Service: "scheduler.amazonaws.com",
      }),
      inlinePolicies: [
        {
          name: "start",
          policy: $resolve([sm.arn, deadLetter.queue.arn]).apply(([arn, queue]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: "states:StartExecution", Resource: arn },
                // Starts that failed their retries land in the jobs' dead-letter queue.
                { Effect: "Allow", Action: "sqs:SendMessage", Resource: queue },
              ],
            }),
          ),
        },
      ],
    });
    new aws.scheduler.Schedule(`${name}Schedule`, {
      scheduleExpression: schedule.expression,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: sm.arn,
        roleArn: schedulerRole.arn,
        // The scheduled slot, so a late start still evaluates its own step.
        input: JSON.stringify({ time: "<aws.scheduler.scheduled-time>" }),
        retryPolicy: {
          maximumRetryAttempts: JOB_RETRIES.schedule,
          maximumEventAgeInSeconds: maximumRunAgeSeconds(schedule.every),
        },
        deadLetterConfig: { arn: deadLetter.queue.arn },
      },
    });
    const alarms = executionAlarms(name, job, sm.arn, intervalSeconds(schedule.every), page);
    return { machine: sm, role, schedulerRole, alarms };
  };
  return {
    calculator: machine(
      "SloCalculatorShards",
      "slo-calculator",
      input.schedules.calculator,
      calculatorFn.arn,
    ),
    evaluator: machine(
      "BurnRateEvaluatorShards",
      "burn-rate-evaluator",
      input.schedules.evaluator,
      evaluatorFn.arn,
      mergeFn.arn,
    ),
    functions: { plan: planFn, calculator: calculatorFn, evaluator: evaluatorFn, merge: mergeFn },
  };
}

export type ShardedEvaluation = ReturnType<typeof createShardedEvaluation>;

/** What each state-machine alarm watches (AWS/States, per `StateMachineArn`). */
export const EXECUTION_ALARMS = [
  {
    metric: "ExecutionsFailed",
    kind: "state-machine-failed",
    what: "failed (its Plan or Merge step failed after a retry, or the state machine is broken)",
  },
  {
    metric: "ExecutionsTimedOut",
    kind: "state-machine-timed-out",
    what: "timed out (Express stops a run at 5 minutes: the shards are too slow or too many for the cycle)",
  },
] as const;

/**
 * Page on any failed or timed-out execution of one sharded job. The run's step is
 * caught up by the next run (the rollups' watermark did not move), so one page per
 * failure is what the dead-letter alarm gives a single job that failed its retries.
 */
function executionAlarms(
  name: string,
  job: string,
  stateMachineArn: $util.Output<string>,
  periodSeconds: number,
  page: $util.Output<string>,
) {
  return EXECUTION_ALARMS.map(
    (a) =>
      new aws.cloudwatch.MetricAlarm(`${name}${a.metric}Alarm`, {
        name: `slo-${$app.stage}-job-${job}-${a.metric.replace("Executions", "executions-").toLowerCase()}`,
        alarmDescription:
          `[page] A run of the sharded ${job} ${a.what}. While runs fail, SLIs, burn-rate pages ` +
          "and rollups are stale. Open the state machine's executions (Express: CloudWatch " +
          "metrics only, so read the Plan/Merge/shard functions' logs for the step), fix the cause; the next run catches the step up.",
        namespace: "AWS/States",
        metricName: a.metric,
        dimensions: { StateMachineArn: stateMachineArn },
        statistic: "Sum",
        period: periodSeconds,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // AWS/States publishes a datapoint only for periods with such executions.
        treatMissingData: "notBreaching",
        alarmActions: [page],
        okActions: [page],
        actionsEnabled: true,
        tags: { Stage: $app.stage, AlarmKind: a.kind, Job: job, Severity: "page" },
      }),
  );
}

/** A handler error of Plan or Merge, retried once as Lambda retries a single job's run. */
const HANDLER_RETRY = {
  ErrorEquals: ["States.TaskFailed"],
  IntervalSeconds: 10,
  MaxAttempts: JOB_RETRIES.lambda,
  BackoffRate: 1,
};

const LAMBDA_RETRY = {
  ErrorEquals: [
    "Lambda.TooManyRequestsException",
    "Lambda.ServiceException",
    "Lambda.SdkClientException",
    "Lambda.AWSLambdaException",
  ],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: "FULL",
};

/**
 * The Amazon States Language of one sharded job. Shard outputs are reduced to counts
 * (`ResultSelector`) and the Map's result is dropped: 32 shards' full job results would
 * pass the 256 KB state payload limit.
 *
 * @example
 * stateMachineDefinition(planArn, shardArn, mergeArn).States.Shards.MaxConcurrency; // 4
 */
export function stateMachineDefinition(planArn: string, shardArn: string, mergeArn?: string) {
  // A shard is not retried on a handler error: it would hold its Map slot for another
  // up-to-4-minute run inside the 5-minute Express limit; its SLOs catch up next step.
  const invoke = (arn: string, payload: Record<string, string>, retryHandler: boolean) => ({
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: arn, Payload: payload },
    Retry: retryHandler ? [LAMBDA_RETRY, HANDLER_RETRY] : [LAMBDA_RETRY],
  });
  return {
    Comment: "Sharded SLO evaluation: plan, one Lambda per shard, merge (evaluator only)",
    StartAt: "Plan",
    States: {
      Plan: {
        ...invoke(planArn, { "time.$": "$.time" }, true),
        ResultSelector: { "shards.$": "$.Payload.shards" },
        ResultPath: "$.plan",
        Next: "Shards",
      },
      Shards: {
        Type: "Map",
        ItemsPath: "$.plan.shards",
        MaxConcurrency: SHARD_MAP_CONCURRENCY,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Shard",
          States: {
            Shard: {
              ...invoke(shardArn, { "time.$": "$.time", "shard.$": "$.shard" }, false),
              ResultSelector: {
                "succeeded.$": "States.ArrayLength($.Payload.succeeded)",
                "failed.$": "States.ArrayLength($.Payload.failed)",
              },
              // A failed shard must not stop the others (or the merge): its SLOs keep
              // their alert state and the merge reports the shard as missing.
              Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "ShardFailed" }],
              End: true,
            },
            ShardFailed: { Type: "Pass", End: true },
          },
        },
        ResultPath: null,
        ...(mergeArn ? { Next: "Merge" } : { End: true }),
      },
      ...(mergeArn
        ? {
            Merge: {
              ...invoke(mergeArn, { "time.$": "$.time" }, true),
              ResultPath: null,
              End: true,
            },
          }
        : {}),
    },
  };
}
