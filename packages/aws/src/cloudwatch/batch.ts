import type { MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { CloudWatchQueryError } from "../errors.ts";
import { renameExpressionIds } from "./expression.ts";

/** GetMetricData accepts at most 500 `MetricDataQuery` entries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** GetMetricData returns at most 100,800 data points per call. */
export const MAX_DATAPOINTS_PER_CALL = 100_800;

/** A metric with its dimensions already resolved to what CloudWatch stores. */
export interface ResolvedMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

/** One caller query after dimension resolution. */
export type ResolvedQuery =
  | { readonly callerId: string; readonly kind: "metric"; readonly metric: ResolvedMetric }
  | {
      readonly callerId: string;
      readonly kind: "expression";
      readonly expression: string;
      readonly metrics: Readonly<Record<string, ResolvedMetric>>;
    };

/** One GetMetricData request body (without time range) and how to map its ids back. */
export interface PlannedCall {
  readonly queries: MetricDataQuery[];
  /** CloudWatch id -> caller ids it answers (identical caller queries share one id). */
  readonly callers: ReadonlyMap<string, readonly string[]>;
  /** MetricStat entries: what CloudWatch bills as "metrics requested". */
  readonly metricCount: number;
}

/** Stable identity of a metric+stat, so identical metrics are requested once per call. */
export function metricKey(m: ResolvedMetric): string {
  const dims = Object.keys(m.dimensions)
    .sort()
    .map((k) => `${k}=${m.dimensions[k]}`)
    .join(",");
  return `${m.namespace}|${m.metricName}|${dims}|${m.stat}`;
}

function toMetricStat(m: ResolvedMetric, periodSeconds: number) {
  return {
    Metric: {
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: Object.keys(m.dimensions)
        .sort()
        .map((Name) => ({ Name, Value: m.dimensions[Name] as string })),
    },
    Period: periodSeconds,
    Stat: m.stat,
  };
}

class CallBuilder {
  readonly queries: MetricDataQuery[] = [];
  readonly callers = new Map<string, string[]>();
  readonly #metricIds = new Map<string, MetricDataQuery>();
  readonly #exprIds = new Map<string, MetricDataQuery>();
  #next = 0;
  metricCount = 0;

  /** Entries `q` would add to this call (metrics already present are shared). */
  cost(q: ResolvedQuery): number {
    if (q.kind === "metric") return this.#metricIds.has(metricKey(q.metric)) ? 0 : 1;
    const key = expressionKey(q);
    if (this.#exprIds.has(key)) return 0;
    const fresh = new Set(
      Object.values(q.metrics)
        .map(metricKey)
        .filter((k) => !this.#metricIds.has(k)),
    );
    return 1 + fresh.size;
  }

  add(q: ResolvedQuery, periodSeconds: number): void {
    if (q.kind === "metric") {
      const entry = this.#metric(q.metric, periodSeconds);
      entry.ReturnData = true;
      this.#answer(entry.Id as string, q.callerId);
      return;
    }
    const key = expressionKey(q);
    const existing = this.#exprIds.get(key);
    if (existing) {
      this.#answer(existing.Id as string, q.callerId);
      return;
    }
    const rename = new Map<string, string>();
    for (const [localId, m] of Object.entries(q.metrics)) {
      rename.set(localId, this.#metric(m, periodSeconds).Id as string);
    }
    const entry: MetricDataQuery = {
      Id: `e${this.#next++}`,
      Expression: renameExpressionIds(q.expression, rename),
      ReturnData: true,
    };
    this.queries.push(entry);
    this.#exprIds.set(key, entry);
    this.#answer(entry.Id as string, q.callerId);
  }

  #metric(m: ResolvedMetric, periodSeconds: number): MetricDataQuery {
    const key = metricKey(m);
    let entry = this.#metricIds.get(key);
    if (!entry) {
      // Hidden until a caller asks for the metric itself: expression inputs are not returned.
      entry = {
        Id: `m${this.#next++}`,
        MetricStat: toMetricStat(m, periodSeconds),
        ReturnData: false,
      };
      this.queries.push(entry);
      this.#metricIds.set(key, entry);
      this.metricCount++;
    }
    return entry;
  }

  #answer(cwId: string, callerId: string): void {
    const list = this.callers.get(cwId);
    if (list) list.push(callerId);
    else this.callers.set(cwId, [callerId]);
  }
}

function expressionKey(q: Extract<ResolvedQuery, { kind: "expression" }>): string {
  const ids = Object.keys(q.metrics)
    .sort()
    .map((k) => `${k}:${metricKey(q.metrics[k] as ResolvedMetric)}`)
    .join(";");
  return `${q.expression}#${ids}`;
}

/**
 * Packs queries into GetMetricData calls: at most 500 entries and 100,800 data points
 * (entries x steps, hidden expression inputs included, to stay on the safe side) per call.
 * An expression always travels with its inputs; identical metrics share one entry per call.
 * Queries that share metrics form a group that is kept in one call when it fits (first-fit
 * decreasing), because a metric split across two calls is billed twice.
 *
 * @example
 * const calls = planCalls(resolved, 300, 12); // 12 five-minute steps
 * calls.length; // 1 for up to 500 entries
 */
export function planCalls(
  queries: readonly ResolvedQuery[],
  periodSeconds: number,
  steps: number,
): PlannedCall[] {
  const cap = Math.max(
    1,
    Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / steps)),
  );
  const groups = shareGroups(queries).map((members) => ({ members, size: entriesOf(members) }));
  groups.sort((a, b) => b.size - a.size);
  const calls: CallBuilder[] = [];
  const place = (q: ResolvedQuery, target: CallBuilder) => {
    const cost = target.cost(q);
    if (cost > MAX_QUERIES_PER_CALL) {
      throw new CloudWatchQueryError(
        `query "${q.callerId}" needs ${cost} GetMetricData entries, more than the 500 CloudWatch allows in one call; split the expression`,
      );
    }
    target.add(q, periodSeconds);
  };
  for (const g of groups) {
    const fit = g.size <= cap ? calls.find((c) => c.queries.length + g.size <= cap) : undefined;
    if (fit) {
      for (const q of g.members) place(q, fit);
      continue;
    }
    if (g.size <= cap) {
      const call = new CallBuilder();
      calls.push(call);
      for (const q of g.members) place(q, call);
      continue;
    }
    // Too big for one call: fill calls query by query (shared inputs may repeat).
    let current = calls.at(-1) ?? new CallBuilder();
    if (calls.length === 0) calls.push(current);
    for (const q of g.members) {
      if (current.queries.length > 0 && current.queries.length + current.cost(q) > cap) {
        current = new CallBuilder();
        calls.push(current);
      }
      place(q, current);
    }
  }
  return calls.map((c) => ({ queries: c.queries, callers: c.callers, metricCount: c.metricCount }));
}

function metricsOf(q: ResolvedQuery): ResolvedMetric[] {
  return q.kind === "metric" ? [q.metric] : Object.values(q.metrics);
}

/** Entries a set of queries needs in one call (shared metrics and expressions counted once). */
function entriesOf(members: readonly ResolvedQuery[]): number {
  const b = new CallBuilder();
  let n = 0;
  for (const q of members) {
    n += b.cost(q);
    b.add(q, 60);
  }
  return n;
}

/** Connected components of queries linked by a shared metric (union-find). */
function shareGroups(queries: readonly ResolvedQuery[]): ResolvedQuery[][] {
  const parent = queries.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const owner = new Map<string, number>();
  queries.forEach((q, i) => {
    for (const m of metricsOf(q)) {
      const k = metricKey(m);
      const o = owner.get(k);
      if (o === undefined) owner.set(k, i);
      else parent[find(i)] = find(o);
    }
  });
  const groups = new Map<number, ResolvedQuery[]>();
  queries.forEach((q, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(q);
    else groups.set(r, [q]);
  });
  return [...groups.values()];
}
