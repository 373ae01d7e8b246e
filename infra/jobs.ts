import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compileSloDefinitions } from "../packages/core/src/definitions/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import { metricsProfile, type StageProfile } from "../stacks/profile.ts";
import type { AlertTopics } from "./alerts.ts";
import { JOB_RETRIES, type JobDeadLetter, maximumRunAgeSeconds } from "./dead-letter.ts";
import { InfraConfigError } from "./errors.ts";
import type { JobLinks } from "./links.ts";
import {
  alertStateAccess,
  discoverServices,
  type PermissionStatement,
  publishAlerts,
  readMetrics,
  rollupAccess,
  stageReportWrite,
} from "./permissions.ts";
import { PREDICTED_LOAD_METRIC } from "./scaling.ts";
import {
  createShardedEvaluation,
  type ShardedEvaluation,
  shardingFor,
} from "./sharded-evaluation.ts";

/** Namespace the SLO jobs publish to (WIRING.md). */
export const SLO_NAMESPACE = "Custom/SLO";

/** The three scheduled Lambdas, by SST handler string (WIRING.md). */
export const JOB_HANDLERS = {
  sloCalculator: "packages/functions/src/handlers/slo-calculator.handler",
  burnRateEvaluator: "packages/functions/src/handlers/burn-rate-evaluator.handler",
  predictedLoad: "packages/functions/src/handlers/predicted-load.handler",
} as const;

export type JobName = keyof typeof JOB_HANDLERS;

interface JobSpec {
  readonly component: string;
  /** EventBridge Scheduler expression. */
  readonly schedule: `cron(${string})` | `rate(${string})`;
  readonly metricsNamespace: string;
  readonly links: sst.Linkable<Record<string, unknown>>[];
  readonly permissions: PermissionStatement[];
  readonly environment?: Readonly<Record<string, string>>;
  /** The profile's interval (`N minutes`): how old a failed run may get while retried. */
  readonly every: string;
}

/**
 * The SLO calculator, burn-rate evaluator and predicted-load jobs as `sst.aws.CronV2`
 * (EventBridge Scheduler) on Node 24, each with only the permissions it needs. A run
 * that fails is retried (`JOB_RETRIES`) while it is younger than the job's interval,
 * then lands in the dead-letter queue, whose alarm pages (`infra/dead-letter.ts`).
 *
 * @example
 * const jobs = createJobs({ root, slos, profile, cluster, rollups, topics, links, deadLetter });
 * jobs.functions.sloCalculator; // the Lambda (the shard function when sharded)
 */
