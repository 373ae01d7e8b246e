import type { CloudWatchQuery } from "../spec/model.ts";

/** A half-open time range `[startMs, endMs)` sampled every `stepMs`. */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
}

/** One query to a metrics source; `id` is echoed back on the result. */
export interface MetricQuery {
  readonly id: string;
  readonly query: CloudWatchQuery;
}

/**
 * One query's values on the range's grid: `values[i]` covers
 * `[startMs + i*stepMs, startMs + (i+1)*stepMs)`. `NaN` marks a step with no data
 * (never zero: "no requests" is not "all good").
 */
export interface MetricSeries {
  readonly id: string;
  readonly values: Float64Array;
  /** False when the source returned partial data for this query (CloudWatch `PartialData`). */
  readonly complete: boolean;
}

/**
 * Anything that answers metric queries on a fixed grid: the embedded fleet store, a
 * metrics file, CloudWatch GetMetricData. Implementations must return one series per
 * query, in any order, each of length `(endMs - startMs) / stepMs`.
 */
export interface MetricsSource {
  readonly name: string;
  fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]>;
}

/**
 * Per-step good/total counts of one SLO: the single series every window, budget and
 * burn rate is derived from. `total[i]` is `NaN` when step i has no data.
 */
export interface CountSeries {
  readonly startMs: number;
  readonly stepMs: number;
  readonly good: Float64Array;
  readonly total: Float64Array;
}
