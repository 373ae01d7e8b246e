import {
  type AlarmDefinition,
  buildDeploymentAlarms,
  buildFleetAlarms,
  buildJobAlarms,
  buildStageDashboards,
  type JobMonitor,
  SLO_NAMESPACE,
} from "../packages/core/src/monitoring/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import { metricsProfile, type StageProfile } from "../stacks/profile.ts";
import { type AlertTopics, topicFor } from "./alerts.ts";
import type { JobName } from "./jobs.ts";
import { PREDICTED_LOAD_METRIC } from "./scaling.ts";

type TopicArn = $util.Output<string>;
type FunctionName = $util.Output<string>;

/**
 * How each job's own metrics are published: the namespace and `service` its Powertools
 * Metrics use (POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME set in
 * infra/jobs.ts; app.test.ts checks the two agree) and the short name in alarm names.
 */
export const JOB_METRICS: Record<
  JobName,
  { readonly job: string; readonly service: string; readonly namespace: string }
> = {
  sloCalculator: { job: "slo-calculator", service: "SloCalculator", namespace: SLO_NAMESPACE },
  burnRateEvaluator: {
    job: "burn-rate-evaluator",
    service: "BurnRateEvaluator",
    namespace: SLO_NAMESPACE,
  },
  predictedLoad: {
    job: "predicted-load",
    service: "PredictedLoad",
    namespace: PREDICTED_LOAD_METRIC.namespace,
  },
};

/** Seconds in a profile interval such as `5 minutes`. */
function intervalSeconds(every: string): number {
  const m = /^(\d+) minutes?$/.exec(every);
  return m ? Number(m[1]) * 60 : 300;
}

/** The stage profile's schedule of each job, in seconds (one datapoint per run). */
export function jobPeriods(profile: StageProfile): Record<JobName, number> {
  return {
    sloCalculator: intervalSeconds(profile.jobs.sloCalculatorEvery),
    burnRateEvaluator: intervalSeconds(profile.jobs.burnRateEvaluatorEvery),
    predictedLoad: intervalSeconds(profile.jobs.predictedLoadEvery),
  };
}

/**
 * Instantiates the alarms and dashboards that `@slo/core/monitoring` builds as data
 * from the SLO definitions, as the stage's metrics profile allows (`buildFleetAlarms`):
 * `full` has per objective a long-AND-short-window burn-rate alarm per tier, error budget
 * exhausted and no data; `minimal` (the default, the evaluator pages and tickets) one
 * silent alarm per service on its `AlertState`, which is also what the service's
 * deployment rolls back on. Both: one canary alarm per service; per job `Errors`,
 * heartbeat and `JobErrors` alarms that always page; one SLO dashboard for the stage (a
 * `Service` variable picks the service) and an executive fleet view. Every metric they
 * read carries this stage's `Stage` dimension. Severities route to topics by the stage
 * profile; `metricsProfile` refuses `minimal` with `pager: "alarms"`.
 *
 * @example
 * const { alarms, dashboards } = createMonitoring({ profile, slos, topics, canaryPeriodSeconds: 300, jobs });
 */
