import { SloPlatformError } from "../errors.ts";
import { ALERT_WINDOW_STEP_MS } from "../spec/alert-tiers.ts";
import type { SloDefinition } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import { canaryName } from "./names.ts";

/**
 * The metrics the platform publishes (WIRING: namespace `Custom/SLO`, dimensions
 * `Stage`, `Service`, `SLO`, and `Window` on `BurnRate` only; `Custom/ECS` with `Stage`
 * and `Service`) and the Synthetics metric the canaries emit. Sinks, dashboards, alarms,
 * the gate and the scaling policy refer to metric identities only through this file.
 */
export const SLO_NAMESPACE = "Custom/SLO";
/** Namespace of the load forecast, observed load and capacity recommendation. */
export const ECS_NAMESPACE = "Custom/ECS";
export const SYNTHETICS_NAMESPACE = "CloudWatchSynthetics";

export const SLO_METRICS = {
  sli: "SLI",
  compliance: "Compliance",
  errorBudgetRemaining: "ErrorBudgetRemaining",
  burnRate: "BurnRate",
  alertState: "AlertState",
} as const;

/** The jobs publish every 5 minutes: the natural period of every SLO metric. */
export const SLO_METRIC_PERIOD_SECONDS = ALERT_WINDOW_STEP_MS / 1000;

/** The dimension that keeps stages sharing an account and region apart. */
export const STAGE_DIMENSION = "Stage";

/** Thrown when a metric identity cannot be built (e.g. an empty stage). */
export class MetricIdentityError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "MetricIdentityError";
  }
}

export type Dimensions = Readonly<Record<string, string>>;

/** A metric reference in the shape both dashboards and alarms derive from. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
}

/**
 * The one dimension rule of every custom metric this platform publishes or reads
 * (`Custom/SLO`, `Custom/ECS`, the jobs' own `JobErrors`): the metric's own dimensions
 * plus `Stage`. Two stages in one account and region then never share a metric, an
 * alarm or a gate decision. The sinks, alarms, dashboards, gate and the predictive
 * scaling policy all build dimensions through this function.
 *
 * @example
 * stageDimensions("production", { Service: "order-service" });
 * // { Stage: "production", Service: "order-service" }
 */
export function stageDimensions(stage: string, dimensions: Dimensions): Dimensions {
  if (typeof stage !== "string" || stage.trim() === "") {
    throw new MetricIdentityError(
      `metric ${JSON.stringify(dimensions)} has no stage: pass the stage name (SLO_STAGE in the jobs, $app.stage in infra, --stage in the CLI)`,
    );
  }
  return { [STAGE_DIMENSION]: stage, ...dimensions };
}

/** Dimensions identifying one SLO's series in a stage. */
export function sloDimensions(
  slo: Pick<SloDefinition, "service" | "name">,
  stage: string,
): Dimensions {
  return stageDimensions(stage, { Service: slo.service, SLO: slo.name });
}

/**
 * Dimensions of a service's `Custom/ECS` metrics (`PredictedLoad`, `ObservedLoad`,
 * `RecommendedTaskCount`) in a stage.
 *
 * @example
 * serviceDimensions("order-service", "dev"); // { Stage: "dev", Service: "order-service" }
 */
export function serviceDimensions(service: string, stage: string): Dimensions {
  return stageDimensions(stage, { Service: service });
}

/** The `Window` dimension value of a burn-rate window (`1h`, `5m`, `3d`). */
export function windowLabel(windowMs: number): string {
  return formatDuration(windowMs);
}

/**
 * The `SLO` dimension an objective's metrics are published under: the SLO's name for
 * its first objective (so single-objective SLOs read naturally), `<slo>/<objective>`
 * for the others. The sinks and every alarm and dashboard use this one rule.
 *
 * @example
 * objectiveSloDimension("checkout-latency", "p99", 1); // "checkout-latency/p99"
 */
export function objectiveSloDimension(
  sloName: string,
  objectiveName: string,
  index: number,
): string {
  return index === 0 ? sloName : `${sloName}/${objectiveName}`;
}

/**
 * One monitoring view per objective: an SLO with several objectives becomes
 * single-objective views named by their `SLO` dimension, so every objective gets its
 * alarms and widgets. Single-objective SLOs come back unchanged.
 *
 * @example
 * objectiveViews(slo).map((v) => v.name); // ["checkout-latency", "checkout-latency/p99"]
 */
export function objectiveViews(slo: SloDefinition): SloDefinition[] {
  if (slo.objectives.length <= 1) return [slo];
  return slo.objectives.map((o, i) => ({
    ...slo,
    name: objectiveSloDimension(slo.name, o.name, i),
    objectives: [o],
  }));
}

