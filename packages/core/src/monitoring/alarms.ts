import { SloPlatformError } from "../errors.ts";
import type { AlertTier, SloDefinition } from "../spec/model.ts";
import { STAGE_REPORT_KEY } from "../stage-report/model.ts";
import { formatDuration } from "../time/duration.ts";
import {
  burnRateMetric,
  canarySuccessMetric,
  jobMetric,
  type MetricRef,
  type MetricsProfile,
  objectiveViews,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
  serviceAlertStateMetric,
  sloMetric,
  windowLabel,
} from "./metrics.ts";
import { alarmName, canaryName } from "./names.ts";

/** Alarm routing: `page` wakes someone up, `ticket` files work for business hours. */
export type Severity = "page" | "ticket";

export type ComparisonOperator =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";

export type AlarmKind =
  | "burn-rate"
  | "alert-state"
  | "budget-exhausted"
  | "no-data"
  | "canary"
  | "job-errors"
  | "job-heartbeat"
  | "job-unit-errors"
  | "deployment";

/**
 * A metric in an alarm's `metricQueries` (field names as in `aws.cloudwatch.MetricAlarm`).
 * `TValue` is the type of dimension values infra only knows at deploy time (a Lambda
 * function name as a Pulumi output); plain strings everywhere else.
 */
export interface AlarmMetricStat<TValue = string> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string | TValue>>;
  readonly period: number;
  readonly stat: string;
}

export interface AlarmMetricQuery<TValue = string> {
  /** Starts with a lower-case letter (CloudWatch rule). */
  readonly id: string;
  readonly label?: string;
  readonly returnData: boolean;
  readonly expression?: string;
  readonly metric?: AlarmMetricStat<TValue>;
}

/**
 * One CloudWatch alarm as data. Every field except `kind`, `severity`, `service`,
 * `slo` and `tier` is named as the `aws.cloudwatch.MetricAlarm` argument it maps to,
 * so infra passes them through unchanged. `TTopic` is the SNS topic reference type:
 * `string` ARNs in tests, Pulumi outputs in infra.
 */
export interface AlarmDefinition<TTopic = string, TValue = string> {
  readonly kind: AlarmKind;
  readonly severity: Severity;
  readonly service: string;
  readonly slo?: string;
  readonly tier?: string;
  readonly name: string;
  readonly alarmDescription: string;
  readonly comparisonOperator: ComparisonOperator;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  readonly metricQueries: readonly AlarmMetricQuery<TValue>[];
  readonly alarmActions: readonly TTopic[];
  readonly okActions: readonly TTopic[];
  /** False for alarms whose state is shown but that must not notify (see `burnRateActions`). */
  readonly actionsEnabled: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AlarmOptions<TTopic = string> {
  /** SNS topic per severity. */
  readonly topics: Readonly<Record<Severity, TTopic>>;
  /** The stage whose metrics the alarms read (the `Stage` dimension, see `stageDimensions`). */
  readonly stage: string;
  /** Prepended to every alarm name, e.g. `slo-production`; keeps stages apart. */
  readonly prefix?: string;
  /** Period of the published SLO metrics (default 300 s: the jobs run every 5 minutes). */
  readonly periodSeconds?: number;
  /** Consecutive periods without an SLI before the no-data alarm fires (default 3). */
  readonly noDataPeriods?: number;
  /** Notify the same topic when the alarm recovers (default true). */
  readonly notifyOnOk?: boolean;
  /**
   * Whether the burn-rate tier alarms notify, i.e. the alarms are the pager (default
   * true; `buildFleetAlarms` defaults it from the metrics profile). Set false when the
   * burn-rate evaluator pages: both would otherwise notify for the same burn.
   */
  readonly burnRateActions?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface FleetAlarmOptions<TTopic = string> extends CanaryAlarmOptions<TTopic> {
  /**
   * The stage's metrics profile: `full` keeps one burn-rate alarm per tier per objective
   * (on `BurnRate`, which only `full` publishes); `minimal` has one alarm per service on
   * its `AlertState` (`serviceAlertStateMetric`). Required: alarms on metrics the stage
   * does not publish would never fire.
   */
  readonly metrics: MetricsProfile;
}

export interface CanaryAlarmOptions<TTopic = string> extends AlarmOptions<TTopic> {
  /** Seconds between canary runs (default 300): one `SuccessPercent` datapoint per run. */
  readonly canaryPeriodSeconds?: number;
  /** Alarm when SuccessPercent is below this (default 90). */
  readonly successThreshold?: number;
}

/** Thrown when an SLO's alert tiers cannot become alarms. */
export class AlarmDefinitionError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "AlarmDefinitionError";
  }
}

