import {
  ecsMetricDimensions,
  PREDICTED_LOAD_METRIC,
  type PredictedLoadPoint,
} from "@slo/core/capacity";
import {
  ECS_NAMESPACE,
  objectiveSloDimension,
  SLO_METRICS,
  SLO_NAMESPACE,
  serviceAlertStateMetric,
  sloDimensions,
  windowLabel,
} from "@slo/core/monitoring";
import type { SloReport } from "@slo/core/slo";
import {
  ALERT_STATE_VALUE,
  firingServices,
  objectiveAlertState,
  type StageReportObjective,
} from "@slo/core/stage-report";
import type { MetricPoint } from "./types.ts";

/** `AlertState` values, from the one rule in `@slo/core/stage-report`. */
export { ALERT_STATE_VALUE, ECS_NAMESPACE };

/**
 * The `Custom/SLO` datapoints of one evaluated SLO: `SLI`, `Compliance` (1/0),
 * `ErrorBudgetRemaining` (fraction, negative once overspent), `BurnRate` per alert window
 * (dimension `Window`) and `AlertState` (0 ok, 1 ticket firing, 2 page firing). Values
 * without data (`null`) are left out rather than published as 0. Every point is stamped
 * with `report.evaluatedAtMs`, the evaluated step, never the wall clock. The first
 * objective publishes under `SLO=<name>`, further ones under `SLO=<name>/<objective>`;
 * every point carries `Stage` (the dimension rule of `@slo/core/monitoring`).
 *
 * @example
 * const points = sloReportPoints(report, "production");
 * await new EmfSink().publish(points);
 */
export function sloReportPoints(report: SloReport, stage: string): MetricPoint[] {
  const out: MetricPoint[] = [];
  report.objectives.forEach((o, i) => {
    const slo = objectiveSloDimension(report.slo, o.name, i);
    const dims = sloDimensions({ service: report.service, name: slo }, stage);
    const point = (name: string, value: number, extra: Record<string, string> = {}) =>
      out.push({
        namespace: SLO_NAMESPACE,
        name,
        value,
        unit: "None",
        timestampMs: report.evaluatedAtMs,
        dimensions: { ...dims, ...extra },
      });
    if (o.sli !== null) point(SLO_METRICS.sli, o.sli);
    if (o.compliant !== null) point(SLO_METRICS.compliance, o.compliant ? 1 : 0);
    if (o.errorBudget.remainingFraction !== null) {
      point(SLO_METRICS.errorBudgetRemaining, o.errorBudget.remainingFraction);
    }
    for (const b of o.burnRates) {
      if (b.burnRate !== null && Number.isFinite(b.burnRate)) {
        point(SLO_METRICS.burnRate, b.burnRate, { Window: windowLabel(b.windowMs) });
      }
    }
    const state = objectiveAlertState(o);
    if (state !== null) point(SLO_METRICS.alertState, state);
  });
  return out;
}

/**
 * The per-service `AlertState` points of the `minimal` profile: one per service where a
 * tier fires (its worst state over every objective), none for quiet services, stamped
 * with the evaluated step (see `serviceAlertStateMetric`).
 *
 * @example
 * serviceAlertStatePoints(stageReportObjectives(reports), "production", endMs);
 */
export function serviceAlertStatePoints(
  objectives: readonly StageReportObjective[],
  stage: string,
  timestampMs: number,
): MetricPoint[] {
  return [...firingServices(objectives)].map(([service, state]) => {
    const m = serviceAlertStateMetric(service, stage);
    return {
      namespace: m.namespace,
      name: m.metricName,
      value: state,
      unit: "None",
      timestampMs,
      dimensions: { ...m.dimensions },
    };
  });
}

/**
 * The `Custom/ECS` `PredictedLoad` datapoints of one service's forecast run: one per
 * minute, each stamped with the minute it is for (requests per minute), under the
 * dimensions `@slo/core/capacity`'s `ecsMetricDimensions` gives, the same ones the
 * forecast tracking policy reads.
 *
 * @example
 * ecsCapacityPoints({ service: "order-service", stage: "dev", predictedLoad: predictedLoadSeries(forecast, { fromMs }) });
 */
export function ecsCapacityPoints(input: {
  readonly service: string;
  readonly stage: string;
  readonly predictedLoad: readonly PredictedLoadPoint[];
}): MetricPoint[] {
  const dimensions = { ...ecsMetricDimensions(input.service, input.stage) };
  return input.predictedLoad.map((p) => ({
    namespace: ECS_NAMESPACE,
    name: PREDICTED_LOAD_METRIC.MetricName,
    value: p.requestsPerMinute,
    unit: "Count",
    timestampMs: p.timestampMs,
    dimensions,
  }));
}
