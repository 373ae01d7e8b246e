import type {
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";

/** CloudWatch ids must match this (letters, digits, underscore; lowercase first). */
export const CLOUDWATCH_ID = /^[a-z][a-zA-Z0-9_]*$/;

/**
 * A fake GetMetricData: answers every returned query with `valueAt(query, tMs)` for each
 * step of the request, paging at `pageSize` points per result like CloudWatch's NextToken.
 * Expressions are answered with the sum of their inputs' values (enough for `m1 + m2`).
 */
export function fakeGetMetricData(
  valueAt: (q: MetricDataQuery, tMs: number) => number | undefined,
  pageSize = Number.POSITIVE_INFINITY,
) {
  return (input: GetMetricDataCommandInput): GetMetricDataCommandOutput => {
    const start = (input.StartTime as Date).getTime();
    const end = (input.EndTime as Date).getTime();
    const queries = input.MetricDataQueries ?? [];
    const byId = new Map(queries.map((q) => [q.Id as string, q]));
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    let more = false;
    const results = queries
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const period = (q.MetricStat?.Period ?? periodOfExpression(q, byId)) * 1000;
        const ts: Date[] = [];
        const vs: number[] = [];
        for (let t = start, i = 0; t < end; t += period, i++) {
          if (i < offset || i >= offset + pageSize) {
            if (i >= offset + pageSize) more = true;
            continue;
          }
          const v = q.MetricStat ? valueAt(q, t) : sumInputs(q, byId, (m) => valueAt(m, t));
          if (v === undefined) continue;
          ts.push(new Date(t));
          vs.push(v);
        }
        return {
          Id: q.Id,
          Label: q.Id,
          Timestamps: ts,
          Values: vs,
          StatusCode: more ? ("PartialData" as const) : ("Complete" as const),
        };
      });
    return {
      MetricDataResults: results,
      Messages: [],
      ...(more ? { NextToken: String(offset + pageSize) } : {}),
      $metadata: {},
    };
  };
}

function periodOfExpression(q: MetricDataQuery, byId: Map<string, MetricDataQuery>): number {
  for (const id of (q.Expression ?? "").match(/[a-z][a-zA-Z0-9_]*/g) ?? []) {
    const p = byId.get(id)?.MetricStat?.Period;
    if (p) return p;
  }
  return 60;
}

function sumInputs(
  q: MetricDataQuery,
  byId: Map<string, MetricDataQuery>,
  value: (m: MetricDataQuery) => number | undefined,
): number | undefined {
  let sum = 0;
  for (const id of (q.Expression ?? "").match(/[a-z][a-zA-Z0-9_]*/g) ?? []) {
    const m = byId.get(id);
    if (!m) throw new Error(`expression ${q.Expression} references unknown id ${id}`);
    const v = value(m);
    if (v === undefined) return undefined;
    sum += v;
  }
  return sum;
}