export function createMonitoring(input: {
  profile: StageProfile;
  slos: readonly SloDefinition[];
  topics: AlertTopics;
  canaryPeriodSeconds: number;
  /** The Lambda function name of each scheduled job (`cron.nodes.function.name`). */
  /** The Lambda of each single-invocation job (a sharded stage runs two jobs as state machines). */
  jobFunctions: Partial<Record<JobName, FunctionName>>;
}) {
  const { profile, slos, topics, canaryPeriodSeconds, jobFunctions } = input;
  const prefix = `slo-${$app.stage}`;
  const pageTopic = topicFor(topics, profile, "page").arn;
  const definitions: AlarmDefinition<TopicArn>[] = buildFleetAlarms<TopicArn>(slos, {
    prefix,
    topics: {
      page: pageTopic,
      ticket: topicFor(topics, profile, "ticket").arn,
    },
    canaryPeriodSeconds,
    metrics: metricsProfile(profile),
    burnRateActions: profile.alerts.pager === "alarms",
    stage: $app.stage,
    tags: { Stage: $app.stage },
  });
  const periods = jobPeriods(profile);
  const monitors: JobMonitor<FunctionName>[] = (Object.keys(JOB_METRICS) as JobName[]).flatMap(
    (name) => {
      const functionName = jobFunctions[name];
      return functionName === undefined
        ? []
        : [{ ...JOB_METRICS[name], functionName, periodSeconds: periods[name] }];
    },
  );
  // Both severities on the page topic: a failing pager must page someone, whatever
  // alerts.pager says (the profile's route still decides which topic "page" is).
  const jobAlarms = buildJobAlarms<TopicArn, FunctionName>(monitors, {
    prefix,
    stage: $app.stage,
    topics: { page: pageTopic, ticket: pageTopic },
    tags: { Stage: $app.stage },
  });
  // Per-service page conditions the ECS deployments watch (see deploymentAlarmNames):
  // none in minimal, where each service's AlertState alarm above is its guard.
  const deploymentAlarms = buildDeploymentAlarms<TopicArn>(slos, {
    prefix,
    topics: { page: pageTopic, ticket: topicFor(topics, profile, "ticket").arn },
    canaryPeriodSeconds,
    metrics: metricsProfile(profile),
    burnRateActions: profile.alerts.pager === "alarms",
    stage: $app.stage,
    tags: { Stage: $app.stage },
  }).alarms;
  const alarms = [...definitions, ...jobAlarms, ...deploymentAlarms].map((def) => createAlarm(def));

  const region = aws.getRegionOutput().region;
  // One SLO dashboard for the stage (a Service variable picks the service) and the
  // fleet view, in buildStageDashboards' order: dashboards beyond three cost $3 a month
  // each (bench:cost counts the same list).
  const defs = region.apply((r) =>
    buildStageDashboards(slos, {
      region: r,
      prefix,
      stage: $app.stage,
      metrics: metricsProfile(profile),
    }),
  );
  const dashboards = ["SlosDashboard", "FleetDashboard"].map((name, i) => {
    const def = defs.apply((all) => {
      const d = all[i];
      if (d === undefined)
        throw new Error(`buildStageDashboards returned no dashboard #${i} (${name})`);
      return d;
    });
    return new aws.cloudwatch.Dashboard(name, {
      dashboardName: def.name,
      dashboardBody: def.body.apply((body) => JSON.stringify(body)),
    });
  });
  return { alarms, dashboards, definitions, jobAlarms, deploymentAlarms };
}

/** Logical (Pulumi) name of an alarm: stable, and unique because alarm names are. */
function alarmResourceName(def: AlarmDefinition<unknown, unknown>): string {
  return `Alarm-${def.name}`;
}

function createAlarm(def: AlarmDefinition<TopicArn, FunctionName>): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(alarmResourceName(def), {
    name: def.name,
    alarmDescription: def.alarmDescription,
    comparisonOperator: def.comparisonOperator,
    threshold: def.threshold,
    evaluationPeriods: def.evaluationPeriods,
    datapointsToAlarm: def.datapointsToAlarm,
    treatMissingData: def.treatMissingData,
    metricQueries: def.metricQueries.map((q) => ({
      id: q.id,
      label: q.label,
      returnData: q.returnData,
      expression: q.expression,
      metric: q.metric
        ? {
            namespace: q.metric.namespace,
            metricName: q.metric.metricName,
            dimensions: { ...q.metric.dimensions },
            period: q.metric.period,
            stat: q.metric.stat,
          }
        : undefined,
    })),
    alarmActions: [...def.alarmActions],
    okActions: [...def.okActions],
    actionsEnabled: def.actionsEnabled,
    tags: { ...def.tags, AlarmKind: def.kind, ...(def.tier ? { Tier: def.tier } : {}) },
  });
}

/**
 * The alarm names each service's ECS deployment watches (its canary alarm and its page
 * burn conditions, `buildDeploymentAlarms`), known before any resource exists: names
 * are data, so services can be declared before the alarms that `createMonitoring`
 * instantiates under the same names.
 *
 * @example
 * deploymentAlarmNames({ profile, slos, canaryPeriodSeconds: 300 })["payment-service"];
 */
export function deploymentAlarmNames(input: {
  profile: StageProfile;
  slos: readonly SloDefinition[];
  canaryPeriodSeconds: number;
}): Readonly<Record<string, readonly string[]>> {
  const { profile, slos, canaryPeriodSeconds } = input;
  return buildDeploymentAlarms(slos, {
    prefix: `slo-${$app.stage}`,
    // Names do not depend on the topics.
    topics: { page: "page", ticket: "ticket" },
    canaryPeriodSeconds,
    metrics: metricsProfile(profile),
    burnRateActions: profile.alerts.pager === "alarms",
    stage: $app.stage,
  }).byService;
}
