import type { CloudWatchMetricStat } from "../spec/model.ts";
import { MetricQueryError } from "./errors.ts";
import { evaluateExpression, parseExpression } from "./expression.ts";
import type { MetricQuery } from "./source.ts";

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