const DESCRIPTION_MAX = 1024;

function describe(text: string): string {
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}

function stat(ref: MetricRef, period: number, statistic: string): AlarmMetricStat<never> {
  return { ...ref, period, stat: statistic };
}

function prefixed(prefix: string | undefined, rest: string): string {
  return alarmName(prefix ? `${prefix}-${rest}` : rest);
}

function percent(x: number): string {
  return `${Number((x * 100).toPrecision(6))}%`;
}

function routing<T>(severity: Severity, opts: AlarmOptions<T>, actionsEnabled = true) {
  const topic = opts.topics[severity];
  return {
    alarmActions: [topic],
    okActions: opts.notifyOnOk === false ? [] : [topic],
    actionsEnabled,
  };
}

/** M-of-N of the burn-rate alarms (see `burnRateAlarm`). */
const BURN_RATE_M_OF_N = { evaluationPeriods: 3, datapointsToAlarm: 2 } as const;

function checkTier(slo: SloDefinition, tier: AlertTier, index: number): void {
  const where = `${slo.location.file}:${slo.location.line} (SLO "${slo.name}", alertTiers[${index}])`;
  if (!(Number.isFinite(tier.burnRateThreshold) && tier.burnRateThreshold > 0)) {
    throw new AlarmDefinitionError(
      `${where}: burnRateThreshold ${tier.burnRateThreshold} is not a positive number; write a budget fraction and windows that give one (e.g. 2% over 1h of 30d = 14.4)`,
    );
  }
  if (!(tier.shortWindowMs > 0 && tier.shortWindowMs < tier.longWindowMs)) {
    throw new AlarmDefinitionError(
      `${where}: shortWindow ${formatDuration(tier.shortWindowMs)} must be positive and shorter than longWindow ${formatDuration(tier.longWindowMs)} (the usual choice is long / 12)`,
    );
  }
}

function periodLabel(slo: SloDefinition): string {
  const w = slo.timeWindow;
  return w.type === "rolling" ? `${formatDuration(w.durationMs)} rolling` : `${w.count} ${w.unit}`;
}

function objectiveText(slo: SloDefinition): string {
  return slo.objectives.map((o) => `${o.name} ${percent(o.target)}`).join(", ");
}

/**
 * The multi-window burn-rate alarm of one tier: fires when the burn rate over both
 * the long and the short window is above the tier's threshold, i.e. when
 * `MIN([long, short]) > threshold` (the short window makes the alarm reset quickly
 * once the burning stops).
 */
function burnRateAlarm<T>(
  slo: SloDefinition,
  tier: AlertTier,
  opts: AlarmOptions<T>,
): AlarmDefinition<T> {
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const long = windowLabel(tier.longWindowMs);
  const short = windowLabel(tier.shortWindowMs);
  return {
    kind: "burn-rate",
    severity: tier.severity,
    service: slo.service,
    slo: slo.name,
    tier: tier.name,
    name: prefixed(opts.prefix, `${slo.name}-burn-${tier.name}`),
    alarmDescription: describe(
      `[${tier.severity}] SLO ${slo.name} (${slo.service}, objective ${objectiveText(slo)}, ${periodLabel(slo)}) ` +
        `is burning error budget at more than ${tier.burnRateThreshold}x over both ${long} and ${short}: ` +
        `${percent(tier.budgetFraction)} of the period's budget would be gone within ${long}. ` +
        `Check the service dashboard and recent deploys.`,
    ),
    comparisonOperator: "GreaterThanThreshold",
    threshold: tier.burnRateThreshold,
    // EMF datapoints reach CloudWatch minutes late: 2 of the last 3 periods keeps one
    // late or missing period from flipping the alarm, for one period of extra delay
    // (the short window still resets it quickly once the burning stops).
    ...BURN_RATE_M_OF_N,
    // A late datapoint is a gap for a while: keep the current state through it (not
    // "notBreaching", which would flap ALARM -> OK -> ALARM); a real gap is the no-data
    // alarm's job, so paging on it here would double-alert.
    treatMissingData: "ignore",
    metricQueries: [
      {
        id: "long",
        label: `burn rate ${long}`,
        returnData: false,
        metric: stat(burnRateMetric(slo, tier.longWindowMs, opts.stage), period, "Maximum"),
      },
      {
        id: "short",
        label: `burn rate ${short}`,
        returnData: false,
        metric: stat(burnRateMetric(slo, tier.shortWindowMs, opts.stage), period, "Maximum"),
      },
      {
        id: "burn",
        label: `burn rate min(${long}, ${short})`,
        returnData: true,
        expression: "MIN([long, short])",
      },
    ],
    ...routing(tier.severity, opts, opts.burnRateActions ?? true),
    tags: { ...opts.tags, Service: slo.service, SLO: slo.name, Severity: tier.severity },
  };
}

