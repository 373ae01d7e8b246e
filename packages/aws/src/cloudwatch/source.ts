import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
} from "@aws-sdk/client-cloudwatch";
import type { MetricQuery, MetricSeries, MetricsSource, TimeRange } from "@slo/core/metrics";
import type { CloudWatchMetricStat } from "@slo/core/spec";
import { callAws } from "../budget.ts";
import { AwsCallError, DiscoveryError } from "../errors.ts";
import { nanArray, runLimited } from "../util.ts";
import { type PlannedCall, planCalls, type ResolvedMetric, type ResolvedQuery } from "./batch.ts";
import { type DimensionResolver, passThroughDimensions } from "./dimensions.ts";
import { choosePeriodSeconds } from "./period.ts";

/** A `MetricSeries` plus what CloudWatch said about it (`Messages`, resolution failures). */
export interface CloudWatchMetricSeries extends MetricSeries {
  readonly messages: readonly string[];
}

/** Counters of the API usage of one source instance (cumulative over its fetches). */
export interface CloudWatchSourceStats {
  /** GetMetricData requests, NextToken pages included. */
  calls: number;
  /** MetricStat entries sent, summed over requests: what CloudWatch bills. */
  metricsRequested: number;
  /** Data points returned. */
  datapoints: number;
}

export interface CloudWatchMetricsSourceOptions {
  readonly client: CloudWatchClient;
  /** Maps the logical `Service` dimension; defaults to using dimensions as written. */
  readonly dimensions?: DimensionResolver;
  /** The run's budget signal: aborts in-flight calls instead of letting the Lambda time out. */
  readonly signal?: AbortSignal;
  /** GetMetricData calls in flight at once (default 2). */
  readonly concurrency?: number;
  /** Clock used to pick retained periods (tests). */
  readonly now?: () => number;
}

interface CallOutcome {
  readonly values: Map<string, Float64Array>;
  readonly status: Map<string, string>;
  readonly messages: Map<string, string[]>;
  readonly error?: AwsCallError;
}

/**
 * `MetricsSource` over CloudWatch GetMetricData. One `fetch` resolves the logical
 * `Service` dimension, packs the queries into as few calls as the limits allow (500
 * entries, 100,800 data points), follows `NextToken`, and maps results back onto the
 * caller's grid (`NaN` where CloudWatch has no point).
 *
 * Failure policy: a query whose dimensions cannot be resolved, a call that failed after
 * the SDK's retries, and a result whose final `StatusCode` is not `Complete` all come back
 * as `complete: false` with `messages` saying why; other queries are unaffected. If every
 * call fails, `fetch` throws the first `AwsCallError`; a spent budget throws
 * `BudgetExceededError`.
 *
 * @example
 * const source = new CloudWatchMetricsSource({
 *   client: createCloudWatchClient(),
 *   dimensions: new ServiceDimensionResolver(new EcsDiscovery({ ecs, elbv2, cluster: "fleet" })),
 * });
 * const [series] = await source.fetch(
 *   [{ id: "req", query: { kind: "metric", namespace: "AWS/ApplicationELB",
 *     metricName: "RequestCount", dimensions: { Service: "user-service" }, stat: "Sum" } }],
 *   { startMs, endMs, stepMs: 300_000 },
 * );
 */
export class CloudWatchMetricsSource implements MetricsSource {
  readonly name = "cloudwatch";
  readonly stats: CloudWatchSourceStats = { calls: 0, metricsRequested: 0, datapoints: 0 };
  readonly #client: CloudWatchClient;
  readonly #dims: DimensionResolver;
  readonly #signal: AbortSignal | undefined;
  readonly #concurrency: number;
  readonly #now: () => number;

  constructor(opts: CloudWatchMetricsSourceOptions) {
    this.#client = opts.client;
    this.#dims = opts.dimensions ?? passThroughDimensions;
    this.#signal = opts.signal;
    this.#concurrency = Math.max(1, opts.concurrency ?? 2);
    this.#now = opts.now ?? Date.now;
  }

