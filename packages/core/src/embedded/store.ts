import { answerQueries } from "../metrics/answer.ts";
import { MetricQueryError, TimeRangeError } from "../metrics/errors.ts";
import type { MetricQuery, MetricSeries, MetricsSource, TimeRange } from "../metrics/source.ts";
import { formatStat, parseStat, type Stat, StatError } from "../metrics/stat.ts";
import type { CloudWatchMetricStat } from "../spec/model.ts";
import {
  type EmbeddedFleet,
  type EmbeddedFleetOptions,
  getEmbeddedFleet,
  type ServiceSeries,
} from "./fleet.ts";
import {
  countInRange,
  extremes,
  LATENCY_BUCKETS,
  mean,
  percentile,
  trimmedMean,
} from "./histogram.ts";

const MINUTE_MS = 60_000;
const ALB = "AWS/ApplicationELB";
const ECS = "AWS/ECS";
/** Where ECS publishes RunningTaskCount (Container Insights), as the real account does. */
const CONTAINER_INSIGHTS = "ECS/ContainerInsights";

type Scalar = (s: ServiceSeries) => Float64Array;

/** Per-minute scalar series the store can answer, by namespace and metric name. */
const SCALARS: Record<string, Record<string, Scalar>> = {
  [ALB]: {
    RequestCount: (s) => s.requestCount,
    HTTPCode_Target_2XX_Count: (s) => s.http2xx,
    HTTPCode_Target_4XX_Count: (s) => s.http4xx,
    HTTPCode_Target_5XX_Count: (s) => s.http5xx,
    HTTPCode_ELB_5XX_Count: (s) => s.elb5xx,
    TargetConnectionErrorCount: (s) => s.connectionErrors,
  },
  [ECS]: {
    CPUUtilization: (s) => s.cpu,
    MemoryUtilization: (s) => s.memory,
    // Service Connect's server-side metrics (the mesh SLOs' source). The demo fleet has
    // one request stream per service: every simulated request reaches the service
    // through its Service Connect proxy, so they count the same requests and 5xx.
    RequestCount: (s) => s.requestCount,
    HTTPCode_Target_5XX_Count: (s) => s.http5xx,
  },
  [CONTAINER_INSIGHTS]: {
    RunningTaskCount: (s) => s.runningTasks,
  },
};
const HISTOGRAM_METRIC = "TargetResponseTime";

function catalog(): string {
  const lines = Object.entries(SCALARS).map(
    ([ns, metrics]) =>
      `${ns}: ${[...Object.keys(metrics), ...(ns === ALB ? [HISTOGRAM_METRIC] : [])].join(", ")}`,
  );
  return lines.join("; ");
}

export interface EmbeddedMetricsSourceOptions extends EmbeddedFleetOptions {
  /** Use this fleet instead of the shared cached one for the options. */
  readonly fleet?: EmbeddedFleet;
}

/**
 * The embedded fleet behind the `MetricsSource` interface: answers metric and
 * metric-math queries on any range whose step is a whole number of minutes, re-aggregating
 * the 1-minute data (Sum/SampleCount/TC add, Average weighted, percentiles from merged
 * histograms). Steps without data are `NaN`.
 *
 * @example
 * const source = new EmbeddedMetricsSource({ seed: 1 });
 * const [rc] = await source.fetch(
 *   [{ id: "rc", query: { kind: "metric", namespace: "AWS/ApplicationELB",
 *     metricName: "RequestCount", dimensions: { Service: "user-service" }, stat: "Sum" } }],
 *   { startMs: EMBEDDED_FLEET_END_MS - 3_600_000, endMs: EMBEDDED_FLEET_END_MS, stepMs: 300_000 },
 * );
 */
export class EmbeddedMetricsSource implements MetricsSource {
  readonly name = "embedded";
  readonly fleet: EmbeddedFleet;

  constructor(options: EmbeddedMetricsSourceOptions = {}) {
    this.fleet = options.fleet ?? getEmbeddedFleet(options);
  }

