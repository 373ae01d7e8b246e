import type { MetricPoint, MetricSink, PublishResult } from "./types.ts";
import { validatePoints } from "./types.ts";

/** EMF allows at most 100 metrics per log event (blob). */
export const EMF_MAX_METRICS = 100;

export interface EmfSinkOptions {
  /** Receives one JSON line per blob (default: `process.stdout`). */
  readonly write?: (line: string) => void;
  /** Extra top-level properties written into every blob (not dimensions), e.g. `{ run: id }`. */
  readonly properties?: Readonly<Record<string, string | number>>;
}

/**
 * Publishes through CloudWatch Embedded Metric Format log lines, in the shape Powertools
 * Metrics emits (`_aws.Timestamp`, `CloudWatchMetrics[].Namespace/Dimensions/Metrics`,
 * dimension and metric values as top-level keys, `StorageResolution: 60`). Points sharing a
 * namespace, timestamp and dimension values go into one blob, at most 100 metrics each.
 * `_aws.Timestamp` is the evaluated step's time, so a rerun re-emits the same datapoint
 * (see README: same value, same timestamp, `Average`/`Maximum` unchanged).
 *
 * @example
 * const lines: string[] = [];
 * await new EmfSink({ write: (l) => lines.push(l) }).publish([{ namespace: "Custom/SLO",
 *   name: "SLI", value: 0.9995, unit: "None", timestampMs: stepEnd,
 *   dimensions: { Service: "user-service", SLO: "user-service-availability" } }]);
 * JSON.parse(lines[0])._aws.CloudWatchMetrics[0].Namespace; // "Custom/SLO"
 */
export class EmfSink implements MetricSink {
  readonly name = "emf";
  readonly #write: (line: string) => void;
  readonly #properties: Readonly<Record<string, string | number>>;

  constructor(opts: EmfSinkOptions = {}) {
    this.#write = opts.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#properties = opts.properties ?? {};
  }

  async publish(points: readonly MetricPoint[]): Promise<PublishResult> {
    validatePoints(points);
    const lines = toEmfLines(points, this.#properties);
    for (const line of lines) this.#write(line);
    return { published: points.length, requests: lines.length };
  }
}

/** Renders points as EMF JSON lines (pure; `EmfSink` writes them). */
export function toEmfLines(
  points: readonly MetricPoint[],
  properties: Readonly<Record<string, string | number>> = {},
): string[] {
  const groups = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const dimNames = Object.keys(p.dimensions).sort();
    const key = JSON.stringify([
      p.namespace,
      p.timestampMs,
      dimNames.map((d) => [d, p.dimensions[d]]),
    ]);
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const lines: string[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += EMF_MAX_METRICS) {
      const chunk = group.slice(i, i + EMF_MAX_METRICS);
      const first = chunk[0] as MetricPoint;
      const dimNames = Object.keys(first.dimensions).sort();
      const blob: Record<string, unknown> = {
        _aws: {
          Timestamp: first.timestampMs,
          CloudWatchMetrics: [
            {
              Namespace: first.namespace,
              Dimensions: [dimNames],
              Metrics: chunk.map((p) => ({ Name: p.name, Unit: p.unit, StorageResolution: 60 })),
            },
          ],
        },
        ...properties,
        ...first.dimensions,
      };
      for (const p of chunk) blob[p.name] = p.value;
      lines.push(JSON.stringify(blob));
    }
  }
  return lines;
}
