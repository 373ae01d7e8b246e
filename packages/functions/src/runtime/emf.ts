import type { MetricPoint, MetricUnit } from "@slo/aws";

interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
}

/**
 * Reads the datapoints out of one Embedded Metric Format log line, the way CloudWatch
 * Logs does: each directive's metrics with the values of its dimension keys (the first
 * dimension set). Returns `undefined` for a line that is not EMF (e.g. a log record).
 *
 * @example
 * parseEmfLine('{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"Custom/SLO","Dimensions":[["SLO"]],"Metrics":[{"Name":"SLI"}]}]},"SLO":"a","SLI":0.99}');
 * // [{ namespace: "Custom/SLO", name: "SLI", value: 0.99, unit: "None", timestampMs: 1, dimensions: { SLO: "a" } }]
 */
export function parseEmfLine(line: string): MetricPoint[] | undefined {
  const text = line.trim();
  if (!text.startsWith("{") || !text.includes('"_aws"')) return undefined;
  let blob: Record<string, unknown>;
  try {
    blob = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const aws = blob._aws as { Timestamp?: number; CloudWatchMetrics?: EmfDirective[] } | undefined;
  if (!aws || !Array.isArray(aws.CloudWatchMetrics)) return undefined;
  const out: MetricPoint[] = [];
  for (const d of aws.CloudWatchMetrics) {
    const dimensions: Record<string, string> = {};
    for (const name of d.Dimensions[0] ?? []) dimensions[name] = String(blob[name]);
    for (const m of d.Metrics) {
      const raw = blob[m.Name];
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        if (typeof value !== "number") continue;
        out.push({
          namespace: d.Namespace,
          name: m.Name,
          value,
          unit: (m.Unit ?? "None") as MetricUnit,
          timestampMs: aws.Timestamp ?? Number.NaN,
          dimensions,
        });
      }
    }
  }
  return out;
}

/** All datapoints in a chunk of stdout (non-EMF lines are skipped). */
export function parseEmfOutput(text: string): MetricPoint[] {
  return text.split("\n").flatMap((line) => parseEmfLine(line) ?? []);
}