export function createJobs(input: {
  root: string;
  slos: readonly SloDefinition[];
  profile: StageProfile;
  cluster: sst.aws.Cluster;
  rollups: sst.aws.Bucket;
  topics: AlertTopics;
  links: JobLinks;
  deadLetter: JobDeadLetter;
}): {
  /** The single-invocation jobs (all three, or predicted-load alone when sharded). */
  crons: Partial<Record<JobName, sst.aws.CronV2>>;
  /** The Lambda that runs each job (the shard function of a sharded job). */
  functions: Record<JobName, sst.aws.Function | sst.aws.CronV2["nodes"]["function"]>;
  sharded: ShardedEvaluation | undefined;
} {
  const { root, slos, profile, cluster, rollups, topics, links, deadLetter } = input;
  const definitions = writeCompiledDefinitions(root, slos);
  const partition = aws.getPartitionOutput().partition;
  const region = aws.getRegionOutput().region;
  const accountId = aws.getCallerIdentityOutput().accountId;
  const ecs = cluster.nodes.cluster;
  const discovery = discoverServices({
    clusterArn: ecs.arn,
    clusterName: ecs.name,
    partition,
    region,
    accountId,
  });

  const specs: Record<JobName, JobSpec> = {
    sloCalculator: {
      component: "SloCalculator",
      // Two minutes after each step ends, so CloudWatch has ingested the step's ALB
      // datapoints before the step is evaluated (late ones are re-read in the overlap).
      schedule: stepSchedule(profile.jobs.sloCalculatorEvery, INGESTION_DELAY_MINUTES),
      every: profile.jobs.sloCalculatorEvery,
      metricsNamespace: SLO_NAMESPACE,
      links: [links.rollupBucket],
      permissions: [readMetrics(), ...discovery, ...rollupAccess(rollups.arn, true)],
    },
    burnRateEvaluator: {
      component: "BurnRateEvaluator",
      // Two minutes after the calculator, in the same step: the rollups are current by
      // then, so the evaluator reuses them instead of reading (and paying for) the same
      // metrics again.
      schedule: stepSchedule(profile.jobs.burnRateEvaluatorEvery, INGESTION_DELAY_MINUTES + 2),
      every: profile.jobs.burnRateEvaluatorEvery,
      metricsNamespace: SLO_NAMESPACE,
      links: [links.rollupBucket, links.alertTopicPage, links.alertTopicTicket],
      permissions: [
        readMetrics(),
        ...discovery,
        // It brings the rollups up to date itself when the calculator is late or failed
        // (updateSloRollups), so it writes them too; read-only, every such run would
        // re-fetch the whole catch-up from CloudWatch and store nothing.
        ...rollupAccess(rollups.arn, true),
        // The pager's memory: without it every firing alert pages again each run.
        alertStateAccess(rollups.arn),
        // What slo gate --aws and slo doctor read: one object, rewritten each run.
        stageReportWrite(rollups.arn),
        publishAlerts([topics.page.arn, topics.ticket.arn]),
      ],
      // Exactly one of the evaluator and the tier alarms notifies (profile.alerts.pager).
      environment: { SLO_NOTIFY: profile.alerts.pager === "evaluator" ? "true" : "false" },
    },
    predictedLoad: {
      component: "PredictedLoad",
      schedule: `rate(${profile.jobs.predictedLoadEvery})`,
      every: profile.jobs.predictedLoadEvery,
      metricsNamespace: PREDICTED_LOAD_METRIC.namespace,
      links: [],
      permissions: [readMetrics(), ...discovery],
    },
  };

  // Above the profile's threshold the two SLO jobs run sharded (infra/sharded-evaluation.ts).
  const sharding = shardingFor(slos, profile);
  const sharded = sharding
    ? createShardedEvaluation({
        profile,
        options: sharding,
        rollups,
        topics,
        links,
        deadLetter,
        copyFiles: [{ from: definitions, to: COMPILED_DEFINITIONS_FILE }],
        environment: {
          ECS_CLUSTER_NAME: ecs.name,
          SLO_STAGE: $app.stage,
          SLO_METRICS: metricsProfile(profile),
          SLO_DEFINITIONS_FILE: COMPILED_DEFINITIONS_FILE,
          ...specs.burnRateEvaluator.environment,
        },
        discovery,
        schedules: {
          calculator: {
            expression: specs.sloCalculator.schedule as `cron(${string})`,
            every: specs.sloCalculator.every,
          },
          evaluator: {
            expression: specs.burnRateEvaluator.schedule as `cron(${string})`,
            every: specs.burnRateEvaluator.every,
          },
        },
        services: {
          calculator: specs.sloCalculator.component,
          evaluator: specs.burnRateEvaluator.component,
        },
        namespace: SLO_NAMESPACE,
      })
    : undefined;
  const single = (Object.keys(specs) as JobName[]).filter(
    (job) => !sharding || job === "predictedLoad",
  );
  const entries = single.map((job) => {
    const spec = specs[job];
    const maxAge = maximumRunAgeSeconds(spec.every);
    const cron = new sst.aws.CronV2(spec.component, {
      schedule: spec.schedule,
      // CronV2 grants its scheduler role sqs:SendMessage on the queue.
      retries: JOB_RETRIES.schedule,
      dlq: deadLetter.queue.arn,
      transform: {
        schedule: (args) => {
          args.target = $output(args.target).apply((target) => ({
            ...target,
            retryPolicy: { ...target.retryPolicy, maximumEventAgeInSeconds: maxAge },
          }));
        },
      },
      function: {
        handler: JOB_HANDLERS[job],
        runtime: "nodejs24.x",
        architecture: "arm64",
        memory: "512 MB",
        timeout: "2 minutes",
        copyFiles: [{ from: definitions, to: COMPILED_DEFINITIONS_FILE }],
        link: spec.links,
        // Lambda sends a run that failed its retries to the queue as this role.
        permissions: [
          ...spec.permissions,
          { actions: ["sqs:SendMessage"], resources: [deadLetter.queue.arn] },
        ],
        environment: {
          ECS_CLUSTER_NAME: ecs.name,
          SLO_STAGE: $app.stage,
          SLO_METRICS: metricsProfile(profile),
          SLO_DEFINITIONS_FILE: COMPILED_DEFINITIONS_FILE,
          POWERTOOLS_SERVICE_NAME: spec.component,
          POWERTOOLS_METRICS_NAMESPACE: spec.metricsNamespace,
          ...spec.environment,
        },
        logging: { retention: profile.jobs.logRetention },
      },
    });
    // The scheduler invokes asynchronously: a handler error is retried by Lambda, not
    // by the scheduler, so Lambda gets the same age limit and queue.
    new aws.lambda.FunctionEventInvokeConfig(`${spec.component}AsyncRetries`, {
      functionName: cron.nodes.function.name,
      maximumRetryAttempts: JOB_RETRIES.lambda,
      maximumEventAgeInSeconds: maxAge,
      destinationConfig: { onFailure: { destination: deadLetter.queue.arn } },
    });
    return [job, cron] as const;
  });
  const crons = Object.fromEntries(entries) as Partial<Record<JobName, sst.aws.CronV2>>;
  // The function whose Errors and metrics show that each job ran: a sharded job's
  // shard function (its Plan/Merge failures fail the execution, which pages on its own).
  const functions = Object.fromEntries(
    (Object.keys(specs) as JobName[]).map((job) => {
      const fn = sharded
        ? job === "sloCalculator"
          ? sharded.functions.calculator
          : job === "burnRateEvaluator"
            ? sharded.functions.evaluator
            : undefined
        : undefined;
      return [job, fn ?? (crons[job] as sst.aws.CronV2).nodes.function];
    }),
  ) as Record<JobName, sst.aws.Function>;
  return { crons, functions, sharded };
}

