import type { DataSourceDocument } from "./documents.ts";
import type { CloudWatchMetricStat, MetricSourceRef } from "./model.ts";
import type { IssueSink, Path } from "./report.ts";
import {
  cloudWatchExpressionSpecSchema,
  cloudWatchMetricSpecSchema,
  metricSourceSchema,
} from "./schema.ts";

/**
 * CloudWatch statistics GetMetricData accepts: the five basic ones, percentiles and
 * the trimmed/count/sum/rank forms (`p95`, `tm99`, `TC(:0.25)`, `TM(10%:90%)`).
 */
const STAT_PATTERN =
  /^(SampleCount|Average|Sum|Minimum|Maximum|IQM|p\d{1,2}(\.\d+)?|p100|(tm|wm|tc|ts)\d{1,2}(\.\d+)?|(TM|WM|TC|TS|PR)\((-?\d+(\.\d+)?%?)?:(-?\d+(\.\d+)?%?)?\))$/;
/** GetMetricData query ids: lowercase first letter, then letters, digits, underscores. */
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

/**
 * Reads an OpenSLO `metricSource`. CloudWatch specs take one of two shapes:
 *
 * - one metric: `{ namespace, metricName, dimensions: [{ name, value }], stat }`
 * - metric math: `{ expression: "m1 + m2", metrics: [{ id, namespace, metricName, dimensions, stat }] }`
 *
 * `region` is accepted and ignored (the deployment decides). Other source types are
 * kept as `unsupported` with a warning so the file still validates and round-trips.
 */
export function readMetricSource(
  sink: IssueSink,
  raw: unknown,
  path: Path,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): MetricSourceRef | undefined {
  const source = sink.check(metricSourceSchema, raw, path);
  if (!source) return undefined;
  let type = source.type;
  if (source.metricSourceRef !== undefined) {
    const ds = dataSources.get(source.metricSourceRef);
    if (!ds) {
      sink.error(
        [...path, "metricSourceRef"],
        `no DataSource named "${source.metricSourceRef}"`,
        `declare a DataSource document with metadata.name: ${source.metricSourceRef}, or write type: CloudWatch instead`,
      );
      return undefined;
    }
    if (type !== undefined && type !== ds.type) {
      sink.error(
        [...path, "type"],
        `type ${type} differs from DataSource "${ds.name}" type ${ds.type}`,
        `write type: ${ds.type} or remove type`,
      );
      return undefined;
    }
    type = ds.type;
  }
  if (type === undefined) {
    sink.error(
      path,
      "metric source has no type",
      "add type: CloudWatch (or a metricSourceRef to a DataSource)",
    );
    return undefined;
  }
  if (type.toLowerCase() !== "cloudwatch") {
    sink.warn(
      [...path, "type"],
      `metric source type "${type}" is unsupported by this engine`,
      "the SLO is kept and exported but not computed; use type: CloudWatch to compute it",
    );
    return { kind: "unsupported", type, spec: source.spec };
  }
  const specPath = [...path, "spec"];
  if ("expression" in source.spec) return readExpression(sink, source.spec, specPath);
  const spec = sink.check(cloudWatchMetricSpecSchema, source.spec, specPath);
  if (!spec) return undefined;
  if (spec.region !== undefined) warnRegion(sink, specPath);
  return readMetric(sink, spec, specPath);
}

function warnRegion(sink: IssueSink, specPath: Path): void {
  sink.warn(
    [...specPath, "region"],
    "region is ignored",
    "the region comes from the deployment stage; remove it",
  );
}

function readExpression(
  sink: IssueSink,
  raw: Record<string, unknown>,
  specPath: Path,
): MetricSourceRef | undefined {
  const spec = sink.check(cloudWatchExpressionSpecSchema, raw, specPath);
  if (!spec) return undefined;
  if (spec.region !== undefined) warnRegion(sink, specPath);
  const metrics: Record<string, CloudWatchMetricStat> = {};
  let ok = true;
  spec.metrics.forEach((m, i) => {
    const mPath = [...specPath, "metrics", i];
    if (!ID_PATTERN.test(m.id)) {
      sink.error(
        [...mPath, "id"],
        `metric id "${m.id}" is not a valid CloudWatch id`,
        "start with a lowercase letter, then letters, digits or '_', e.g. m1",
      );
      ok = false;
    } else if (metrics[m.id]) {
      sink.error(
        [...mPath, "id"],
        `metric id "${m.id}" is used twice`,
        "give each metric its own id (m1, m2, ...)",
      );
      ok = false;
    }
    const metric = readMetric(sink, m, mPath);
    if (metric) metrics[m.id] = metric;
    else ok = false;
  });
  if (spec.metrics.length === 0) {
    sink.error(
      [...specPath, "metrics"],
      "an expression needs at least one metric",
      "list the metrics it uses, e.g. - { id: m1, namespace, metricName, stat }",
    );
    ok = false;
  }
  // Metric-math functions are upper case (SUM, FILL, METRICS), ids lower case.
  const referenced = new Set(spec.expression.match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? []);
  for (const id of referenced) {
    if (!(id in metrics) && ok) {
      sink.error(
        [...specPath, "expression"],
        `expression uses "${id}" but no metric has that id`,
        `add a metric with id: ${id}, or fix the expression`,
      );
      ok = false;
    }
  }
  for (const id of Object.keys(metrics)) {
    if (!referenced.has(id)) {
      sink.warn(
        [...specPath, "metrics"],
        `metric "${id}" is not used by the expression`,
        "remove it or use it in the expression",
      );
    }
  }
  return ok ? { kind: "expression", expression: spec.expression, metrics } : undefined;
}

function readMetric(
  sink: IssueSink,
  spec: {
    namespace: string;
    metricName: string;
    dimensions?: { name: string; value: string }[] | undefined;
    stat: string;
  },
  path: Path,
): CloudWatchMetricStat | undefined {
  let ok = true;
  if (!STAT_PATTERN.test(spec.stat)) {
    sink.error(
      [...path, "stat"],
      `"${spec.stat}" is not a CloudWatch statistic`,
      "write Sum, SampleCount, Average, Minimum, Maximum, p95, p99.9, TM(10%:90%) or TC(:0.25)",
    );
    ok = false;
  }
  if (spec.namespace.trim() === "" || spec.metricName.trim() === "") {
    sink.error(
      path,
      "namespace and metricName must not be empty",
      "write e.g. namespace: AWS/ApplicationELB, metricName: RequestCount",
    );
    ok = false;
  }
  const dimensions: Record<string, string> = {};
  (spec.dimensions ?? []).forEach((d, i) => {
    if (d.name in dimensions) {
      sink.error(
        [...path, "dimensions", i, "name"],
        `dimension "${d.name}" is given twice`,
        "keep one value per dimension name",
      );
      ok = false;
    }
    dimensions[d.name] = d.value;
  });
  if (!ok) return undefined;
  return {
    kind: "metric",
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions,
    stat: spec.stat,
  };
}