/** One of the SLO's published metrics (not `BurnRate`: see {@link burnRateMetric}). */
export function sloMetric(
  slo: Pick<SloDefinition, "service" | "name">,
  metricName: Exclude<(typeof SLO_METRICS)[keyof typeof SLO_METRICS], "BurnRate">,
  stage: string,
): MetricRef {
  return { namespace: SLO_NAMESPACE, metricName, dimensions: sloDimensions(slo, stage) };
}

/** The SLO's burn rate over one window. */
export function burnRateMetric(
  slo: Pick<SloDefinition, "service" | "name">,
  windowMs: number,
  stage: string,
): MetricRef {
  return {
    namespace: SLO_NAMESPACE,
    metricName: SLO_METRICS.burnRate,
    dimensions: { ...sloDimensions(slo, stage), Window: windowLabel(windowMs) },
  };
}

/** The canary success metric of a service (`SuccessPercent`, 0-100 per run) in a stage. */
export function canarySuccessMetric(service: string, stage?: string): MetricRef {
  return {
    namespace: SYNTHETICS_NAMESPACE,
    metricName: "SuccessPercent",
    dimensions: { CanaryName: canaryName(service, stage) },
  };
}

/** Distinct alert windows of an SLO (long and short of every tier), shortest first. */
export function alertWindows(slo: Pick<SloDefinition, "alertTiers">): number[] {
  const set = new Set<number>();
  for (const t of slo.alertTiers) {
    set.add(t.longWindowMs);
    set.add(t.shortWindowMs);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * A job's own health metric (`JobErrors`, `JobUnitsSucceeded`) as Powertools Metrics
 * publishes it: the job's namespace, its `service` (POWERTOOLS_SERVICE_NAME) and `Stage`
 * (a default dimension set from SLO_STAGE).
 *
 * @example
 * jobMetric({ namespace: "Custom/SLO", service: "SloCalculator" }, "JobErrors", "dev").dimensions;
 * // { Stage: "dev", service: "SloCalculator" }
 */
export function jobMetric(
  job: { readonly namespace: string; readonly service: string },
  metricName: string,
  stage: string,
): MetricRef {
  return {
    namespace: job.namespace,
    metricName,
    dimensions: stageDimensions(stage, { service: job.service }),
  };
}

/**
 * Which `Custom/SLO` metrics a stage publishes.
 *
 * `minimal` (the default; the burn-rate evaluator is the pager) publishes no metric per
 * objective. Per SLO numbers go to the evaluator's stage report in S3 each run (what
 * `slo gate --aws` and `slo doctor` read, see `@slo/core/stage-report`) and to the jobs'
 * logs as one "slo values" line per objective (Logs Insights). CloudWatch gets one
 * metric per service, {@link serviceAlertStateMetric}, and only while a tier of that
 * service fires: CloudWatch bills a custom metric for the hours it receives data, so a
 * healthy service costs its deployment-guard alarm alone.
 *
 * `full` publishes every metric per objective (SLI, Compliance, ErrorBudgetRemaining,
 * BurnRate per window, AlertState) and keeps one burn-rate alarm per tier; it is the
 * profile for `pager: "alarms"`.
 */
export type MetricsProfile = "minimal" | "full";

export const METRICS_PROFILES: readonly MetricsProfile[] = ["minimal", "full"];

/**
 * True when a stage with `profile` publishes the per-objective `Custom/SLO` metrics
 * (only `full` does).
 *
 * @example
 * publishesObjectiveMetrics("minimal"); // false
 */
export function publishesObjectiveMetrics(profile: MetricsProfile): boolean {
  return profile === "full";
}

/**
 * True when a stage with `profile` publishes the per-service `AlertState`
 * ({@link serviceAlertStateMetric}).
 *
 * @example
 * publishesServiceAlertState("minimal"); // true
 */
export function publishesServiceAlertState(profile: MetricsProfile): boolean {
  return profile === "minimal";
}

/**
 * A service's worst `AlertState` over all its objectives (2 a page tier fires, 1 a ticket
 * tier), dimensions `Stage` and `Service` and no `SLO`. Published in the `minimal`
 * profile only while above 0, so readers treat a missing datapoint as "nothing fires"
 * (the deployment guard's `notBreaching`), and the jobs' heartbeat alarm, not this
 * metric, says whether the evaluator runs.
 *
 * @example
 * serviceAlertStateMetric("order-service", "production").dimensions;
 * // { Stage: "production", Service: "order-service" }
 */
export function serviceAlertStateMetric(service: string, stage: string): MetricRef {
  return {
    namespace: SLO_NAMESPACE,
    metricName: SLO_METRICS.alertState,
    dimensions: serviceDimensions(service, stage),
  };
}
