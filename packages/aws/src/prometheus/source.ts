import { SloPlatformError } from "@slo/core/errors";
import { prometheusSeries, promqlSelector } from "@slo/core/export";
import {
  answerQuery,
  canonicalStat,
  type MetricQuery,
  MetricQueryError,
  type MetricSeries,
  type MetricsSource,
  rangeSteps,
  seriesKey,
  type TimeRange,
} from "@slo/core/metrics";
import type { CloudWatchMetricStat } from "@slo/core/spec";

/** Prometheus refuses a range query of more than 11,000 points per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** The marker label that tells the freshness half of a response from the values. */
const FRESH_LABEL = "slo_fresh";

/** The Prometheus HTTP API failed, refused the query or answered something unreadable. */
export class PrometheusQueryError extends SloPlatformError {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, "aws", options);
    this.name = "PrometheusQueryError";
    this.status = status;
  }
}

/** `fetch` or a signing wrapper of it (aws4fetch's `AwsClient.fetch` for AMP). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface PrometheusSourceOptions {
  /**
   * Base URL of the HTTP API: `http://127.0.0.1:9090`, or an AMP workspace
   * (`https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>`).
   */
  readonly url: string;
  /** Defaults to the global `fetch`; see {@link ampFetch} for SigV4. */
  readonly fetch?: FetchLike;
  /** Range requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Points per series per request (default {@link MAX_POINTS_PER_SERIES}). */
  readonly maxPointsPerRequest?: number;
  readonly signal?: AbortSignal;
}

interface RangeResult {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}

/**
 * A core `MetricsSource` over the Prometheus HTTP API (self-hosted or Amazon Managed
 * Prometheus). Each CloudWatch metric an SLO names is read as its Prometheus counter
 * (`prometheusSeries`: `Sum` -> `_total`, `SampleCount` -> `_count`, `TC(:x)` ->
 * `_bucket{le="x"}`) with `/api/v1/query_range` at the SLO step, chunked under the
 * server's 11,000 points per series. The per-step count is the counter's increase
 * between grid points, per matching series (a decrease is a reset: the new value is the
 * increase), summed over the series. A step in which no series has a fresh sample is
 * no data (`NaN`), never zero. Expressions are evaluated locally over those counts, as
 * for a metrics file.
 *
 * @example
 * const source = new PrometheusMetricsSource({ url: "http://127.0.0.1:9090" });
 * const { reports } = await computeSloReports({ slos, source, nowMs, stepMs: 60_000 });
 */
export class PrometheusMetricsSource implements MetricsSource {
  readonly name: string;
  /** HTTP requests made so far (the benchmark's cost figure). */
  requests = 0;
  readonly #url: string;
  readonly #fetch: FetchLike;
  readonly #concurrency: number;
  readonly #maxPoints: number;
  readonly #signal: AbortSignal | undefined;

