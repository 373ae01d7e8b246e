import type { DataSourceDocument } from "./documents.ts";
import { readMetricSource } from "./metric-source.ts";
import type { Indicator, MetricSourceRef } from "./model.ts";
import type { IssueSink, Path } from "./report.ts";
import type { SliSpec } from "./schema.ts";
import { stableJson } from "./stable-json.ts";

/**
 * Reads an SLI spec (an SLI document's, or an SLO's inline indicator) into an
 * `Indicator`: exactly one of ratioMetric (good or bad, and total) or thresholdMetric.
 * Reports every problem on `sink`; undefined when the indicator cannot be used.
 */
export function readIndicator(
  sink: IssueSink,
  spec: SliSpec,
  path: Path,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): Indicator | undefined {
  const ratio = spec.ratioMetric;
  const threshold = spec.thresholdMetric;
  if (ratio && threshold) {
    sink.error(
      path,
      "an indicator has either ratioMetric or thresholdMetric, not both",
      "keep one; define a second SLI for the other",
    );
    return undefined;
  }
  if (threshold) {
    const metric = readMetricSource(
      sink,
      threshold.metricSource,
      [...path, "thresholdMetric", "metricSource"],
      dataSources,
    );
    return metric && { type: "threshold", metric };
  }
  if (!ratio) {
    sink.error(
      path,
      "indicator has no metric",
      "add ratioMetric: { counter, good|bad, total } or thresholdMetric: { metricSource }",
    );
    return undefined;
  }
  const rPath = [...path, "ratioMetric"];
  if (ratio.raw !== undefined) {
    sink.error(
      [...rPath, "raw"],
      "raw (precomputed) ratio metrics are not supported",
      "give good and total (or bad and total) counts instead",
    );
    return undefined;
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined)) {
    sink.error(
      rPath,
      ratio.good ? "ratioMetric has both good and bad" : "ratioMetric needs good or bad",
      "write good + total, or bad + total",
    );
    return undefined;
  }
  if (ratio.total === undefined) {
    sink.error(
      rPath,
      "ratioMetric needs total",
      "add total: { metricSource: ... } counting every event",
    );
    return undefined;
  }
  if (ratio.rawType !== undefined) {
    const expected = ratio.good ? "success" : "failure";
    if (ratio.rawType !== expected) {
      sink.error(
        [...rPath, "rawType"],
        `rawType ${ratio.rawType} does not match ${ratio.good ? "good" : "bad"}`,
        `write rawType: ${expected} or remove it`,
      );
      return undefined;
    }
  }
  const which = ratio.good ? "good" : "bad";
  const part = readMetricSource(
    sink,
    (ratio.good ?? ratio.bad)?.metricSource,
    [...rPath, which, "metricSource"],
    dataSources,
  );
  const total = readMetricSource(
    sink,
    ratio.total.metricSource,
    [...rPath, "total", "metricSource"],
    dataSources,
  );
  if (!part || !total) return undefined;
  if (sameSeries(part, total)) {
    sink.error(
      [...rPath, which, "metricSource"],
      `${which} and total name the same series, so the SLI is always ${which === "good" ? 1 : 0}`,
      `make ${which} count only the ${which === "good" ? "successful" : "failed"} events, e.g. HTTPCode_Target_5XX_Count as bad over RequestCount as total`,
    );
    return undefined;
  }
  const counter = ratio.counter ?? true;
  return which === "good"
    ? { type: "ratio", counter, good: part, total }
    : { type: "ratio", counter, bad: part, total };
}

/** True when two sources are the same query: equal after ordering their keys. */
function sameSeries(a: MetricSourceRef, b: MetricSourceRef): boolean {
  return stableJson(a) === stableJson(b);
}
