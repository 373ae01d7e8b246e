import type { CloudWatchMetricStat } from "../spec/model.ts";
import { MetricQueryError, rangeSteps } from "./errors.ts";
import { evaluateExpression, parseExpression } from "./expression.ts";
import type { MetricQuery, MetricSeries, TimeRange } from "./source.ts";

/**
 * Answers one query for a source that can read single metrics: a metric goes straight
 * to `readMetric`, an expression reads each metric it names and is evaluated step by
 * step. Any failure becomes a {@link MetricQueryError} carrying the query's id.
 *
 * @example
 * const values = answerQuery(query, 1440, (metric) => store.read(metric));
 */
export function answerQuery(
  query: MetricQuery,
  steps: number,
  readMetric: (metric: CloudWatchMetricStat) => Float64Array,
): Float64Array {
  try {
    const q = query.query;
    if (q.kind === "metric") return readMetric(q);
    const tree = parseExpression(q.expression);
    const cache = new Map<string, Float64Array>();
    return evaluateExpression(
      tree,
      (id) => {
        const hit = cache.get(id);
        if (hit) return hit;
        const metric = q.metrics[id];
        if (metric === undefined) return undefined;
        const values = readMetric(metric);
        cache.set(id, values);
        return values;
      },
      steps,
      q.expression,
    );
  } catch (error) {
    if (error instanceof MetricQueryError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new MetricQueryError(query.id, `query "${query.id}": ${message}`, { cause: error });
  }
}

/**
 * Answers every query of a fetch for an in-memory source (the embedded fleet, a metrics
 * file): each query through {@link answerQuery}, complete by construction.
 *
 * @example
 * return answerQueries(queries, range, (id, metric, steps) => this.read(id, metric, range, steps));
 */
export function answerQueries(
  queries: readonly MetricQuery[],
  range: TimeRange,
  read: (queryId: string, metric: CloudWatchMetricStat, steps: number) => Float64Array,
): MetricSeries[] {
  const steps = rangeSteps(range);
  return queries.map((q) => ({
    id: q.id,
    values: answerQuery(q, steps, (m) => read(q.id, m, steps)),
    complete: true,
  }));
}