  async fetch(
    queries: readonly MetricQuery[],
    range: TimeRange,
  ): Promise<CloudWatchMetricSeries[]> {
    const periodSeconds = choosePeriodSeconds(range, this.#now());
    const steps = (range.endMs - range.startMs) / range.stepMs;
    const failed = new Map<string, string>();
    const resolved: ResolvedQuery[] = [];
    for (const q of queries) {
      try {
        resolved.push(await this.#resolve(q));
      } catch (err) {
        if (!(err instanceof DiscoveryError)) throw err;
        failed.set(q.id, err.message);
      }
    }

    const calls = planCalls(resolved, periodSeconds, steps);
    const outcomes = await runLimited(calls, this.#concurrency, (call) =>
      this.#execute(call, range, steps),
    );
    const errors = outcomes.filter((o) => o.error);
    if (calls.length > 0 && errors.length === calls.length) throw errors[0]?.error;

    const byCaller = new Map<string, CloudWatchMetricSeries>();
    calls.forEach((call, i) => {
      const outcome = outcomes[i] as CallOutcome;
      for (const [cwId, callerIds] of call.callers) {
        const values = outcome.values.get(cwId) ?? nanArray(steps);
        const status = outcome.error ? "Failed" : (outcome.status.get(cwId) ?? "Complete");
        const messages = [...(outcome.messages.get(cwId) ?? [])];
        if (outcome.error) messages.push(outcome.error.message);
        else if (status !== "Complete") {
          messages.push(`GetMetricData returned StatusCode ${status} for this query`);
        }
        callerIds.forEach((id, k) => {
          // Identical caller queries share one CloudWatch id; each gets its own array.
          const own = k === 0 ? values : values.slice();
          byCaller.set(id, { id, values: own, complete: status === "Complete", messages });
        });
      }
    });
    return queries.map((q) => {
      const reason = failed.get(q.id);
      if (reason !== undefined) {
        return { id: q.id, values: nanArray(steps), complete: false, messages: [reason] };
      }
      return byCaller.get(q.id) as CloudWatchMetricSeries;
    });
  }

  async #resolve(q: MetricQuery): Promise<ResolvedQuery> {
    const resolveMetric = async (m: CloudWatchMetricStat): Promise<ResolvedMetric> => ({
      namespace: m.namespace,
      metricName: m.metricName,
      stat: m.stat,
      dimensions: await this.#dims.resolve(m),
    });
    if (q.query.kind === "metric") {
      return { callerId: q.id, kind: "metric", metric: await resolveMetric(q.query) };
    }
    const metrics: Record<string, ResolvedMetric> = {};
    for (const [id, m] of Object.entries(q.query.metrics)) metrics[id] = await resolveMetric(m);
    return { callerId: q.id, kind: "expression", expression: q.query.expression, metrics };
  }

  async #execute(call: PlannedCall, range: TimeRange, steps: number): Promise<CallOutcome> {
    const values = new Map<string, Float64Array>();
    const status = new Map<string, string>();
    const messages = new Map<string, string[]>();
    let nextToken: string | undefined;
    try {
      do {
        this.stats.calls++;
        this.stats.metricsRequested += call.metricCount;
        const page: GetMetricDataCommandOutput = await callAws(
          "cloudwatch:GetMetricData",
          () =>
            this.#client.send(
              new GetMetricDataCommand({
                MetricDataQueries: call.queries,
                StartTime: new Date(range.startMs),
                EndTime: new Date(range.endMs),
                ScanBy: "TimestampAscending",
                NextToken: nextToken,
              }),
              { abortSignal: this.#signal },
            ),
          this.#signal,
        );
        for (const m of page.Messages ?? []) {
          // Request-level messages concern every query of the call.
          for (const id of call.callers.keys()) pushMessage(messages, id, formatMessage(m));
        }
        for (const r of page.MetricDataResults ?? []) {
          if (!r.Id || !call.callers.has(r.Id)) continue;
          let arr = values.get(r.Id);
          if (!arr) {
            arr = nanArray(steps);
            values.set(r.Id, arr);
          }
          const ts = r.Timestamps ?? [];
          const vs = r.Values ?? [];
          for (let i = 0; i < ts.length && i < vs.length; i++) {
            const idx = Math.floor(((ts[i] as Date).getTime() - range.startMs) / range.stepMs);
            if (idx >= 0 && idx < steps) arr[idx] = vs[i] as number;
          }
          this.stats.datapoints += Math.min(ts.length, vs.length);
          // The last page's status wins: PartialData on a page followed by a NextToken is
          // ordinary pagination, PartialData on the final page means data is missing.
          if (r.StatusCode) status.set(r.Id, r.StatusCode);
          for (const m of r.Messages ?? []) pushMessage(messages, r.Id, formatMessage(m));
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (err) {
      if (err instanceof AwsCallError) return { values, status, messages, error: err };
      throw err;
    }
    return { values, status, messages };
  }
}

function formatMessage(m: { Code?: string | undefined; Value?: string | undefined }): string {
  return `${m.Code ?? "Message"}: ${m.Value ?? ""}`.trim();
}

function pushMessage(map: Map<string, string[]>, id: string, msg: string): void {
  const list = map.get(id);
  if (list) list.push(msg);
  else map.set(id, [msg]);
}