function budgetExhaustedAlarm<T>(slo: SloDefinition, opts: AlarmOptions<T>): AlarmDefinition<T> {
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const severity: Severity = "ticket";
  return {
    kind: "budget-exhausted",
    severity,
    service: slo.service,
    slo: slo.name,
    name: prefixed(opts.prefix, `${slo.name}-budget-exhausted`),
    alarmDescription: describe(
      `[${severity}] SLO ${slo.name} (${slo.service}) has used all of its error budget for the ${periodLabel(slo)} window ` +
        `(objective ${objectiveText(slo)}). Apply the error-budget policy: pause risky releases, prioritise reliability work.`,
    ),
    comparisonOperator: "LessThanOrEqualToThreshold",
    threshold: 0,
    // The remaining budget moves slowly; 2 of 3 ignores one late or re-evaluated point
    // near zero without delaying a real exhaustion by more than a period.
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    // Exhaustion is a state: keep it through late data; gaps are the no-data alarm's.
    treatMissingData: "ignore",
    metricQueries: [
      {
        id: "budget",
        label: "error budget remaining",
        returnData: true,
        metric: stat(
          sloMetric(slo, SLO_METRICS.errorBudgetRemaining, opts.stage),
          period,
          "Minimum",
        ),
      },
    ],
    ...routing(severity, opts),
    tags: { ...opts.tags, Service: slo.service, SLO: slo.name, Severity: severity },
  };
}

function noDataAlarm<T>(slo: SloDefinition, opts: AlarmOptions<T>): AlarmDefinition<T> {
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const periods = opts.noDataPeriods ?? 3;
  const severity: Severity = "ticket";
  return {
    kind: "no-data",
    severity,
    service: slo.service,
    slo: slo.name,
    name: prefixed(opts.prefix, `${slo.name}-no-data`),
    alarmDescription: describe(
      `[${severity}] No SLI (no error budget figure) published for SLO ${slo.name} (${slo.service}) for ${formatDuration(periods * period * 1000)}: ` +
        `either the service received no traffic (no data is not "100% good") or the SLO calculator is failing. ` +
        `Check the slo-calculator function logs and the service's request count.`,
    ),
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    // Missing is the condition itself: N silent periods in a row alarm; one late
    // datapoint inside them resets the count, so late data cannot cause this alarm.
    treatMissingData: "breaching",
    // ErrorBudgetRemaining is published exactly when the SLI is (both need events in
    // the window) and in every metrics profile, so it is counted instead of paying for
    // an SLI metric per objective that only this alarm would read.
    metricQueries: [
      {
        id: "sli",
        label: "SLI datapoints (as error budget datapoints)",
        returnData: true,
        metric: stat(
          sloMetric(slo, SLO_METRICS.errorBudgetRemaining, opts.stage),
          period,
          "SampleCount",
        ),
      },
    ],
    ...routing(severity, opts),
    tags: { ...opts.tags, Service: slo.service, SLO: slo.name, Severity: severity },
  };
}

/**
 * Alarm definitions of one SLO: one long-AND-short burn-rate alarm per alert tier
 * (severity from the tier), error budget exhausted, and no data.
 *
 * @example
 * const alarms = buildSloAlarms(slo, {
 *   prefix: "slo-production",
 *   topics: { page: pageTopicArn, ticket: ticketTopicArn },
 * });
 * alarms.filter((a) => a.kind === "burn-rate").map((a) => a.threshold); // [14.4, 6, 3, 1]
 */
