import type { CountSeries } from "../metrics/source.ts";
import type { Objective, SloDefinition } from "../spec/model.ts";

/** Test-only builders; not exported from the package. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A fleet-style availability SLO: ratio counter, Occurrences, 30 d rolling, 99.9 %. */
export function makeDefinition(
  overrides: Partial<SloDefinition> & { objective?: Partial<Objective> } = {},
): SloDefinition {
  const { objective, ...rest } = overrides;
  return {
    name: "user-service-availability",
    service: "user-service",
    indicator: {
      type: "ratio",
      counter: true,
      total: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: { Service: "user-service" },
        stat: "Sum",
      },
      bad: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: { Service: "user-service" },
        stat: "Sum",
      },
    },
    budgetingMethod: "Occurrences",
    timeWindow: { type: "rolling", durationMs: 30 * DAY },
    objectives: [{ name: "objective-1", target: 0.999, ...objective }],
    alertTiers: [],
    exclusions: [],
    minEvents: 0,
    labels: {},
    location: { file: "slos/user-service.yaml", line: 3 },
    ...rest,
  };
}

/** A series of `steps` steps from per-step functions of the step index. */
export function makeCounts(
  startMs: number,
  stepMs: number,
  steps: number,
  total: (i: number) => number,
  bad: (i: number) => number = () => 0,
): CountSeries {
  const t = new Float64Array(steps);
  const g = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const tv = total(i);
    t[i] = tv;
    g[i] = tv - bad(i);
  }
  return { startMs, stepMs, good: g, total: t };
}

/** Good/total arrays written out literally. */
export function countsOf(
  startMs: number,
  stepMs: number,
  good: readonly number[],
  total: readonly number[],
): CountSeries {
  return { startMs, stepMs, good: Float64Array.from(good), total: Float64Array.from(total) };
}
