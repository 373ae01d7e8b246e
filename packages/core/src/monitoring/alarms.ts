import { SloPlatformError } from "../errors.ts";
import type { AlertTier, SloDefinition } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import {
  burnRateMetric,
  canarySuccessMetric,
  type MetricRef,
  objectiveViews,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
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

export type AlarmKind = "burn-rate" | "budget-exhausted" | "no-data" | "canary";

/** A metric in an alarm's `metricQueries` (field names as in `aws.cloudwatch.MetricAlarm`). */
export interface AlarmMetricStat {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly period: number;
  readonly stat: string;
}

export interface AlarmMetricQuery {
  /** Starts with a lower-case letter (CloudWatch rule). */
  readonly id: string;
  readonly label?: string;
  readonly returnData: boolean;
  readonly expression?: string;
  readonly metric?: AlarmMetricStat;
}

/**
 * One CloudWatch alarm as data. Every field except `kind`, `severity`, `service`,
 * `slo` and `tier` is named as the `aws.cloudwatch.MetricAlarm` argument it maps to,
 * so infra passes them through unchanged. `TTopic` is the SNS topic reference type:
 * `string` ARNs in tests, Pulumi outputs in infra.
 */
export interface AlarmDefinition<TTopic = string> {
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
  readonly metricQueries: readonly AlarmMetricQuery[];
  readonly alarmActions: readonly TTopic[];
  readonly okActions: readonly TTopic[];
  /** False for alarms whose state is shown but that must not notify (see `burnRateActions`). */
  readonly actionsEnabled: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AlarmOptions<TTopic = string> {
  /** SNS topic per severity. */
  readonly topics: Readonly<Record<Severity, TTopic>>;
  /** Prepended to every alarm name, e.g. `slo-production`; keeps stages apart. */
  readonly prefix?: string;
  /** Period of the published SLO metrics (default 300 s: the jobs run every 5 minutes). */
  readonly periodSeconds?: number;
  /** Consecutive periods without an SLI before the no-data alarm fires (default 3). */
  readonly noDataPeriods?: number;
  /** Notify the same topic when the alarm recovers (default true). */
  readonly notifyOnOk?: boolean;
  /**
   * Whether burn-rate tier alarms notify (default true). Set false when the burn-rate
   * evaluator pages: both would otherwise notify for the same burn.
   */
  readonly burnRateActions?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CanaryAlarmOptions<TTopic = string> extends AlarmOptions<TTopic> {
  /** Seconds between canary runs (default 300): one `SuccessPercent` datapoint per run. */
  readonly canaryPeriodSeconds?: number;
  /** Alarm when SuccessPercent is below this (default 90). */
  readonly successThreshold?: number;
  /** Stage the canaries were named for (see `canaryName`). */
  readonly stage?: string;
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

function stat(ref: MetricRef, period: number, statistic: string): AlarmMetricStat {
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
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // A gap in burn-rate data is the no-data alarm's job; paging on it here would double-alert.
    treatMissingData: "notBreaching",
    metricQueries: [
      {
        id: "long",
        label: `burn rate ${long}`,
        returnData: false,
        metric: stat(burnRateMetric(slo, tier.longWindowMs), period, "Maximum"),
      },
      {
        id: "short",
        label: `burn rate ${short}`,
        returnData: false,
        metric: stat(burnRateMetric(slo, tier.shortWindowMs), period, "Maximum"),
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
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching",
    metricQueries: [
      {
        id: "budget",
        label: "error budget remaining",
        returnData: true,
        metric: stat(sloMetric(slo, SLO_METRICS.errorBudgetRemaining), period, "Minimum"),
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
      `[${severity}] No SLI published for SLO ${slo.name} (${slo.service}) for ${formatDuration(periods * period * 1000)}: ` +
        `either the service received no traffic (no data is not "100% good") or the SLO calculator is failing. ` +
        `Check the slo-calculator function logs and the service's request count.`,
    ),
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    treatMissingData: "breaching",
    metricQueries: [
      {
        id: "sli",
        label: "SLI datapoints",
        returnData: true,
        metric: stat(sloMetric(slo, SLO_METRICS.sli), period, "SampleCount"),
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

/**
 * Every alarm of a fleet: the SLO alarms of each SLO and one canary alarm per
 * service that has SLOs. Names are checked to be unique across the fleet.
 *
 * @example
 * const all = buildFleetAlarms(slos, { prefix: "slo-dev", topics });
 * all.filter((a) => a.severity === "page").length;
 */
export function buildFleetAlarms<TTopic = string>(
  slos: readonly SloDefinition[],
  opts: CanaryAlarmOptions<TTopic>,
): AlarmDefinition<TTopic>[] {
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const alarms = [
    ...slos.flatMap((slo) => buildSloAlarms(slo, opts)),
    ...services.map((service) => buildCanaryAlarm(service, opts)),
  ];
  assertUniqueNames(alarms, "the SLO set");
  return alarms;
}

function assertUniqueNames(alarms: readonly AlarmDefinition<unknown>[], scope: string): void {
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