export function buildSloAlarms<TTopic = string>(
  slo: SloDefinition,
  opts: AlarmOptions<TTopic>,
): AlarmDefinition<TTopic>[] {
  slo.alertTiers.forEach((tier, i) => {
    checkTier(slo, tier, i);
  });
  const alarms = objectiveViews(slo).flatMap((view) => [
    ...view.alertTiers.map((tier) => burnRateAlarm(view, tier, opts)),
    budgetExhaustedAlarm(view, opts),
    noDataAlarm(view, opts),
  ]);
  assertUniqueNames(alarms, `SLO "${slo.name}" (${slo.location.file}:${slo.location.line})`);
  return alarms;
}

/**
 * The canary alarm of a service: `SuccessPercent` below 90 in 2 of the last 3 runs.
 * A canary that stops reporting counts as failing: no synthetic coverage is an outage
 * of the safety net.
 *
 * @example
 * buildCanaryAlarm("order-service", { topics: { page: "arn:page", ticket: "arn:ticket" } }).threshold; // 90
 */
export function buildCanaryAlarm<TTopic = string>(
  service: string,
  opts: CanaryAlarmOptions<TTopic>,
): AlarmDefinition<TTopic> {
  const period = opts.canaryPeriodSeconds ?? 300;
  const threshold = opts.successThreshold ?? 90;
  const severity: Severity = "page";
  const canary = canaryName(service, opts.stage);
  return {
    kind: "canary",
    severity,
    service,
    name: prefixed(opts.prefix, `${service}-canary-failing`),
    alarmDescription: describe(
      `[${severity}] Synthetics canary ${canary} for ${service} succeeded less than ${threshold}% in 2 of its last 3 runs ` +
        `(health and API checks from outside the service). Check the canary's screenshots/HAR and the service's health.`,
    ),
    comparisonOperator: "LessThanThreshold",
    threshold,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    // A canary that stops reporting is failing coverage: count silence as failure.
    treatMissingData: "breaching",
    metricQueries: [
      {
        id: "success",
        label: "canary success %",
        returnData: true,
        metric: stat(canarySuccessMetric(service, opts.stage), period, "Average"),
      },
    ],
    ...routing(severity, opts),
    tags: { ...opts.tags, Service: service, Severity: severity },
  };
}

/** One scheduled job, as its alarms see it. */
export interface JobMonitor<TValue = string> {
  /** Short job name used in alarm names, e.g. `slo-calculator`. */
  readonly job: string;
  /** The Lambda function name (`FunctionName` of `AWS/Lambda` metrics). */
  readonly functionName: string | TValue;
  /** Namespace and `service` of the job's own Powertools metrics (`JobErrors`...). */
  readonly namespace: string;
  readonly service: string;
  /** Seconds between scheduled runs: one datapoint of each job metric per run. */
  readonly periodSeconds: number;
}

/**
 * The alarms that watch the watchers, per job: `Errors` of its Lambda (the run threw or
 * timed out), a heartbeat (no run published anything for three runs) and `JobErrors`
 * (runs that kept failing some SLOs or services). All page: a failing pager must page
 * someone, so they route to the page topic whoever pages burn-rate alerts.
 *
 * The heartbeat reads `JobUnitsSucceeded`, which every run emits: a run that published
 * no `SLI` / `AlertState` / forecast at all emits 0, and a run that never happened emits
 * nothing; both count as breaching.
 *
 * @example
 * buildJobAlarms([{ job: "slo-calculator", functionName: "fn", namespace: "Custom/SLO",
 *   service: "SloCalculator", periodSeconds: 300 }], { stage: "dev", topics }).map((a) => a.kind);
 * // ["job-errors", "job-heartbeat", "job-unit-errors"]
 */
