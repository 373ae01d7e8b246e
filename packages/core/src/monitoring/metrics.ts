import type { SloDefinition } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import { canaryName } from "./names.ts";

/**
 * The metrics the platform publishes (WIRING: namespace `Custom/SLO`, dimensions
 * `Service`, `SLO`, and `Window` on `BurnRate` only) and the Synthetics metric the
 * canaries emit. Dashboards and alarms refer to metrics only through this file.
 */
export const SLO_NAMESPACE = "Custom/SLO";
export const SYNTHETICS_NAMESPACE = "CloudWatchSynthetics";

export const SLO_METRICS = {
  sli: "SLI",
  compliance: "Compliance",
  errorBudgetRemaining: "ErrorBudgetRemaining",
  burnRate: "BurnRate",
  alertState: "AlertState",
} as const;

/** The jobs publish every 5 minutes: the natural period of every SLO metric. */
export const SLO_METRIC_PERIOD_SECONDS = 300;

export type Dimensions = Readonly<Record<string, string>>;

/** A metric reference in the shape both dashboards and alarms derive from. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
}

/** Dimensions identifying one SLO's series. */
export function sloDimensions(slo: Pick<SloDefinition, "service" | "name">): Dimensions {
  return { Service: slo.service, SLO: slo.name };
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
): MetricRef {
  return { namespace: SLO_NAMESPACE, metricName, dimensions: sloDimensions(slo) };
}

/** The SLO's burn rate over one window. */
export function burnRateMetric(
  slo: Pick<SloDefinition, "service" | "name">,
  windowMs: number,
): MetricRef {
  return {
    namespace: SLO_NAMESPACE,
    metricName: SLO_METRICS.burnRate,
    dimensions: { ...sloDimensions(slo), Window: windowLabel(windowMs) },
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
