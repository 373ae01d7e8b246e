/**
 * What a stage declares, computed the way infra computes it (same profile, fleet, SLOs
 * and alarm builders), so doctor compares AWS with the IaC and never re-derives a name.
 */
import type { DeclaredAlarm, StageDeclaration } from "@slo/core/doctor";
import {
  type AlarmDefinition,
  buildDeploymentAlarms,
  buildFleetAlarms,
  buildJobAlarms,
  canarySuccessMetric,
  jobMetric,
  SLO_NAMESPACE,
} from "@slo/core/monitoring";
import type { SloDefinition } from "@slo/core/spec";
import { serviceBounds } from "../../../../infra/scaling.ts";
import { FLEET, resolveStage, type StageProfile } from "../../../../stacks/index.ts";
import { metricsProfile } from "../../../../stacks/profile.ts";

/**
 * The jobs' own metric identities and alarm names, as infra/monitoring.ts `JOB_METRICS`
 * declares them (infra/doctor-declaration.test.ts checks the two agree).
 */
export const DOCTOR_JOBS = [
  {
    key: "sloCalculator",
    job: "slo-calculator",
    service: "SloCalculator",
    namespace: SLO_NAMESPACE,
  },
  {
    key: "burnRateEvaluator",
    job: "burn-rate-evaluator",
    service: "BurnRateEvaluator",
    namespace: SLO_NAMESPACE,
  },
  {
    key: "predictedLoad",
    job: "predicted-load",
    service: "PredictedLoad",
    namespace: "Custom/ECS",
  },
] as const;

/** Target-tracking policies SST attaches per service: CPU, memory and ALB request count. */
export const TARGET_TRACKING_POLICIES = 3;

/** Name of the dead-letter queue and its alarm (infra/dead-letter.ts). */
export const deadLetterName = (stage: string) => `slo-${stage}-jobs-dead-letter`;

/** How SST autonames the alert topics (`new sst.aws.SnsTopic("AlertsPage")`, infra/alerts.ts). */
export const TOPIC_NAME_PREFIX = { page: "AlertsPageTopic", ticket: "AlertsTicketTopic" } as const;

/** Seconds of a Synthetics `rate(...)` schedule, as infra/index.ts `scheduleSeconds` reads it. */
export function scheduleSeconds(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression);
  if (!match) return 300;
  const n = Number(match[1]);
  return (match[2] as string).startsWith("hour") ? n * 3600 : n * 60;
}

function intervalSeconds(every: string): number {
  const m = /^(\d+) minutes?$/.exec(every);
  return m ? Number(m[1]) * 60 : 300;
}

function jobPeriod(profile: StageProfile, key: (typeof DOCTOR_JOBS)[number]["key"]): number {
  const every = {
    sloCalculator: profile.jobs.sloCalculatorEvery,
    burnRateEvaluator: profile.jobs.burnRateEvaluatorEvery,
    predictedLoad: profile.jobs.predictedLoadEvery,
  }[key];
  return intervalSeconds(every);
}

/** A metric doctor reads, with its query id (what `readStage` takes). */
export interface DeclaredMetric {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly periodSeconds: number;
}

function declaredAlarm(def: AlarmDefinition<string>): DeclaredAlarm {
  const periods = def.metricQueries.flatMap((q) => (q.metric ? [q.metric.period] : []));
  const period = Math.max(60, ...periods);
  return {
    name: def.name,
    actionsEnabled: def.actionsEnabled,
    topic: (def.alarmActions[0] as "page" | "ticket" | undefined) ?? null,
    // One evaluation range plus one period of publishing lag.
    maxInsufficientSeconds: period * (def.evaluationPeriods + 1),
  };
}

/**
 * Everything a stage declares as doctor checks it, and the metrics to read for it.
 *
 * @example
 * const { declaration, metrics, notice } = declareStage("production", "slo-prod-cluster", slos, 0.1);
 */