export function buildJobAlarms<TTopic = string, TValue = string>(
  jobs: readonly JobMonitor<TValue>[],
  opts: AlarmOptions<TTopic>,
): AlarmDefinition<TTopic, TValue>[] {
  const severity: Severity = "page";
  const alarms = jobs.flatMap((j): AlarmDefinition<TTopic, TValue>[] => {
    const period = j.periodSeconds;
    const every = formatDuration(period * 1000);
    const base = {
      severity,
      service: j.job,
      ...routing(severity, opts),
      tags: { ...opts.tags, Job: j.job, Severity: severity },
    };
    const own = (metricName: string, statistic: string): AlarmMetricStat<TValue> =>
      stat(
        jobMetric({ namespace: j.namespace, service: j.service }, metricName, opts.stage),
        period,
        statistic,
      );
    return [
      {
        ...base,
        kind: "job-errors",
        name: prefixed(opts.prefix, `job-${j.job}-errors`),
        alarmDescription: describe(
          `[${severity}] The ${j.job} Lambda failed (error or timeout) in 2 of its last 3 runs (every ${every}). ` +
            `Check its logs; while it fails, SLO metrics and alerts from it are stale.`,
        ),
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        // One failed run is retried by the schedule; two in three runs is a broken job.
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        // Lambda publishes Errors only for periods with invocations; a job that stops
        // running is the heartbeat's to catch, so silence is not an error here.
        treatMissingData: "notBreaching",
        metricQueries: [
          {
            id: "errors",
            label: "Lambda errors",
            returnData: true,
            metric: {
              namespace: "AWS/Lambda",
              metricName: "Errors",
              dimensions: { FunctionName: j.functionName },
              period,
              stat: "Sum",
            },
          },
        ],
      },
      {
        ...base,
        kind: "job-heartbeat",
        name: prefixed(opts.prefix, `job-${j.job}-heartbeat`),
        alarmDescription: describe(
          `[${severity}] ${j.job} published nothing for 3 runs (${formatDuration(3 * period * 1000)}): ` +
            `it is not running, or every SLO/service it handles fails. SLO metrics, alarms and the pager are blind until it recovers.`,
        ),
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Silence is exactly what this alarm is for: a missing period breaches, and one
        // late datapoint resets the streak, so late data cannot trigger it.
        treatMissingData: "breaching",
        metricQueries: [
          {
            id: "units",
            label: "units published per run",
            returnData: true,
            metric: own("JobUnitsSucceeded", "Maximum"),
          },
        ],
      },
      {
        ...base,
        kind: "job-unit-errors",
        name: prefixed(opts.prefix, `job-${j.job}-unit-errors`),
        alarmDescription: describe(
          `[${severity}] ${j.job} reported JobErrors (SLOs, services, notifications or alert state it could not handle) in 3 runs in a row. ` +
            `Its "unit failed" log lines name each unit and the reason.`,
        ),
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        // One incomplete step (late ALB data) is normal and retried next run; three in a
        // row is a unit that stays broken.
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Runs that did not happen are the heartbeat's; here they neither fire nor clear.
        treatMissingData: "ignore",
        metricQueries: [
          {
            id: "joberrors",
            label: "JobErrors per run",
            returnData: true,
            metric: own("JobErrors", "Maximum"),
          },
        ],
      },
    ];
  });
  assertUniqueNames(alarms, "the jobs");
  return alarms;
}

/** CloudWatch metric-math alarms may reference at most 10 metrics. */
export const MAX_METRICS_PER_ALARM = 10;

/** The `AlertState` of a page tier firing (as the burn-rate evaluator publishes it). */
const PAGE_STATE = 2;

/**
 * The one alarm per service of the `minimal` profile: the service's worst `AlertState`
 * ({@link serviceAlertStateMetric}) at 2, i.e. a page tier of one of its objectives fires.
 * Silent: the evaluator pages (and tickets), this alarm is the service's page condition
 * for the ECS deployment guard and its state on dashboards. The metric is published only
 * while something fires, so missing data is "nothing fires" (`notBreaching`); whether the
 * evaluator runs at all is its heartbeat alarm's job. The evaluator already requires both
 * windows over the threshold, so the first period acts (1 of 1).
 */
