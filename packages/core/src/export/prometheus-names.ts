import { SloPlatformError } from "../errors.ts";
import { parseStat } from "../metrics/stat.ts";
import type { CloudWatchMetricStat } from "../spec/model.ts";

/** Thrown when a CloudWatch metric has no Prometheus counterpart in this mapping. */
export class PrometheusMappingError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "PrometheusMappingError";
  }
}

/**
 * Where one CloudWatch metric + statistic lives in Prometheus: a counter series
 * (`name`, exact `labels`). Every mapped statistic is a count, so the source reads it
 * as a counter (per-step increase, resets handled) whatever the exporter was.
 */
export interface PrometheusSeriesRef {
  /** OpenMetrics family (`aws_applicationelb_request_count`). */
  readonly family: string;
  readonly type: "counter" | "histogram";
  /** Sample name (`..._total`, `..._bucket`, `..._count`). */
  readonly name: string;
  /** Label name -> value, dimensions in snake case plus `le` for histogram buckets. */
  readonly labels: Readonly<Record<string, string>>;
}

/** `TargetResponseTime` -> `target_response_time`, `HTTPCode_Target_5XX_Count` -> `http_code_target_5xx_count`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

/**
 * The Prometheus family of a CloudWatch metric, named as the YACE / CloudWatch exporter
 * convention does (`aws_<namespace>_<metric>`), so a team already exporting CloudWatch
 * into Prometheus recognises the series.
 *
 * @example
 * prometheusFamily("AWS/ApplicationELB", "RequestCount"); // "aws_applicationelb_request_count"
 */
export function prometheusFamily(namespace: string, metricName: string): string {
  // The namespace is only lower-cased (`AWS/ApplicationELB` -> `aws_applicationelb`), as YACE does.
  const prefix = namespace
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
  return `${/^[a-z_]/.test(prefix) ? "" : "_"}${prefix}_${snakeCase(metricName)}`;
}

/** Formats a histogram bound as Prometheus writes `le` (`0.25`, `+Inf`). */
function formatLe(value: number): string {
  return value === Number.POSITIVE_INFINITY ? "+Inf" : String(value);
}

/**
 * Maps a CloudWatch metric + count statistic to its Prometheus counter series:
 * `Sum` -> `<family>_total` (counter), `SampleCount` -> `<family>_count` and
 * `TC(:x)` -> `<family>_bucket{le="x"}` (histogram: the events at or under x). The
 * other statistics (averages, percentiles, trimmed means) are not counts and have no
 * exact Prometheus counterpart; a threshold SLI reads buckets instead.
 *
 * @throws PrometheusMappingError naming the metric and statistic.
 * @example
 * prometheusSeries({ kind: "metric", namespace: "AWS/ApplicationELB",
 *   metricName: "TargetResponseTime", dimensions: { Service: "a" }, stat: "TC(:0.25)" }).name;
 * // "aws_applicationelb_target_response_time_bucket"
 */
export function prometheusSeries(metric: CloudWatchMetricStat): PrometheusSeriesRef {
  const family = prometheusFamily(metric.namespace, metric.metricName);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(metric.dimensions)) labels[snakeCase(k)] = v;
  const stat = parseStat(metric.stat);
  if (stat.kind === "Sum") return { family, type: "counter", name: `${family}_total`, labels };
  if (stat.kind === "SampleCount") {
    return { family, type: "histogram", name: `${family}_count`, labels };
  }
  if (stat.kind === "TC" && stat.lo === undefined && stat.hi !== undefined && !stat.hi.percent) {
    return {
      family,
      type: "histogram",
      name: `${family}_bucket`,
      labels: { ...labels, le: formatLe(stat.hi.value) },
    };
  }
  throw new PrometheusMappingError(
    `${metric.namespace} ${metric.metricName} ${metric.stat}: only Sum, SampleCount and TC(:x) (a histogram bucket) map to Prometheus counters; read a threshold SLI from histogram buckets (TC(:x) with SampleCount) or a ratio SLI from Sum counters`,
  );
}

/** Escapes a label value for PromQL and the OpenMetrics text format (same rules). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** `{a="x",b="y"}` (label names sorted), or an empty string for no labels. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k] as string)}"`).join(",")}}`;
}

/**
 * The PromQL instant-vector selector of a series (`name{labels}`).
 *
 * @example
 * promqlSelector({ family: "f", type: "counter", name: "f_total", labels: { service: "a" } });
 * // 'f_total{service="a"}'
 */
export function promqlSelector(ref: PrometheusSeriesRef): string {
  return `${ref.name}${formatLabels(ref.labels)}`;
}