  async fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]> {
    if (range.stepMs % MINUTE_MS !== 0 || range.startMs % MINUTE_MS !== 0) {
      throw new TimeRangeError(
        `the embedded store keeps 1-minute data: use a step that is a whole number of minutes and a start on a whole minute (got step ${range.stepMs} ms, start ${range.startMs})`,
      );
    }
    return answerQueries(queries, range, (id, m, steps) => this.read(id, m, range, steps));
  }

  private read(
    queryId: string,
    metric: CloudWatchMetricStat,
    range: TimeRange,
    steps: number,
  ): Float64Array {
    const fail = (why: string): never => {
      throw new MetricQueryError(
        queryId,
        `query "${queryId}" (${metric.namespace} ${metric.metricName} ${metric.stat}): ${why}`,
      );
    };
    const service = metric.dimensions.Service;
    // Service Connect publishes per DiscoveryName: the fleet's services are discovered
    // under their own names (infra/mesh.ts), so that dimension names the same service.
    const discovery =
      metric.namespace === ECS && metric.dimensions.DiscoveryName === service
        ? ["DiscoveryName"]
        : [];
    const extra = Object.keys(metric.dimensions).filter(
      (k) => k !== "Service" && !discovery.includes(k),
    );
    if (service === undefined || extra.length > 0) {
      fail(
        `the embedded store keys on the single dimension Service (one of ${this.fleet.services.join(", ")}); got dimensions ${JSON.stringify(metric.dimensions)}`,
      );
    }
    if (!this.fleet.services.includes(service as string)) {
      fail(
        `unknown service "${service}": the embedded fleet has ${this.fleet.services.join(", ")}`,
      );
    }
    let stat: Stat;
    try {
      stat = parseStat(metric.stat);
    } catch (error) {
      if (error instanceof StatError) fail(error.message);
      throw error;
    }
    const data = this.fleet.service(service as string);
    const firstMinute = (range.startMs - data.startMs) / MINUTE_MS;
    const perStep = range.stepMs / MINUTE_MS;
    if (metric.namespace === ALB && metric.metricName === HISTOGRAM_METRIC) {
      return histogramSeries(data, stat, firstMinute, perStep, steps);
    }
    const scalar = SCALARS[metric.namespace]?.[metric.metricName];
    if (scalar === undefined) {
      fail(`unknown metric: the embedded store has ${catalog()}`);
    }
    const kind = stat.kind;
    if (kind === "percentile" || kind === "TC" || kind === "TM") {
      return fail(
        `statistic ${formatStat(stat)} needs a distribution; ${metric.metricName} has Sum, SampleCount, Average, Minimum and Maximum (percentiles and TC/TM exist for ${HISTOGRAM_METRIC})`,
      );
    }
    return scalarSeries((scalar as Scalar)(data), kind, firstMinute, perStep, steps);
  }
}

function scalarSeries(
  minutes: Float64Array,
  kind: "Sum" | "SampleCount" | "Average" | "Minimum" | "Maximum",
  firstMinute: number,
  perStep: number,
  steps: number,
): Float64Array {
  const out = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const from = Math.max(0, firstMinute + i * perStep);
    const to = Math.min(minutes.length, firstMinute + (i + 1) * perStep);
    let n = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let m = from; m < to; m++) {
      const v = minutes[m] as number;
      if (Number.isNaN(v)) continue;
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (n === 0) out[i] = Number.NaN;
    else if (kind === "Sum") out[i] = sum;
    else if (kind === "SampleCount") out[i] = n;
    else if (kind === "Average") out[i] = sum / n;
    else out[i] = kind === "Minimum" ? min : max;
  }
  return out;
}

function histogramSeries(
  data: ServiceSeries,
  stat: Stat,
  firstMinute: number,
  perStep: number,
  steps: number,
): Float64Array {
  const out = new Float64Array(steps);
  const hist = new Float64Array(LATENCY_BUCKETS);
  const lat = data.latency;
  for (let i = 0; i < steps; i++) {
    const from = Math.max(0, firstMinute + i * perStep);
    const to = Math.min(data.minutes, firstMinute + (i + 1) * perStep);
    hist.fill(0);
    let samples = 0;
    for (let m = from; m < to; m++) {
      const n = data.latencySamples[m] as number;
      if (!(n > 0)) continue;
      samples += n;
      const base = m * LATENCY_BUCKETS;
      for (let k = 0; k < LATENCY_BUCKETS; k++)
        hist[k] = (hist[k] as number) + (lat[base + k] as number);
    }
    out[i] = samples > 0 ? histogramStat(hist, samples, stat) : Number.NaN;
  }
  return out;
}

function histogramStat(hist: Float64Array, samples: number, stat: Stat): number {
  switch (stat.kind) {
    case "SampleCount":
      return samples;
    case "Sum":
      return mean(hist) * samples;
    case "Average":
      return mean(hist);
    case "Minimum":
      return extremes(hist).min;
    case "Maximum":
      return extremes(hist).max;
    case "percentile":
      return percentile(hist, stat.p);
    default: {
      // Percent bounds are ranks; absolute bounds are converted to ranks for TM.
      const rank = (b: { value: number; percent: boolean } | undefined, dflt: number): number =>
        b === undefined
          ? dflt
          : b.percent
            ? b.value
            : (100 * countInRange(hist, undefined, b.value)) / samples;
      if (stat.kind === "TC") {
        if (stat.lo?.percent || stat.hi?.percent) {
          return (samples * Math.max(0, rank(stat.hi, 100) - rank(stat.lo, 0))) / 100;
        }
        return countInRange(hist, stat.lo?.value, stat.hi?.value);
      }
      return trimmedMean(hist, rank(stat.lo, 0), rank(stat.hi, 100));
    }
  }
}
