import {
  planShards,
  SHARD_MAP_CONCURRENCY,
  type ShardOptions,
} from "../packages/core/src/shard/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import type { StageProfile } from "../stacks/profile.ts";
import type { AlertTopics } from "./alerts.ts";
import type { JobLinks } from "./links.ts";
import {
  type PermissionStatement,
  publishAlerts,
  publishMetrics,
  readMetrics,
  rollupAccess,
} from "./permissions.ts";

/** Entry points of the sharded jobs' one bundle. */
export const SHARDED_HANDLERS = {
  plan: "packages/functions/src/handlers/sharded.plan",
  calculator: "packages/functions/src/handlers/sharded.calculator",
  evaluator: "packages/functions/src/handlers/sharded.evaluator",
  merge: "packages/functions/src/handlers/sharded.merge",
} as const;

export { SHARD_MAP_CONCURRENCY };

/**
 * The profile's shard options, or `undefined` when the fleet stays one invocation
 * (at or below `jobs.shardAbove` SLOs: the 40-SLO fleet always does).
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
 * @example
 * const sharded = createShardedEvaluation({ profile, options, rollups, topics, links, definitions, ecsEnv, discovery });
 */
export function createShardedEvaluation(input: {
  profile: StageProfile;
  options: ShardOptions;
  rollups: sst.aws.Bucket;
  topics: AlertTopics;
  links: JobLinks;
  /** `copyFiles` entry of the compiled definitions (as the single jobs bundle them). */
  copyFiles: { from: string; to: string }[];
  environment: Record<string, $util.Input<string>>;
  discovery: PermissionStatement[];
  schedules: { calculator: `cron(${string})`; evaluator: `cron(${string})` };
  namespace: string;
}) {
  const { profile, options, rollups, topics, links } = input;
  const fn = (
    name: string,
    handler: string,
    memory: `${number} MB`,
    timeout: `${number} minute${"" | "s"}`,
  ) =>
    new sst.aws.Function(name, {
      handler,
      runtime: "nodejs24.x",
      architecture: "arm64",
      memory,
      timeout,
      copyFiles: input.copyFiles,
      link: [links.rollupBucket, links.alertTopicPage, links.alertTopicTicket],
      permissions: [
        readMetrics(),
        publishMetrics(input.namespace),
        ...input.discovery,
        ...rollupAccess(rollups.arn, true),
        publishAlerts([topics.page.arn, topics.ticket.arn]),
      ],
      environment: {
        ...input.environment,
        SLO_SHARD_ABOVE: String(options.threshold),
        SLO_SLOS_PER_SHARD: String(options.targetSlosPerShard),
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_METRICS_NAMESPACE: input.namespace,
      },
      logging: { retention: profile.jobs.logRetention },
    });
  const planFn = fn("SloShardPlan", SHARDED_HANDLERS.plan, "512 MB", "1 minute");
  // 1,024 MB: bench:fleet peaks at ~370 MB per 500-SLO shard; 4 minutes fits the cycle.
  const calculatorFn = fn(
    "SloShardCalculator",
    SHARDED_HANDLERS.calculator,
    "1024 MB",
    "4 minutes",
  );
  const evaluatorFn = fn("SloShardEvaluator", SHARDED_HANDLERS.evaluator, "1024 MB", "4 minutes");
  const mergeFn = fn("SloShardMerge", SHARDED_HANDLERS.merge, "512 MB", "1 minute");

  const machine = (
    name: string,
    shardArn: $util.Output<string>,
    mergeArn?: $util.Output<string>,
  ) => {
    const role = new aws.iam.Role(`${name}Role`, {
      assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "states.amazonaws.com" }),
      inlinePolicies: [
        {
          name: "invoke",
          policy: $resolve([planFn.arn, shardArn, mergeArn ?? shardArn]).apply(([p, s, m]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [p, s, m] },
              ],
            }),
          ),
        },
      ],
    });
    const definition = $resolve([planFn.arn, shardArn, mergeArn ?? shardArn]).apply(([p, s, m]) =>
      JSON.stringify(stateMachineDefinition(`${p}`, `${s}`, mergeArn ? `${m}` : undefined)),
    );
    const sm = new aws.sfn.StateMachine(name, { type: "EXPRESS", roleArn: role.arn, definition });
    const schedulerRole = new aws.iam.Role(`${name}SchedulerRole`, {
      assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({
        Service: "scheduler.amazonaws.com",
      }),
      inlinePolicies: [
        {
          name: "start",
          policy: sm.arn.apply((arn) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "states:StartExecution", Resource: arn }],
            }),
          ),
        },
      ],
    });
    new aws.scheduler.Schedule(`${name}Schedule`, {
      scheduleExpression: name.includes("Calculator")
        ? input.schedules.calculator
        : input.schedules.evaluator,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: sm.arn,
        roleArn: schedulerRole.arn,
        // The scheduled slot, so a late start still evaluates its own step.
        input: JSON.stringify({ time: "<aws.scheduler.scheduled-time>" }),
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
    return sm;
  };
  return {
    calculator: machine("SloCalculatorShards", calculatorFn.arn),
    evaluator: machine("BurnRateEvaluatorShards", evaluatorFn.arn, mergeFn.arn),
    functions: { plan: planFn, calculator: calculatorFn, evaluator: evaluatorFn, merge: mergeFn },
  };
}

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
  const invoke = (arn: string, payload: Record<string, string>) => ({
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: arn, Payload: payload },
    Retry: [LAMBDA_RETRY],
  });
  return {
    Comment: "Sharded SLO evaluation: plan, one Lambda per shard, merge (evaluator only)",
    StartAt: "Plan",
    States: {
      Plan: {
        ...invoke(planArn, { "time.$": "$.time" }),
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
              ...invoke(shardArn, { "time.$": "$.time", "shard.$": "$.shard" }),
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
        ? { Merge: { ...invoke(mergeArn, { "time.$": "$.time" }), ResultPath: null, End: true } }
        : {}),
    },
  };
}