export function declareStage(
  stage: string,
  cluster: string,
  slos: readonly SloDefinition[],
  budgetReserve: number,
): {
  declaration: StageDeclaration;
  metrics: DeclaredMetric[];
  alarmPrefix: string;
  notice?: string;
} {
  const resolved = resolveStage(stage);
  const { profile } = resolved;
  const prefix = `slo-${stage}`;
  const canaryPeriodSeconds = scheduleSeconds(profile.canaries.schedule);
  const topics = { page: profile.alerts.route.page, ticket: profile.alerts.route.ticket };
  const alarmOptions = {
    prefix,
    topics,
    canaryPeriodSeconds,
    metrics: metricsProfile(profile),
    burnRateActions: profile.alerts.pager === "alarms",
    stage,
  };
  const fleetAlarms = [
    ...buildFleetAlarms<string>(slos, alarmOptions),
    ...buildDeploymentAlarms<string>(slos, alarmOptions).alarms,
  ];
  const jobAlarms = buildJobAlarms<string>(
    DOCTOR_JOBS.map((j) => ({
      job: j.job,
      // Alarm names do not depend on the function name, which only AWS knows.
      functionName: "",
      namespace: j.namespace,
      service: j.service,
      periodSeconds: jobPeriod(profile, j.key),
    })),
    { prefix, stage, topics: { page: topics.page, ticket: topics.page } },
  );
  const alarms: DeclaredAlarm[] = [
    ...[...fleetAlarms, ...jobAlarms].map(declaredAlarm),
    {
      name: deadLetterName(stage),
      actionsEnabled: true,
      topic: topics.page,
      maxInsufficientSeconds: 900,
    },
  ];
  const metrics: DeclaredMetric[] = [];
  const add = (m: Omit<DeclaredMetric, "id">, id: string) => {
    metrics.push({ id, ...m });
    return id;
  };
  const jobs = DOCTOR_JOBS.map((j, i) => {
    const periodSeconds = jobPeriod(profile, j.key);
    return {
      job: j.job,
      periodSeconds,
      unitsMetricId: add(
        { ...jobMetric(j, "JobUnitsSucceeded", stage), stat: "Sum", periodSeconds },
        `job${i}units`,
      ),
      errorsMetricId: add(
        { ...jobMetric(j, "JobErrors", stage), stat: "Sum", periodSeconds },
        `job${i}errors`,
      ),
    };
  });
  const deadLetterMetricId = add(
    {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: deadLetterName(stage) },
      stat: "Maximum",
      periodSeconds: 300,
    },
    "dlq",
  );
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const canaryMetricIds = Object.fromEntries(
    services.map((service, i) => [
      service,
      add(
        {
          ...canarySuccessMetric(service, stage),
          stat: "Average",
          periodSeconds: canaryPeriodSeconds,
        },
        `canary${i}`,
      ),
    ]),
  );
  // Read from the stage report, keyed as the evaluator writes it (SLO and objective name).
  const budgets = slos.flatMap((slo) =>
    slo.objectives.map((o) => ({ slo: slo.name, objective: o.name, service: slo.service })),
  );
  const declaration: StageDeclaration = {
    stage,
    cluster,
    azs: profile.network.azs,
    services: FLEET.map((spec) => {
      const bounds = serviceBounds(spec.scaling, profile.capacity);
      return {
        name: spec.name,
        healthPath: spec.healthPath,
        minTasks: bounds.min,
        maxTasks: bounds.max,
        targetTrackingPolicies: TARGET_TRACKING_POLICIES,
        predictivePolicy: `${spec.name}-predictive`,
      };
    }),
    jobs,
    alarms,
    budgets,
    canaryMetricIds,
    canaryPeriodSeconds,
    deadLetterMetricId,
    topicNamePrefix: TOPIC_NAME_PREFIX,
    budgetReserve,
  };
  return {
    declaration,
    metrics,
    alarmPrefix: `${prefix}-`,
    ...(resolved.notice ? { notice: resolved.notice } : {}),
  };
}

/**
 * What the zero-trust posture check needs from the stage (its profile's `zeroTrust` and
 * the fleet's declared calls), for `declaredPosture` in @slo/aws.
 *
 * @example
 * const declared = aws.declaredPosture(...postureInputs("production"));
 */
export function postureInputs(stage: string) {
  return [stage, resolveStage(stage).profile.zeroTrust, FLEET] as const;
}