/** Name of the compiled definitions inside each function bundle. */
export const COMPILED_DEFINITIONS_FILE = "slo-definitions.json";

/**
 * Writes the definitions this deploy validated as JSON for the function bundles, so the
 * Lambdas neither bundle nor run the YAML parser and schema validation at cold start.
 * Returns the path relative to the app root, as `copyFiles` wants it.
 */
export function writeCompiledDefinitions(root: string, slos: readonly SloDefinition[]): string {
  const relative = path.join(".sst", "slo-platform", COMPILED_DEFINITIONS_FILE);
  mkdirSync(path.join(root, path.dirname(relative)), { recursive: true });
  writeFileSync(path.join(root, relative), compileSloDefinitions(slos));
  return relative;
}

/** Minutes CloudWatch gets to ingest a step's ALB datapoints before the jobs read it. */
export const INGESTION_DELAY_MINUTES = 2;

/**
 * A cron expression firing every `every` (e.g. `5 minutes`) at `offsetMinutes` into each
 * step, so jobs that share the rollups run in a fixed order inside the same step (a
 * `rate()` schedule starts whenever the schedule was created).
 *
 * @example
 * stepSchedule("5 minutes", 2); // "cron(2/5 * * * ? *)"
 */
export function stepSchedule(every: string, offsetMinutes: number): `cron(${string})` {
  const m = /^(\d+) minutes?$/.exec(every);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n > 0 && 60 % n === 0 && offsetMinutes >= 0 && offsetMinutes < n)) {
    throw new InfraConfigError(
      `job interval "${every}" with offset ${offsetMinutes} min cannot be a step schedule: use a number of minutes that divides 60 (1, 2, 5, 10, 15, 30) and is larger than the offset`,
    );
  }
  return `cron(${offsetMinutes}/${n} * * * ? *)`;
}