function serviceAlertStateAlarm<T>(
  service: string,
  views: readonly SloDefinition[],
  opts: AlarmOptions<T>,
): AlarmDefinition<T> {
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const severity: Severity = "page";
  return {
    kind: "alert-state",
    severity,
    service,
    name: prefixed(opts.prefix, `${service}-alert-state`),
    alarmDescription: describe(
      `[${severity}] A page burn-rate tier of an SLO of ${service} fires (the service's worst AlertState is 2; 1 would be a ticket tier). ` +
        `Silent: the burn-rate evaluator pages. ECS rolls a deployment of ${service} back while this is in ALARM. ` +
        `Per-SLO detail (SLI, budget, burn rate per window): the stage report ${STAGE_REPORT_KEY} in the rollup bucket (slo gate --aws), ` +
        `or Logs Insights on the SLO jobs' logs: filter message = "slo values" and sloService = "${service}". ` +
        `SLOs: ${views.map((v) => v.name).join(", ")}`,
    ),
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: PAGE_STATE,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching",
    metricQueries: [
      {
        id: "state",
        label: `${service} AlertState`,
        returnData: true,
        metric: stat(serviceAlertStateMetric(service, opts.stage), period, "Maximum"),
      },
    ],
    alarmActions: [],
    okActions: [],
    actionsEnabled: false,
    tags: { ...opts.tags, Service: service, Severity: severity },
  };
}

/**
 * Whether the burn-rate evaluator, rather than an alarm per objective, announces
 * budget-exhausted and no-data: in the `minimal` profile when the evaluator is the pager
 * (it already evaluates both from the same reports, and keeps state so each change is
 * sent once). `buildFleetAlarms` leaves those alarms out exactly then, and the evaluator's
 * deps switch the notifications on from the same rule, so exactly one of them notifies.
 *
 * @example
 * evaluatorNotifiesConditions("minimal", true); // true
 * evaluatorNotifiesConditions("full", true); // false: full keeps every alarm
 */
export function evaluatorNotifiesConditions(
  metrics: MetricsProfile,
  evaluatorPages: boolean,
): boolean {
  return metrics === "minimal" && evaluatorPages;
}

/**
 * Every alarm of a fleet, as the stage's metrics profile allows.
 *
 * `full`: per objective one burn-rate alarm per tier, budget exhausted and no data.
 * `minimal` (no metric per objective; the evaluator is the pager and announces budget
 * exhausted and no data itself, see `evaluatorNotifiesConditions`): one silent alarm per
 * service on its `AlertState` (a page tier firing), which is also what its deployment
 * rolls back on. `minimal` with the alarms as pager (`burnRateActions: true`) is refused:
 * nothing per objective exists to page on. `burnRateActions` defaults to true for `full`
 * and false for `minimal`. Both: one canary alarm per service that has SLOs. Names are
 * checked to be unique across the fleet.
 *
 * @example
 * const all = buildFleetAlarms(slos, { prefix: "slo-dev", stage: "dev", metrics: "minimal", topics, burnRateActions: false });
 * all.filter((a) => a.kind === "alert-state").length; // one per service
 */
export function buildFleetAlarms<TTopic = string>(
  slos: readonly SloDefinition[],
  opts: FleetAlarmOptions<TTopic>,
): AlarmDefinition<TTopic>[] {
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const alarmsPage = opts.burnRateActions ?? opts.metrics === "full";
  if (opts.metrics === "minimal" && alarmsPage) {
    throw new AlarmDefinitionError(
      'metrics "minimal" publishes no metric per SLO objective, so CloudWatch alarms cannot be the pager (burnRateActions: true): use metrics: "full" for pager: "alarms", or let the burn-rate evaluator page (pager: "evaluator", burnRateActions: false)',
    );
  }
  const burn =
    opts.metrics === "full"
      ? slos.flatMap((slo) => buildSloAlarms(slo, { ...opts, burnRateActions: alarmsPage }))
      : services.map((service) => {
          const own = slos.filter((s) => s.service === service);
          for (const slo of own) {
            slo.alertTiers.forEach((tier, i) => {
              checkTier(slo, tier, i);
            });
          }
          return serviceAlertStateAlarm(service, own.flatMap(objectiveViews), opts);
        });
  const alarms = [...burn, ...services.map((service) => buildCanaryAlarm(service, opts))];
  assertUniqueNames(alarms, "the SLO set");
  return alarms;
}

function assertUniqueNames(
  alarms: readonly AlarmDefinition<unknown, unknown>[],
  scope: string,
): void {
  const seen = new Set<string>();
  for (const a of alarms) {
    if (seen.has(a.name)) {
      throw new AlarmDefinitionError(
        `Two alarms of ${scope} would both be named "${a.name}": give the alert tiers / SLOs names that differ in letters or digits, not only in punctuation`,
      );
    }
    seen.add(a.name);
  }
}