  constructor(options: PrometheusSourceOptions) {
    this.#url = options.url.replace(/\/+$/, "");
    this.name = `prometheus ${this.#url}`;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#maxPoints = Math.min(
      MAX_POINTS_PER_SERIES,
      Math.max(2, options.maxPointsPerRequest ?? MAX_POINTS_PER_SERIES),
    );
    this.#signal = options.signal;
  }

  async fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]> {
    const steps = rangeSteps(range);
    const metrics = new Map<string, CloudWatchMetricStat>();
    for (const { id, query } of queries) {
      for (const m of query.kind === "metric" ? [query] : Object.values(query.metrics)) {
        // Refuse an unmappable query by id before any request: the caller drops it and
        // the other SLOs still compute.
        try {
          prometheusSeries(m);
        } catch (error) {
          throw new MetricQueryError(id, `query "${id}": ${(error as Error).message}`, {
            cause: error,
          });
        }
        metrics.set(metricKey(m), m);
      }
    }
    const counts = new Map<string, Float64Array>();
    const pending = [...metrics];
    const worker = async (): Promise<void> => {
      for (let next = pending.shift(); next; next = pending.shift()) {
        counts.set(next[0], await this.#readCounter(next[1], range, steps));
      }
    };
    await Promise.all(Array.from({ length: this.#concurrency }, worker));
    return queries.map((q) => ({
      id: q.id,
      values: answerQuery(q, steps, (m) => counts.get(metricKey(m)) as Float64Array),
      complete: true,
    }));
  }

  /** Per-step increases of one counter over the range (grid points 0..steps). */
  async #readCounter(
    metric: CloudWatchMetricStat,
    range: TimeRange,
    steps: number,
  ): Promise<Float64Array> {
    const selector = promqlSelector(prometheusSeries(metric));
    // One request answers both halves: the counter's value at each grid point, and how
    // many samples fell in the step ending there (none: no data, not a zero increase).
    // The window is the step less 1 ms because range selectors include both ends.
    // (count_over_time, not timestamp(): Prometheus 2.42 evaluates timestamp() over a
    // range query step by step, 100x slower.)
    const promql = `${selector} or label_replace(count_over_time(${selector}[${range.stepMs - 1}ms]), "${FRESH_LABEL}", "1", "", "")`;
    const values = new Map<string, Float64Array>();
    const fresh = new Map<string, Float64Array>();
    const column = (map: Map<string, Float64Array>, key: string): Float64Array => {
      let col = map.get(key);
      if (!col) {
        col = new Float64Array(steps + 1).fill(Number.NaN);
        map.set(key, col);
      }
      return col;
    };
    for (let first = 0; first <= steps; first += this.#maxPoints) {
      const last = Math.min(steps, first + this.#maxPoints - 1);
      const result = await this.#queryRange(
        promql,
        range.startMs + first * range.stepMs,
        range.startMs + last * range.stepMs,
        range.stepMs,
      );
      for (const series of result) {
        const { [FRESH_LABEL]: marker, __name__: _, ...rest } = series.metric;
        const col = column(marker === undefined ? values : fresh, JSON.stringify(rest));
        for (const [t, v] of series.values) {
          const j = Math.round((t * 1000 - range.startMs) / range.stepMs);
          if (j >= 0 && j <= steps) col[j] = Number(v);
        }
      }
    }
    const out = new Float64Array(steps).fill(Number.NaN);
    for (const [key, value] of values) {
      const samples = fresh.get(key);
      let prev = Number.NaN;
      for (let j = 0; j <= steps; j++) {
        const v = value[j] as number;
        if (Number.isNaN(v)) continue;
        // Step j-1 has data when a sample fell inside it (ending at grid point j).
        if (j > 0 && (samples?.[j] ?? 0) > 0 && !Number.isNaN(prev)) {
          const increase = v >= prev ? v - prev : v;
          const o = out[j - 1] as number;
          out[j - 1] = Number.isNaN(o) ? increase : o + increase;
        }
        prev = v;
      }
    }
    return out;
  }

  async #queryRange(
    promql: string,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<RangeResult[]> {
    const body = new URLSearchParams({
      query: promql,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: `${stepMs / 1000}s`,
    });
    const url = `${this.#url}/api/v1/query_range`;
    this.requests++;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        ...(this.#signal ? { signal: this.#signal } : {}),
      });
    } catch (error) {
      throw new PrometheusQueryError(
        `Prometheus at ${this.#url} did not answer (${error instanceof Error ? error.message : String(error)}): check the URL and that the server is up`,
        undefined,
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: {
      status?: string;
      error?: string;
      data?: { resultType?: string; result?: RangeResult[] };
    };
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new PrometheusQueryError(
        `Prometheus at ${this.#url} answered HTTP ${response.status} with non-JSON (${text.slice(0, 120)}): is the URL the server's base (without /api/v1)?`,
        response.status,
        { cause: error },
      );
    }
    if (!response.ok || parsed.status !== "success") {
      throw new PrometheusQueryError(
        `Prometheus at ${this.#url} refused query_range ${promql}: HTTP ${response.status} ${parsed.error ?? text.slice(0, 200)}`,
        response.status,
      );
    }
    if (parsed.data?.resultType !== "matrix" || !Array.isArray(parsed.data.result)) {
      throw new PrometheusQueryError(
        `Prometheus at ${this.#url} answered query_range with ${parsed.data?.resultType ?? "no"} result, expected a matrix`,
        response.status,
      );
    }
    return parsed.data.result;
  }
}

function metricKey(m: CloudWatchMetricStat): string {
  return seriesKey({ ...m, stat: canonicalStat(m.stat) });
}
